"""Call for expressions of interest: eligibility, late flags, bulk decisions with e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from clustercollab.core.moderation import ModerationStatus
from clustercollab.matchmaking import selectors, services
from clustercollab.matchmaking.models import Application, ApplicationStatus, Participant
from clustercollab.matchmaking.tests.factories import DEADLINE, country, make_event
from clustercollab.organisations.models import OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_event(eligible_kinds=[OrganisationKind.CLUSTER, OrganisationKind.CLUSTER_NETWORK])


def _apply(event, organisation, user, at):
    return services.application_submit(
        event=event,
        organisation=organisation,
        actor=user,
        motivation="Forest bioeconomy.",
        now=at,
    )


def _checks(application):
    return {check["criterion"]: check["passed"] for check in application.eligibility}


def test_a_published_eu_cluster_in_time_is_eligible(event):
    user = make_user()
    organisation = make_organisation(admin=user, status=ModerationStatus.PUBLISHED)
    application = _apply(event, organisation, user, DEADLINE - timedelta(hours=1))
    assert _checks(application) == {"country": True, "profile": True, "kind": True}
    assert application.is_eligible is True
    assert application.is_late is False


def test_eligibility_is_checked_from_the_data(event):
    user = make_user()
    # A US company with a draft profile: wrong country, no profile, wrong kind.
    organisation = make_organisation(
        admin=user, country=country("US"), kind=OrganisationKind.COMPANY
    )
    application = _apply(event, organisation, user, DEADLINE - timedelta(hours=1))
    assert _checks(application) == {"country": False, "profile": False, "kind": False}
    assert application.is_eligible is False
    # Norway takes part in the Single Market Programme (COSME's successor).
    other = make_organisation(admin=user, country=country("NO"), status="submitted")
    assert _checks(_apply(event, other, user, DEADLINE - timedelta(hours=1)))["country"] is True


def test_a_profile_submitted_after_the_deadline_does_not_count(event):
    user = make_user()
    organisation = make_organisation(admin=user, status=ModerationStatus.SUBMITTED)
    organisation.submitted_at = DEADLINE + timedelta(minutes=5)
    organisation.save()
    assert _checks(_apply(event, organisation, user, DEADLINE))["profile"] is False


def test_a_late_application_is_kept_and_flagged(event):
    user = make_user()
    organisation = make_organisation(admin=user, status=ModerationStatus.PUBLISHED)
    application = _apply(event, organisation, user, DEADLINE + timedelta(seconds=1))
    assert application.is_late is True
    assert list(selectors.applications_for_organiser(event, late="yes")) == [application]


def test_only_members_apply_and_only_once(event):
    user = make_user()
    organisation = make_organisation(admin=user)
    with pytest.raises(PermissionDenied):
        _apply(event, organisation, make_user(), DEADLINE)
    _apply(event, organisation, user, DEADLINE)
    with pytest.raises(ValidationError, match="already applied"):
        _apply(event, organisation, user, DEADLINE)
    assert Application.objects.count() == 1


def test_bulk_decisions_make_participants_and_email_each_organisation(
    event, django_capture_on_commit_callbacks
):
    staff = make_user(staff=True)
    applicants = []
    for _ in range(3):
        user = make_user()
        organisation = make_organisation(
            admin=user,
            status=ModerationStatus.PUBLISHED,
            keywords=["wood", "biochar"],
            contact_name="Anna Virtanen",
        )
        applicants.append(_apply(event, organisation, user, DEADLINE))
    with django_capture_on_commit_callbacks(execute=True):
        services.applications_decide(
            event=event,
            actor=staff,
            application_ids=[a.pk for a in applicants[:2]],
            status=ApplicationStatus.SELECTED,
        )
        services.applications_decide(
            event=event,
            actor=staff,
            application_ids=[applicants[2].pk],
            status=ApplicationStatus.RESERVE,
        )
    assert Participant.objects.count() == 2
    participant = Participant.objects.get(application=applicants[0])
    # The participant profile defaults from the organisation profile.
    organisation = applicants[0].organisation
    assert participant.name == organisation.name
    assert participant.description.startswith(organisation.about)
    assert participant.keywords == ["wood", "biochar"]
    assert participant.contact_name == "Anna Virtanen"
    assert participant.time_zone == event.time_zone
    assert participant.sessions.count() == event.sessions.count()
    assert len(mail.outbox) == 3
    assert sum("selected" in m.body for m in mail.outbox) == 2
    assert sum("reserve list" in m.body for m in mail.outbox) == 1


def test_the_bulk_form_reports_a_missing_choice_and_changes_nothing(client, event):
    staff = make_user(staff=True)
    user = make_user()
    application = _apply(event, make_organisation(admin=user), user, DEADLINE)
    client.force_login(staff)
    response = client.post(
        f"/matchmaking/{event.pk}/applications/", {"status": "selected"}, follow=True
    )
    assert "Tick at least one application." in response.content.decode()
    response = client.post(
        f"/matchmaking/{event.pk}/applications/",
        {"status": "bogus", "application": [application.pk]},
        follow=True,
    )
    assert "Choose selected, reserve list or rejected." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_apply_page_flags_a_late_application(client, event):
    user = make_user()
    organisation = make_organisation(admin=user)
    client.force_login(user)
    response = client.post(
        f"/matchmaking/{event.pk}/apply/",
        {"organisation": organisation.pk, "motivation": "We want to meet Nordic clusters."},
        follow=True,
    )
    assert "marked late" in response.content.decode()
    assert Application.objects.get().is_late is True


def test_an_empty_application_keeps_nothing(client, event):
    user = make_user()
    organisation = make_organisation(admin=user)
    client.force_login(user)
    response = client.post(
        f"/matchmaking/{event.pk}/apply/", {"organisation": organisation.pk, "motivation": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Application.objects.exists()


def test_organisers_set_participant_types_in_bulk(client, event):
    from clustercollab.matchmaking.models import ParticipantType

    staff = make_user(staff=True)
    investor = ParticipantType.objects.create(event=event, name="Investor")
    other_event_type = ParticipantType.objects.create(event=make_event(), name="Investor")
    user = make_user()
    application = _apply(event, make_organisation(admin=user), user, DEADLINE)
    services.applications_decide(
        event=event, actor=staff, application_ids=[application.pk], status="selected"
    )
    with pytest.raises(ValidationError, match="Unknown participant type"):
        services.applications_set_type(
            event=event,
            actor=staff,
            application_ids=[application.pk],
            participant_type=other_event_type,
        )
    client.force_login(staff)
    client.post(
        f"/matchmaking/{event.pk}/applications/",
        {"action": "type", "participant_type": investor.pk, "application": [application.pk]},
    )
    assert Participant.objects.get(application=application).participant_type == investor
    with pytest.raises(PermissionDenied):
        services.applications_set_type(
            event=event, actor=user, application_ids=[application.pk], participant_type=None
        )
