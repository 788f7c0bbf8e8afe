"""The organiser's flow: schedule all → draft with warnings → lock → publish → per-person diff.

Runs against the real scheduler (``clustercollab.matchmaking.scheduling``).
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from clustercollab.matchmaking import agenda, services
from clustercollab.matchmaking.models import (
    AgendaStatus,
    Booking,
    Meeting,
    Priority,
    RequestMode,
)
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant
from clustercollab.organisations.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    event = make_event(request_mode=RequestMode.AUTOMATIC, tables=2, slots=3)
    organiser = make_user(staff=True)
    people = [
        make_participant(event, time_zone=zone)
        for zone in ("Europe/Lisbon", "Europe/Helsinki", "Europe/Paris", "Europe/Warsaw")
    ]
    return event, organiser, people


def _meet(event, a, b, priority=Priority.NORMAL):
    return services.meeting_request_create(
        event=event,
        requester=a,
        recipient=b,
        actor=a.user,
        message="Meet?",
        priority=priority,
        now=IN_BOOKING,
    )


def test_weights_prefer_mutual_interest_and_priority(world):
    event, _organiser, (a, b, c, _d) = world
    one_way = _meet(event, a, c)
    mutual = _meet(event, a, b)
    _meet(event, b, a, priority=Priority.TOP)
    requests, weights = agenda.schedulable_requests(event)
    assert sorted(r.pk for r in requests) == sorted([one_way.pk, mutual.pk])
    assert weights[mutual.pk] > weights[one_way.pk] == 1.0


def test_the_problem_carries_every_constraint(world):
    event, _organiser, (a, b, c, _d) = world
    r1 = _meet(event, a, b)
    c.sessions.clear()
    r2 = _meet(event, a, c)
    problem = agenda.build_problem(event)
    slot_ids = set(event.sessions.get().slots.values_list("pk", flat=True))
    assert {s.capacity for s in problem.slots} == {2}
    assert {r.id for r in problem.requests} == {r1.pk, r2.pk}
    assert problem.available[a.pk] == slot_ids
    assert problem.available[c.pk] == frozenset()
    assert problem.max_meetings[a.pk] == event.max_meetings_per_participant


def test_schedule_lock_publish_and_tell_each_person_what_changed(
    world, django_capture_on_commit_callbacks
):
    event, organiser, (a, b, c, d) = world
    ab, cd = _meet(event, a, b), _meet(event, c, d)
    draft = agenda.agenda_schedule_all(event=event, actor=organiser)
    assert draft.status == AgendaStatus.DRAFT
    assert set(draft.entries.values_list("request_id", flat=True)) == {ab.pk, cd.pk}
    assert draft.upper_bound >= draft.objective > 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = agenda.agenda_publish(version=draft, actor=organiser)
    assert set(told) == {a.pk, b.pk, c.pk, d.pk}
    assert all(line.startswith("New meeting") for lines in told.values() for line in lines)
    assert Meeting.objects.count() == 2 and Booking.objects.count() == 4
    assert len(mail.outbox) == 4
    entry_ab = draft.entries.get(request=ab)
    meeting_ab = Meeting.objects.get(request=ab).pk

    # Lock a–b; c cancels; a new a–c meeting comes; only the people concerned are told.
    second = agenda.agenda_schedule_all(event=event, actor=organiser)
    agenda.agenda_entry_lock(entry=second.entries.get(request=ab), actor=organiser, locked=True)
    services.meeting_request_cancel(request=cd, actor=c.user)
    ac = _meet(event, a, c)
    third = agenda.agenda_schedule_all(event=event, actor=organiser)
    assert third.entries.get(request=ab).locked
    assert third.entries.get(request=ab).slot_id == entry_ab.slot_id
    assert third.entries.get(request=ab).table_id == entry_ab.table_id
    told = agenda.agenda_publish(version=third, actor=organiser)
    assert b.pk not in told  # nothing changed for b
    assert any("Removed" in line for line in told[d.pk])
    assert any("New meeting" in line for line in told[c.pk])
    assert Meeting.objects.filter(request=ac).exists()
    assert Meeting.objects.get(request=ab).pk == meeting_ab  # unchanged meetings keep their row
    assert not Meeting.objects.filter(request=cd).exists()
    draft.refresh_from_db()
    assert draft.status == AgendaStatus.SUPERSEDED


def test_publishing_a_draft_with_a_cancelled_meeting_is_refused(world):
    event, organiser, (a, b, _c, _d) = world
    ab = _meet(event, a, b)
    draft = agenda.agenda_schedule_all(event=event, actor=organiser)
    services.meeting_request_cancel(request=ab, actor=a.user)
    with pytest.raises(ValidationError, match="was cancelled since"):
        agenda.agenda_publish(version=draft, actor=organiser)
    assert not Meeting.objects.exists()


def test_unscheduled_requests_and_long_gaps_are_warnings(world):
    event, organiser, (a, b, c, _d) = world
    ab, ac = _meet(event, a, b), _meet(event, a, c)
    slot = event.sessions.get().slots.first()
    draft = agenda.agenda_draft_create(
        event=event,
        actor=organiser,
        assignment={ab.pk: slot.pk},
        unscheduled=[(ac.pk, "no common free slot")],
        gaps={a.pk: 4, b.pk: 1},
        upper_bound=2.0,
        objective=1.0,
    )
    kinds = [(w["type"], w.get("request_id") or w.get("participant_id")) for w in draft.warnings]
    assert kinds == [("unscheduled", ac.pk), ("long_gap", a.pk)]
    assert "no common free slot" in draft.warnings[0]["message"]
    assert draft.ratio == 0.5


def test_the_table_assignment_never_overfills_a_slot(world):
    event, _organiser, _people = world
    slot = event.sessions.get().slots.first()
    tables = agenda.assign_tables(event, {1: slot.pk, 2: slot.pk})
    assert len(set(tables.values())) == 2
    with pytest.raises(ValidationError, match="more meetings in a slot than there are tables"):
        agenda.assign_tables(event, {1: slot.pk, 2: slot.pk, 3: slot.pk})
