"""Meeting requests: answer, slot picking, expiry with a fixed clock, cancellation, reminders,
feedback."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from clustercollab.matchmaking import services
from clustercollab.matchmaking.models import (
    Booking,
    Meeting,
    MeetingStatus,
    Outcome,
    RequestMode,
    RequestStatus,
    SchedulingMode,
)
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def pick_event():
    return make_event(scheduling_mode=SchedulingMode.PARTICIPANTS_PICK, tables=1, slots=3)


def _request(event, a, b, slot=None, now=IN_BOOKING):
    return services.meeting_request_create(
        event=event,
        requester=a,
        recipient=b,
        actor=a.user,
        message="Let us talk about wood.",
        slot=slot,
        now=now,
    )


def test_a_request_notifies_the_recipient_with_the_message(django_capture_on_commit_callbacks):
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    with django_capture_on_commit_callbacks(execute=True):
        _request(event, a, b)
    assert len(mail.outbox) == 1
    assert b.user.email in mail.outbox[0].to
    assert "Let us talk about wood." in mail.outbox[0].body


def test_a_second_open_request_to_the_same_participant_is_refused():
    event = make_event()
    a, b = make_participant(event), make_participant(event)
    _request(event, a, b)
    with pytest.raises(ValidationError, match="already sent"):
        _request(event, a, b)


def test_automatic_mode_accepts_at_once():
    event = make_event(request_mode=RequestMode.AUTOMATIC)
    a, b = make_participant(event), make_participant(event)
    assert _request(event, a, b).status == RequestStatus.ACCEPTED


def test_picking_a_slot_holds_it_and_accepting_confirms_it(pick_event):
    a, b = make_participant(pick_event), make_participant(pick_event)
    slot = pick_event.sessions.get().slots.first()
    request = _request(pick_event, a, b, slot=slot)
    assert request.meeting.status == MeetingStatus.TENTATIVE
    assert Booking.objects.filter(slot=slot).count() == 2
    services.meeting_request_answer(request=request, actor=b.user, accept=True)
    request.meeting.refresh_from_db()
    assert request.meeting.status == MeetingStatus.CONFIRMED


def test_a_taken_table_or_person_is_refused(pick_event):
    a, b, c, d = (make_participant(pick_event) for _ in range(4))
    slot = pick_event.sessions.get().slots.first()
    _request(pick_event, a, b, slot=slot)
    with pytest.raises(ValidationError, match="already has a meeting in this slot"):
        _request(pick_event, a, c, slot=slot)
    with pytest.raises(ValidationError, match="Every table is taken"):
        _request(pick_event, c, d, slot=slot)
    assert Meeting.objects.count() == 1
    assert pick_event.meeting_requests.count() == 1  # the refused requests were not kept


def test_declining_frees_the_slot(pick_event):
    a, b, c = (make_participant(pick_event) for _ in range(3))
    slot = pick_event.sessions.get().slots.first()
    request = _request(pick_event, a, b, slot=slot)
    services.meeting_request_answer(request=request, actor=b.user, accept=False)
    assert not Booking.objects.exists()
    _request(pick_event, c, b, slot=slot)


def test_expiry_with_a_fixed_clock_frees_the_slot_and_tells_the_requester(
    pick_event, django_capture_on_commit_callbacks
):
    a, b = make_participant(pick_event), make_participant(pick_event)
    slot = pick_event.sessions.get().slots.first()
    request = _request(pick_event, a, b, slot=slot)
    just_before = request.expires_at - timedelta(seconds=1)
    out = StringIO()
    call_command("matchmaking_housekeeping", now=just_before.isoformat(), stdout=out)
    assert "expired=0" in out.getvalue()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("matchmaking_housekeeping", now=request.expires_at.isoformat(), stdout=out)
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert not Meeting.objects.exists()
    assert any(a.user.email in m.to and "expired" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError, match="already been answered or has expired"):
        services.meeting_request_answer(request=request, actor=b.user, accept=True)


def test_cancellation_frees_the_slot_and_notifies_the_other(
    pick_event, django_capture_on_commit_callbacks
):
    a, b = make_participant(pick_event), make_participant(pick_event)
    request = _request(pick_event, a, b, slot=pick_event.sessions.get().slots.first())
    services.meeting_request_answer(request=request, actor=b.user, accept=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_cancel(request=request, actor=b.user)
    assert not Booking.objects.exists()
    assert [m.to for m in mail.outbox] == [[a.user.email]]
    assert "cancelled" in mail.outbox[0].body


def test_reminders_are_sent_once_in_each_partners_time_zone(
    pick_event, django_capture_on_commit_callbacks
):
    a = make_participant(pick_event, time_zone="Europe/Lisbon")
    b = make_participant(pick_event, time_zone="Europe/Helsinki")
    slot = pick_event.sessions.get().slots.first()
    services.meeting_request_answer(
        request=_request(pick_event, a, b, slot=slot), actor=b.user, accept=True
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_send(now=slot.start - timedelta(hours=2)) == 1
        assert services.meeting_reminders_send(now=slot.start - timedelta(hours=1)) == 0
    bodies = {m.to[0]: m.body for m in mail.outbox}
    for person in (a, b):
        local = slot.start.astimezone(person.zone).strftime("%H:%M")
        assert f"{local} {person.time_zone}" in bodies[person.user.email]
    assert slot.start.astimezone(a.zone).hour != slot.start.astimezone(b.zone).hour


def test_feedback_and_no_show_after_the_meeting(pick_event):
    a, b = make_participant(pick_event), make_participant(pick_event)
    slot = pick_event.sessions.get().slots.first()
    request = _request(pick_event, a, b, slot=slot)
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.meeting_feedback_give(
            meeting=request.meeting,
            participant=a,
            actor=a.user,
            outcome=Outcome.FOLLOW_UP,
            now=slot.start - timedelta(minutes=1),
        )
    services.meeting_feedback_give(
        meeting=request.meeting,
        participant=a,
        actor=a.user,
        outcome=Outcome.AGREEMENT,
        now=slot.end,
    )
    services.meeting_feedback_give(
        meeting=request.meeting,
        participant=b,
        actor=b.user,
        outcome=Outcome.NONE,
        partner_no_show=True,
        now=slot.end,
    )
    from clustercollab.matchmaking.selectors import dashboard_figures

    figures = dashboard_figures(pick_event)
    assert figures["no_shows"] == 1
    assert figures["held"] == 1


def test_the_request_form_offers_only_common_free_slots(client, pick_event):
    a, b = make_participant(pick_event), make_participant(pick_event)
    slots = list(pick_event.sessions.get().slots.all())
    c = make_participant(pick_event)
    _request(pick_event, b, c, slot=slots[0])
    client.force_login(a.user)
    page = client.get(f"/matchmaking/{pick_event.pk}/participants/{b.pk}/").content.decode()
    slot_select = re.search(r'<select name="slot".*?</select>', page, re.S).group(0)
    offered = re.findall(r'value="(\d+)"', slot_select)
    assert offered == [str(slots[1].pk), str(slots[2].pk)]
    response = client.post(
        f"/matchmaking/{pick_event.pk}/participants/{b.pk}/",
        {"message": "Hello", "priority": "2", "slot": str(slots[1].pk)},
    )
    assert response.status_code == 302
    assert Booking.objects.filter(participant=a, slot=slots[1]).exists()


def test_the_request_email_gives_the_time_in_both_time_zones(
    pick_event, django_capture_on_commit_callbacks
):
    a = make_participant(pick_event, time_zone="Atlantic/Azores")
    b = make_participant(pick_event, time_zone="Europe/Helsinki")
    slot = pick_event.sessions.get().slots.first()
    with django_capture_on_commit_callbacks(execute=True):
        _request(pick_event, a, b, slot=slot)
    (message,) = mail.outbox
    for person in (a, b):
        local = slot.start.astimezone(person.zone).strftime("%H:%M")
        assert f"{local} {person.time_zone}" in message.body


def test_a_slot_that_has_started_cannot_be_booked():
    pick_event = make_event(
        scheduling_mode=SchedulingMode.PARTICIPANTS_PICK,
        booking_closes_at=IN_BOOKING + timedelta(days=20),
    )
    a, b = make_participant(pick_event), make_participant(pick_event)
    slot = pick_event.sessions.get().slots.first()
    with pytest.raises(ValidationError, match="already started"):
        _request(pick_event, a, b, slot=slot, now=slot.start)
    assert not pick_event.meeting_requests.exists()
