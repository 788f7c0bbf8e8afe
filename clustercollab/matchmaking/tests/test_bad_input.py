"""The issue's bad input: each gives a clear error and saves nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from clustercollab.matchmaking import services
from clustercollab.matchmaking.models import (
    AllowedRequest,
    MeetingBlock,
    MeetingRequest,
    ParticipantType,
    Session,
    SessionKind,
    Slot,
)
from clustercollab.matchmaking.tests.factories import (
    BOOKING_CLOSES,
    DAY,
    IN_BOOKING,
    make_event,
    make_participant,
)
from clustercollab.organisations.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(staff=True)


@pytest.fixture
def event():
    return make_event()


def test_a_session_ending_before_it_starts_is_refused(event, staff):
    before = Session.objects.count()
    with pytest.raises(ValidationError, match="must end after it starts"):
        services.session_create(
            event=event,
            actor=staff,
            title="Networking session 2",
            kind=SessionKind.NETWORKING,
            start=DAY.replace(hour=14),
            end=DAY.replace(hour=13),
        )
    assert Session.objects.count() == before


def test_overlapping_blocks_are_refused(event, staff):
    session = event.sessions.get()
    slots_before = Slot.objects.count()
    with pytest.raises(ValidationError, match="overlaps another meeting block"):
        services.block_create(
            session=session,
            actor=staff,
            start=DAY.replace(hour=9, minute=30),
            end=DAY.replace(hour=11),
            slot_minutes=20,
        )
    assert MeetingBlock.objects.count() == 1
    assert Slot.objects.count() == slots_before


def test_a_slot_longer_than_its_block_is_refused(event, staff):
    session = event.sessions.get()
    with pytest.raises(ValidationError, match="does not fit in this block"):
        services.block_create(
            session=session,
            actor=staff,
            start=DAY.replace(hour=11),
            end=DAY.replace(hour=11, minute=30),
            slot_minutes=45,
        )
    assert MeetingBlock.objects.count() == 1


def test_a_block_generates_slots_in_utc_with_breaks(event):
    starts = [s.start for s in Slot.objects.filter(session__event=event)]
    assert [s.strftime("%H:%M") for s in starts] == ["09:00", "09:25", "09:50", "10:15"]
    assert all(s.tzinfo is not None and s.utcoffset() == timedelta(0) for s in starts)


def test_a_request_to_oneself_is_refused(event):
    me = make_participant(event)
    with pytest.raises(ValidationError, match="with yourself"):
        services.meeting_request_create(
            event=event, requester=me, recipient=me, actor=me.user, message="Hi", now=IN_BOOKING
        )
    assert not MeetingRequest.objects.exists()


def test_a_request_across_a_forbidden_type_pair_is_refused(event):
    cluster = ParticipantType.objects.create(event=event, name="Cluster organisation")
    investor = ParticipantType.objects.create(event=event, name="Investor")
    AllowedRequest.objects.create(event=event, from_type=cluster, to_type=investor)
    a = make_participant(event)
    b = make_participant(event)
    a.participant_type, b.participant_type = investor, cluster
    a.save()
    b.save()
    with pytest.raises(ValidationError, match="may not request meetings"):
        services.meeting_request_create(
            event=event, requester=a, recipient=b, actor=a.user, message="Hi", now=IN_BOOKING
        )
    assert not MeetingRequest.objects.exists()
    # The allowed direction works.
    services.meeting_request_create(
        event=event, requester=b, recipient=a, actor=b.user, message="Hi", now=IN_BOOKING
    )


def test_a_request_outside_the_booking_window_is_refused(event):
    a, b = make_participant(event), make_participant(event)
    with pytest.raises(ValidationError, match="can only be sent between"):
        services.meeting_request_create(
            event=event,
            requester=a,
            recipient=b,
            actor=a.user,
            message="Hi",
            now=BOOKING_CLOSES + timedelta(minutes=1),
        )
    assert not MeetingRequest.objects.exists()


def test_an_unknown_time_zone_is_refused(event):
    event.time_zone = "Europe/Atlantis"
    with pytest.raises(ValidationError, match="not a known time zone"):
        event.full_clean()


def test_the_setup_page_shows_the_error_and_keeps_what_was_typed(client, event, staff):
    client.force_login(staff)
    response = client.post(
        f"/matchmaking/{event.pk}/setup/",
        {
            "action": "session",
            "session-title": "Networking session 2",
            "session-kind": "networking",
            "session-start": "2026-03-10T14:00",
            "session-end": "2026-03-10T13:00",
        },
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert 'value="Networking session 2"' in response.content.decode()
    assert event.sessions.count() == 1


def test_setup_times_are_typed_in_the_event_time_zone(client, event, staff):
    client.force_login(staff)
    response = client.post(
        f"/matchmaking/{event.pk}/setup/",
        {
            "action": "session",
            "session-title": "Preparatory webinar",
            "session-kind": "webinar",
            "session-start": "2026-03-03T10:00",
            "session-end": "2026-03-03T11:30",
        },
    )
    assert response.status_code == 302
    webinar = event.sessions.get(title="Preparatory webinar")
    assert webinar.start.strftime("%H:%M") == "09:00"  # 10:00 in Brussels (UTC+1) is 09:00 UTC
