"""Every page per role: organiser, participant, member of another organisation, visitor."""

import pytest
from django.core.exceptions import PermissionDenied

from clustercollab.matchmaking import agenda, services
from clustercollab.matchmaking.models import MeetingRequest, RequestStatus
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

ORGANISER_PAGES = [
    "edit/",
    "setup/",
    "applications/",
    "schedule/",
    "grid/",
    "dashboard/",
    "export/meetings.csv",
    "export/participants.csv",
    "export/applications.csv",
]
PARTICIPANT_PAGES = ["participants/", "me/", "requests/", "agenda/", "agenda.ics"]


@pytest.fixture
def cast():
    organiser = make_user()
    organiser_org = make_organisation(admin=organiser)
    event = make_event(organiser_organisation=organiser_org)
    alice = make_participant(event)
    bob = make_participant(event, time_zone="Europe/Helsinki")
    outsider = make_user()
    make_organisation(admin=outsider)
    request = services.meeting_request_create(
        event=event,
        requester=alice,
        recipient=bob,
        actor=alice.user,
        message="Hello",
        now=IN_BOOKING,
    )
    return {
        "event": event,
        "organiser": organiser,
        "alice": alice,
        "bob": bob,
        "outsider": outsider,
        "request": request,
    }


@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organisers_see_organiser_pages_and_others_get_404(client, cast, path):
    url = f"/matchmaking/{cast['event'].pk}/{path}"
    client.force_login(cast["organiser"])
    assert client.get(url).status_code == 200
    for user in (cast["alice"].user, cast["outsider"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page


@pytest.mark.parametrize("path", PARTICIPANT_PAGES)
def test_participants_see_their_pages_and_outsiders_get_404(client, cast, path):
    url = f"/matchmaking/{cast['event'].pk}/{path}"
    client.force_login(cast["alice"].user)
    assert client.get(url).status_code == 200
    client.force_login(cast["outsider"])
    assert client.get(url).status_code == 404


def test_staff_see_everything(client, cast):
    client.force_login(make_user(staff=True))
    for path in ORGANISER_PAGES + ["participants/", "print/"]:
        assert client.get(f"/matchmaking/{cast['event'].pk}/{path}").status_code == 200, path


def test_public_pages(client, cast):
    assert client.get("/matchmaking/").status_code == 200
    assert client.get(f"/matchmaking/{cast['event'].pk}/").status_code == 200
    cast["event"].is_public = False
    cast["event"].save()
    assert client.get(f"/matchmaking/{cast['event'].pk}/").status_code == 404
    client.force_login(cast["organiser"])
    assert client.get(f"/matchmaking/{cast['event'].pk}/").status_code == 200


def test_only_the_recipient_answers_and_an_outsider_gets_404(client, cast):
    request = cast["request"]
    url = f"/matchmaking/{cast['event'].pk}/requests/{request.pk}/accept/"
    client.force_login(cast["outsider"])
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.meeting_request_answer(request=request, actor=cast["alice"].user, accept=True)
    client.force_login(cast["bob"].user)
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_a_participant_cannot_request_for_another_organisation(cast):
    with pytest.raises(PermissionDenied):
        services.meeting_request_create(
            event=cast["event"],
            requester=cast["bob"],
            recipient=cast["alice"],
            actor=cast["outsider"],
            message="Hi",
            now=IN_BOOKING,
        )
    assert MeetingRequest.objects.count() == 1


def test_only_organisers_schedule_and_decide(cast):
    with pytest.raises(PermissionDenied):
        agenda.agenda_draft_create(event=cast["event"], actor=cast["alice"].user, assignment={})
    with pytest.raises(PermissionDenied):
        services.applications_decide(
            event=cast["event"],
            actor=cast["alice"].user,
            application_ids=[cast["bob"].application_id],
            status="rejected",
        )


def test_pages_render_for_a_participant_with_meetings(client, cast):
    event, alice = cast["event"], cast["alice"]
    services.meeting_request_answer(request=cast["request"], actor=cast["bob"].user, accept=True)
    slot = event.sessions.get().slots.first()
    agenda.agenda_draft_create(
        event=event,
        actor=cast["organiser"],
        assignment={cast["request"].pk: slot.pk},
        unscheduled=[],
        upper_bound=1,
        objective=1,
    )
    client.force_login(cast["organiser"])
    assert "Alice" not in client.get(f"/matchmaking/{event.pk}/schedule/").content.decode()
    client.post(f"/matchmaking/{event.pk}/schedule/", {"action": "publish"})
    assert client.get(f"/matchmaking/{event.pk}/grid/").status_code == 200
    assert client.get(f"/matchmaking/{event.pk}/print/").status_code == 200
    client.force_login(alice.user)
    page = client.get(f"/matchmaking/{event.pk}/agenda/").content.decode()
    assert cast["bob"].name in page
    assert client.get(f"/matchmaking/{event.pk}/print/").status_code == 200
    assert client.get("/dashboard/").status_code == 200
    assert client.get(f"/matchmaking/{event.pk}/participants/{cast['bob'].pk}/").status_code == 200


def test_garbage_ids_in_posts_give_404_not_500(client, cast):
    client.force_login(cast["organiser"])
    url = f"/matchmaking/{cast['event'].pk}/schedule/"
    assert client.post(url, {"action": "lock", "entry": "abc"}).status_code == 404
    client.force_login(cast["alice"].user)
    response = client.post(
        f"/matchmaking/{cast['event'].pk}/me/", {"action": "delete_opportunity", "opportunity": "x"}
    )
    assert response.status_code == 404
    response = client.post(f"/matchmaking/{cast['event'].pk}/requests/{cast['request'].pk}/zap/")
    assert response.status_code == 404


def test_a_private_event_is_visible_to_its_participants_only(client, cast):
    event = cast["event"]
    event.is_public = False
    event.save()
    client.force_login(cast["alice"].user)
    assert client.get(f"/matchmaking/{event.pk}/agenda/").status_code == 200
    assert event.title in client.get("/matchmaking/").content.decode()
    client.force_login(cast["outsider"])
    assert client.get(f"/matchmaking/{event.pk}/").status_code == 404
    assert event.title not in client.get("/matchmaking/").content.decode()


def test_the_organisation_page_lists_its_public_events(client, cast):
    organisation = cast["alice"].organisation
    organisation.status = "published"
    organisation.save()
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert cast["event"].title in page
