"""Funding-call status for a fixed "now", closing soon, and times shown in the right zones."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clustercollab.content.models import CallStatus, DeadlineModel, Event, FundingCall
from clustercollab.content.selectors import calls_closing_soon
from clustercollab.content.tests.factories import make_cast, post_call, post_event

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 8, 12, 12, 0, tzinfo=UTC)


def _call(**fields) -> FundingCall:
    call = FundingCall(
        title="Test call",
        slug="test-call",
        programme="Horizon Europe",
        status="published",
        **fields,
    )
    call.save()
    return call


def test_call_status_for_a_fixed_now():
    forthcoming = _call(
        opens_at=datetime(2026, 9, 1, tzinfo=UTC), deadline_at=datetime(2026, 12, 1, 16, tzinfo=UTC)
    )
    open_call = _call(
        opens_at=datetime(2026, 6, 1, tzinfo=UTC), deadline_at=datetime(2026, 8, 20, 15, tzinfo=UTC)
    )
    closed = _call(deadline_at=datetime(2026, 8, 12, 11, 59, tzinfo=UTC))
    two_stage = _call(
        deadline_model=DeadlineModel.TWO_STAGE,
        deadline_at=datetime(2026, 7, 1, tzinfo=UTC),
        second_deadline_at=datetime(2026, 8, 30, tzinfo=UTC),
    )
    assert forthcoming.status_at(NOW) == CallStatus.FORTHCOMING
    assert open_call.status_at(NOW) == CallStatus.OPEN
    assert closed.status_at(NOW) == CallStatus.CLOSED
    assert two_stage.status_at(NOW) == CallStatus.OPEN
    assert two_stage.next_deadline_at(NOW) == datetime(2026, 8, 30, tzinfo=UTC)
    published = FundingCall.objects.published()
    assert set(published.with_status("forthcoming", NOW)) == {forthcoming}
    assert set(published.with_status("open", NOW)) == {open_call, two_stage}
    assert set(published.with_status("closed", NOW)) == {closed}
    soon = list(calls_closing_soon(now=NOW))
    assert soon == [open_call, two_stage]


def test_a_forthcoming_call_without_an_opening_date_is_forthcoming_until_its_deadline():
    pending = _call(opening_date_pending=True, deadline_at=datetime(2026, 12, 1, tzinfo=UTC))
    passed = _call(opening_date_pending=True, deadline_at=datetime(2026, 8, 1, tzinfo=UTC))
    announced = _call(opening_date_pending=False, deadline_at=datetime(2026, 12, 1, tzinfo=UTC))
    assert pending.status_at(NOW) == CallStatus.FORTHCOMING
    assert passed.status_at(NOW) == CallStatus.CLOSED
    assert announced.status_at(NOW) == CallStatus.OPEN
    published = FundingCall.objects.published()
    for status in CallStatus:
        expected = {c for c in (pending, passed, announced) if c.status_at(NOW) == status}
        assert set(published.with_status(status, NOW)) == expected, status


def test_staff_post_a_call_through_the_form_in_brussels_time(client):
    cast = make_cast()
    client.force_login(cast.staff)
    response = client.post(
        reverse("content:call_create"),
        {
            "title": "Cluster internationalisation call",
            "programme": "Single Market Programme",
            "topic_identifier": "SMP-COSME-2026-CLUSTER-01",
            "deadline_model": "single_stage",
            "deadline_at": "2026-10-15T17:00",
            "timezone": "Europe/Brussels",
            "budget": "1250000.50",
            "language": "en",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    call = FundingCall.objects.get()
    assert call.deadline_at == datetime(2026, 10, 15, 15, 0, tzinfo=UTC)  # CEST = UTC+2
    assert call.status == "published"
    page = client.get(call.get_absolute_url()).content.decode()
    assert "17:00" in page
    assert 'datetime="2026-10-15T15:00:00+00:00"' in page


def test_a_second_deadline_needs_the_two_stage_model(client):
    cast = make_cast()
    client.force_login(cast.staff)
    response = client.post(
        reverse("content:call_create"),
        {
            "title": "Odd call",
            "programme": "X",
            "deadline_model": "single_stage",
            "deadline_at": "2026-10-15T17:00",
            "second_deadline_at": "2026-11-15T17:00",
            "timezone": "Europe/Brussels",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["second_deadline_at"]
    assert not FundingCall.objects.exists()


def test_event_times_are_typed_in_the_events_zone_and_stored_in_utc(client):
    cast = make_cast()
    client.force_login(cast.editor)
    response = client.post(
        reverse("content:event_create"),
        {
            "posting_organisation": cast.organisation.pk,
            "title": "Helsinki evening",
            "event_type": "conference",
            "mode": "hybrid",
            "starts_at": "2026-01-20T18:00",
            "ends_at": "2026-01-20T21:30",
            "timezone": "Europe/Helsinki",
            "language": "en",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == datetime(2026, 1, 20, 16, 0, tzinfo=UTC)  # EET = UTC+2
    assert event.ends_at == datetime(2026, 1, 20, 19, 30, tzinfo=UTC)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "18:00" in page and "21:30" in page
    assert "Europe/Helsinki" in page
    assert 'datetime="2026-01-20T16:00:00+00:00"' in page  # the viewer's script converts this
    # The edit form shows the event's own wall-clock time again.
    edit = client.get(reverse("content:event_edit", args=[event.pk])).content.decode()
    assert 'value="2026-01-20T18:00"' in edit


def test_the_calendar_puts_an_event_on_its_local_day_and_json_ld_uses_its_zone(client):
    cast = make_cast()
    # 00:30 on 1 March in Helsinki is still 28 February in UTC.
    event = post_event(
        actor=cast.staff,
        organisation=cast.organisation,
        title="Night launch",
        starts_at=datetime(2026, 2, 28, 22, 30, tzinfo=UTC),
        ends_at=datetime(2026, 2, 28, 23, 30, tzinfo=UTC),
        timezone="Europe/Helsinki",
    )
    response = client.get(reverse("content:event_calendar", args=[2026, 3]))
    days = {day.day.isoformat(): day.events for week in response.context["weeks"] for day in week}
    assert days["2026-03-01"] == [event]
    assert days["2026-02-28"] == []
    page = client.get(event.get_absolute_url()).content.decode()
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "Event"
    assert data["startDate"] == "2026-03-01T00:30:00+02:00"
    assert data["organizer"]["name"] == cast.organisation.name


def test_json_ld_cannot_be_broken_out_of(client):
    cast = make_cast()
    call = post_call(actor=cast.staff, organisation=None, title="</script><script>alert(1)//")
    page = client.get(call.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    jsonld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(jsonld)["name"] == "</script><script>alert(1)//"
    assert json.loads(jsonld)["@type"] == "MonetaryGrant"


def test_the_calls_list_shows_open_calls_before_closed_ones(client):
    closed = _call(deadline_at=datetime(2020, 1, 1, tzinfo=UTC))
    later = _call(deadline_at=datetime(2099, 6, 1, tzinfo=UTC))
    sooner = _call(deadline_at=datetime(2099, 1, 1, tzinfo=UTC))
    no_deadline = _call()
    listed = list(client.get("/calls/").context["page"])
    assert listed == [sooner, later, no_deadline, closed]


def test_the_status_filter_works_on_the_ordered_list(client):
    open_call = _call(deadline_at=datetime(2099, 1, 1, tzinfo=UTC))
    closed = _call(deadline_at=datetime(2020, 1, 1, tzinfo=UTC))
    for status, expected in [("open", [open_call]), ("closed", [closed]), ("forthcoming", [])]:
        response = client.get(f"/calls/?status={status}")
        assert list(response.context["page"]) == expected
        api = client.get(f"/api/v1/calls/?status={status}").json()
        assert [row["id"] for row in api["results"]] == [c.pk for c in expected]
