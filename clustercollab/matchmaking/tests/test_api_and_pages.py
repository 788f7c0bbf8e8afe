"""The API, the participant list (search, filters, suggestions), exports and the dashboard."""

import pytest

from clustercollab.core.models import IndustrialEcosystem
from clustercollab.matchmaking import agenda, selectors, services
from clustercollab.matchmaking.models import MatchmakingEvent, Opportunity, OpportunityType
from clustercollab.matchmaking.tests.factories import (
    IN_BOOKING,
    country,
    make_event,
    make_participant,
)
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled():
    event = make_event(request_mode="automatic")
    a = make_participant(event, time_zone="Europe/Lisbon", keywords=["biochar", "wood"])
    b = make_participant(
        event, time_zone="Europe/Helsinki", country=country("DE"), keywords=["Wood"]
    )
    request = services.meeting_request_create(
        event=event, requester=a, recipient=b, actor=a.user, message="Hi", now=IN_BOOKING
    )
    staff = make_user(staff=True)
    slot = event.sessions.get().slots.first()
    draft = agenda.agenda_draft_create(
        event=event, actor=staff, assignment={request.pk: slot.pk}, upper_bound=2, objective=2
    )
    agenda.agenda_publish(version=draft, actor=staff)
    return event, a, b, staff, slot


def test_the_agenda_api_gives_utc_and_local_times(client, scheduled):
    event, a, b, _staff, slot = scheduled
    client.force_login(b.user)
    data = client.get(f"/api/v1/matchmaking/events/{event.pk}/agenda/").json()
    (meeting,) = data["meetings"]
    assert meeting["start"].endswith("Z")
    assert meeting["local_start"] == slot.start.astimezone(b.zone).isoformat()
    assert meeting["partner"] == a.name
    client.force_login(make_user())
    assert client.get(f"/api/v1/matchmaking/events/{event.pk}/agenda/").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/matchmaking/events/{event.pk}/agenda/").status_code == 401


def test_the_event_api_lists_public_events_only(client, scheduled):
    hidden = make_event(title="Closed pilot (test)", is_public=False)
    titles = [e["title"] for e in client.get("/api/v1/matchmaking/events/").json()["results"]]
    assert hidden.title not in titles
    assert MatchmakingEvent.objects.filter(is_public=True).count() == len(titles)


def test_search_filters_and_suggestions(client, scheduled):
    event, a, b, _staff, _slot = scheduled
    c = make_participant(event, name="Test Textile Cluster", country=country("FR"))
    c.organisation.ecosystems.set([IndustrialEcosystem.objects.get(name="Textiles")])
    kind = OpportunityType.objects.create(event=event, name="Technology transfer")
    Opportunity.objects.create(
        participant=c, kind="offer", opportunity_type=kind, title="Recycled fibres"
    )
    assert list(selectors.participant_list(event, query="fibres")) == [c]
    assert list(selectors.participant_list(event, country="DE")) == [b]
    assert list(selectors.participant_list(event, opportunity_type=str(kind.pk))) == [c]
    d = make_participant(event, keywords=["biochar"])
    suggestions = selectors.suggestions_for(d)
    # b is already met by a, but d shares Agri-food with everyone and "biochar" with a.
    assert suggestions[0]["participant"] == a
    assert suggestions[0]["keywords"] == ["biochar"]
    assert c not in [s["participant"] for s in suggestions]
    client.force_login(d.user)
    page = client.get(f"/matchmaking/{event.pk}/participants/?query=fibres", HTTP_HX_REQUEST="true")
    assert "Recycled fibres" in page.content.decode()
    assert "<html" not in page.content.decode()


def test_exports_and_grid(client, scheduled):
    event, a, b, staff, slot = scheduled
    client.force_login(staff)
    csv_text = client.get(f"/matchmaking/{event.pk}/export/meetings.csv").content.decode()
    assert slot.start.isoformat() in csv_text
    assert a.name in csv_text and b.name in csv_text
    assert "https://meet.example.org/iecm-" in csv_text
    grid = client.get(f"/matchmaking/{event.pk}/grid/").content.decode()
    assert f"{a.name} – {b.name}" in grid
    assert client.get(f"/matchmaking/{event.pk}/export/bogus.csv").status_code == 404


def test_the_dashboard_counts(client, scheduled):
    event, _a, _b, staff, _slot = scheduled
    figures = selectors.dashboard_figures(event)
    assert (figures["participants"], figures["requests"], figures["accepted"]) == (2, 1, 1)
    assert figures["scheduled"] == 1
    client.force_login(staff)
    page = client.get(f"/matchmaking/{event.pk}/dashboard/").content.decode()
    assert "vendor/chart.js/chart.umd.min.js" in page
    assert 'id="matchmaking-charts"' in page


def test_the_member_dashboard_lists_my_events(client, scheduled):
    event, a, _b, _staff, _slot = scheduled
    client.force_login(a.user)
    page = client.get("/dashboard/").content.decode()
    assert event.title in page
    assert "1 meeting" in page


def test_staff_create_an_event_and_grant_organiser_rights(client):
    staff = make_user(staff=True)
    organiser = make_user()
    organisation = make_organisation(admin=organiser)
    client.force_login(staff)
    form = {
        "title": "Nordic–Iberian cluster matchmaking",
        "time_zone": "Europe/Helsinki",
        "mode": "virtual",
        "request_mode": "approval",
        "scheduling_mode": "organisers_schedule",
        "max_meetings_per_participant": "8",
        "request_expiry_hours": "48",
        "application_deadline": "2026-05-01T17:00",
        "booking_opens_at": "2026-05-04T09:00",
        "booking_closes_at": "2026-05-03T09:00",
        "organiser_ids": str(organisation.pk),
        "is_public": "on",
    }
    response = client.post("/matchmaking/new/", form)
    assert response.status_code == 200
    assert "must close after they open" in response.content.decode()
    assert 'value="Nordic–Iberian cluster matchmaking"' in response.content.decode()
    assert not MatchmakingEvent.objects.exists()
    form["booking_closes_at"] = "2026-05-20T17:00"
    assert client.post("/matchmaking/new/", form).status_code == 302
    event = MatchmakingEvent.objects.get()
    assert event.application_deadline.strftime("%H:%M") == "14:00"  # 17:00 in Helsinki (UTC+3)
    client.force_login(organiser)
    assert client.get(f"/matchmaking/{event.pk}/setup/").status_code == 200
    assert client.get("/matchmaking/new/").status_code == 404


def test_the_printable_page_has_one_section_per_participant(client, scheduled):
    event, a, b, staff, _slot = scheduled
    client.force_login(staff)
    page = client.get(f"/matchmaking/{event.pk}/print/").content.decode()
    assert page.count('class="print-page"') == 2
    assert a.name in page and b.name in page
    client.force_login(a.user)
    page = client.get(f"/matchmaking/{event.pk}/print/").content.decode()
    assert page.count('class="print-page"') == 1


def test_the_ical_feed_needs_a_valid_token(client, scheduled):
    event, a, _b, _staff, slot = scheduled
    from clustercollab.matchmaking.ical import feed_token

    response = client.get(f"/matchmaking/feed/{feed_token(a)}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert f"DTSTART:{slot.start:%Y%m%dT%H%M%SZ}" in response.content.decode()
    assert client.get(f"/matchmaking/feed/{feed_token(a)}x.ics").status_code == 404
