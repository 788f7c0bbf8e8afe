"""Many simultaneous bookings on PostgreSQL: no taken table, no double-booked person; many
simultaneous "schedule all" presses start one run.

Each attempt runs in its own thread with its own database connection and starts at the same
moment (a barrier). SQLite serialises every write, so there is nothing to race there.
"""

import threading
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from clustercollab.core.models import Country
from clustercollab.matchmaking import agenda, services
from clustercollab.matchmaking.models import Booking, Meeting, SchedulingMode, SchedulingRun
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant
from clustercollab.organisations.tests.factories import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL"),
]
ATTEMPTS = 50


@pytest.fixture(autouse=True)
def _taxonomies():
    """A transactional test's flush also wipes the taxonomies loaded once per session."""
    if not Country.objects.exists():
        call_command("load_taxonomies", verbosity=0)


def _race(event, slot, pairs) -> tuple[int, int, list]:
    barrier = threading.Barrier(len(pairs))
    results, lock = {"ok": 0, "refused": 0, "errors": []}, threading.Lock()

    def attempt(a, b):
        try:
            barrier.wait()
            services.meeting_request_create(
                event=event,
                requester=a,
                recipient=b,
                actor=a.user,
                message="Meet?",
                slot=slot,
                now=IN_BOOKING,
            )
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 – any other error fails the test below
            with lock:
                results["errors"].append(repr(error))
            return
        finally:
            connection.close()
        with lock:
            results[outcome] += 1

    threads = [threading.Thread(target=attempt, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results["ok"], results["refused"], results["errors"]


def _assert_consistent(event):
    for slot_id, table_id in Meeting.objects.values_list("slot_id", "table_id"):
        assert Meeting.objects.filter(slot_id=slot_id, table_id=table_id).count() == 1
    for meeting in Meeting.objects.all():
        people = {meeting.request.requester_id, meeting.request.recipient_id}
        assert set(meeting.bookings.values_list("participant_id", flat=True)) == people
    seen = list(Booking.objects.values_list("participant_id", "slot_id"))
    assert len(seen) == len(set(seen))


def test_fifty_pairs_racing_for_four_tables_get_exactly_four():
    event = make_event(scheduling_mode=SchedulingMode.PARTICIPANTS_PICK, tables=4, slots=1)
    people = [make_participant(event) for _ in range(2 * ATTEMPTS)]
    slot = event.sessions.get().slots.get()
    pairs = [(people[2 * i], people[2 * i + 1]) for i in range(ATTEMPTS)]
    ok, refused, errors = _race(event, slot, pairs)
    assert errors == []
    assert (ok, refused) == (4, ATTEMPTS - 4)
    assert Meeting.objects.filter(slot=slot).count() == 4
    assert event.meeting_requests.count() == 4  # the refused requests left nothing behind
    _assert_consistent(event)


def test_fifty_requests_to_one_person_in_one_slot_book_them_once():
    event = make_event(scheduling_mode=SchedulingMode.PARTICIPANTS_PICK, tables=60, slots=1)
    star = make_participant(event)
    others = [make_participant(event) for _ in range(ATTEMPTS)]
    slot = event.sessions.get().slots.get()
    ok, refused, errors = _race(event, slot, [(other, star) for other in others])
    assert errors == []
    assert (ok, refused) == (1, ATTEMPTS - 1)
    assert Booking.objects.filter(participant=star).count() == 1
    _assert_consistent(event)


def test_ten_organisers_pressing_schedule_all_at_once_start_one_run(monkeypatch):
    no_worker = SimpleNamespace(run_scheduler=SimpleNamespace(enqueue=lambda **kwargs: None))
    monkeypatch.setattr(agenda, "tasks", no_worker)
    event = make_event(tables=2, slots=2)
    organisers = [make_user(staff=True) for _ in range(10)]
    barrier = threading.Barrier(len(organisers))
    outcomes, lock = [], threading.Lock()

    def press(user):
        try:
            barrier.wait()
            agenda.scheduling_run_start(event=event, actor=user)
            outcome = "started"
        except ValidationError as error:
            outcome = "refused" if "already under way" in str(error) else repr(error)
        except Exception as error:  # noqa: BLE001 – any other error fails the test below
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=press, args=(user,)) for user in organisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 9 + ["started"]
    assert SchedulingRun.objects.filter(event=event).count() == 1
