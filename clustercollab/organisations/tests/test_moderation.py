import pytest
from django.core import mail
from django.urls import reverse

from clustercollab.core.models import AuditLogEntry
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.selectors import possible_duplicates, validation_criteria
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def _actions(organisation):
    return list(
        AuditLogEntry.objects.filter(target_id=str(organisation.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_it_will_not_submit_a_profile_missing_required_fields(client):
    member = make_user()
    organisation = make_organisation(admin=member, about="", city="")
    client.force_login(member)
    response = client.post(reverse("organisations:submit", args=[organisation.pk]), follow=True)
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.DRAFT
    body = response.content.decode()
    assert "about us" in body and "city" in body
    assert mail.outbox == []


def test_the_whole_validation_cycle_is_audited_and_mailed(
    client, django_capture_on_commit_callbacks
):
    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    member, moderator = make_user("admin@cluster.example.org"), make_user(staff=True)
    organisation = make_organisation(admin=member)
    client.force_login(member)
    post(reverse("organisations:submit", args=[organisation.pk]))
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.SUBMITTED
    assert organisation.review_due_at is not None
    assert mail.outbox[-1].to == ["admin@cluster.example.org"]

    client.force_login(moderator)
    review_url = reverse("organisations:moderation_review", args=[organisation.pk])
    response = client.post(review_url, {"action": "request_changes", "reason": ""})
    assert "Tell the organisation what to change" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.SUBMITTED

    post(review_url, {"action": "request_changes", "reason": "Please add your member counts."})
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.CHANGES_REQUESTED
    assert "Please add your member counts." in mail.outbox[-1].body

    client.force_login(member)
    banner = client.get(organisation.get_absolute_url()).content.decode()
    assert "Please add your member counts." in banner
    post(reverse("organisations:submit", args=[organisation.pk]))

    client.force_login(moderator)
    post(review_url, {"action": "publish"})
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.PUBLISHED
    assert organisation.published_at is not None
    assert _actions(organisation) == [
        "organisations.organisation.submitted",
        "organisations.organisation.changes_requested",
        "organisations.organisation.resubmitted",
        "organisations.organisation.published",
    ]
    entry = AuditLogEntry.objects.get(action="organisations.organisation.changes_requested")
    assert entry.actor == moderator and entry.reason == "Please add your member counts."
    assert len(mail.outbox) == 4


def test_a_member_cannot_publish_their_own_profile(client):
    member = make_user()
    organisation = make_organisation(admin=member, status=ModerationStatus.SUBMITTED)
    client.force_login(member)
    client.post(
        reverse("organisations:moderation_review", args=[organisation.pk]), {"action": "publish"}
    )
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.SUBMITTED


def test_editing_a_published_profile_keeps_it_public_and_lists_the_change(client):
    member, moderator = make_user(), make_user(staff=True)
    organisation = make_organisation(admin=member, status=ModerationStatus.PUBLISHED)
    client.force_login(member)
    edit_url = reverse("organisations:edit", args=[organisation.pk])
    form = client.get(edit_url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update(
        country="FI",
        kind="cluster",
        ecosystems=[e.pk for e in data["ecosystems"]],
        languages=[],
        keywords="",
        seeks="Partners for wood-based textiles",
        nace_activities=[],
        target_countries=[],
        emerging_industries=[],
        logo="",
    )
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.status == ModerationStatus.PUBLISHED
    assert organisation.unreviewed_changes == ["seeks"]

    client.force_login(moderator)
    queue = client.get(reverse("organisations:moderation_queue")).content.decode()
    assert organisation.name in queue and "what we seek" in queue
    client.post(
        reverse("organisations:moderation_review", args=[organisation.pk]),
        {"action": "changes_reviewed"},
    )
    organisation.refresh_from_db()
    assert organisation.unreviewed_changes == []


def test_the_queue_is_oldest_first_and_flags_overdue_items(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.MODERATION_REVIEW_DAYS = 14
    make_organisation(status=ModerationStatus.SUBMITTED, name="Newer Cluster")
    older = make_organisation(status=ModerationStatus.SUBMITTED, name="Older Cluster")
    Organisation.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=20)
    )
    client.force_login(make_user(staff=True))
    body = client.get(reverse("organisations:moderation_queue")).content.decode()
    assert body.index("Older Cluster") < body.index("Newer Cluster")
    assert "overdue" in body


def test_validation_criteria_are_checked_and_waived_for_recognised_clusters():
    organisation = make_organisation(
        members_smes=10, members_research=3, management_fte="0.4", website=""
    )
    criteria, waived = validation_criteria(organisation)
    assert [c.passed for c in criteria] == [False, True, False, False]
    assert not waived
    organisation.members_smes = 12
    organisation.management_fte = 2
    organisation.website = "https://example.org"
    organisation.programme_recognition = "Finnish Innovation Clusters programme"
    criteria, waived = validation_criteria(organisation)
    assert all(c.passed for c in criteria) and waived


def test_possible_duplicates_by_similar_name_or_same_website_domain():
    existing = make_organisation(
        name="Bioeconomy Cluster North Karelia Oy", website="https://www.bio-nk.example.org/en/"
    )
    other_country = make_organisation(name="Bioeconomy Cluster North Karelia", country_id="SE")
    similar = make_organisation(name="Bioeconomy Cluster North-Karelia")
    same_site = make_organisation(
        name="Completely Different Name", website="http://bio-nk.example.org", country_id="DE"
    )
    flagged = possible_duplicates(similar)
    assert [d.organisation for d in flagged] == [existing]
    assert "similar name" in flagged[0].reason
    by_site = {d.organisation: d.reason for d in possible_duplicates(same_site)}
    assert by_site[existing] == "same website domain (bio-nk.example.org)"
    assert other_country not in [d.organisation for d in possible_duplicates(similar)]


def test_a_profile_marked_submitted_without_a_date_still_shows_its_dashboard(client):
    # Staff can set the status in the admin, which leaves no submission date to count from.
    member = make_user()
    organisation = make_organisation(admin=member, status=ModerationStatus.SUBMITTED)
    Organisation.objects.filter(pk=organisation.pk).update(submitted_at=None)
    client.force_login(member)
    response = client.get(reverse("organisations:dashboard"))
    assert response.status_code == 200
    assert "Platform staff check every new profile. You will get an e-mail." in (
        response.content.decode()
    )
