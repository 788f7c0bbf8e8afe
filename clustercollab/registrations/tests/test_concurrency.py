"""Many simultaneous registrations and cancellations on PostgreSQL: no mode ever holds more
people than its places, the waiting list is served in arrival order, nobody registers twice.

Each attempt runs in its own thread with its own connection and starts at the same moment (a
barrier). SQLite serialises every write (IMMEDIATE transactions), so there is nothing to race.
"""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from clustercollab.core.models import Country
from clustercollab.registrations import services
from clustercollab.registrations.models import Registration, RegistrationStatus
from clustercollab.registrations.tests.factories import make_event, open_registration, people

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL"),
]
ON_SITE_PLACES, ONLINE_PLACES = 7, 5
PER_MODE = 20


@pytest.fixture(autouse=True)
def _taxonomies():
    """A transactional test's flush also wipes the taxonomies loaded once per session."""
    if not Country.objects.exists():
        call_command("load_taxonomies", verbosity=0)


def _race(attempts: list[Callable[[], object]]) -> tuple[int, int, list[str]]:
    barrier = threading.Barrier(len(attempts))
    results, lock = {"ok": 0, "refused": 0, "errors": []}, threading.Lock()

    def run(attempt: Callable[[], object]) -> None:
        try:
            barrier.wait()
            attempt()
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 – any other error fails the test
            with lock:
                results["errors"].append(repr(error))
            return
        finally:
            connection.close()
        with lock:
            results[outcome] += 1

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results["ok"], results["refused"], results["errors"]


def _count(event, mode: str, status: str) -> int:
    return Registration.objects.filter(event=event, mode=mode, status=status).count()


def test_capacity_per_mode_holds_under_concurrent_registrations_and_cancellations():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=ON_SITE_PLACES, online=ONLINE_PLACES)
    on_site_people, online_people = people(PER_MODE), people(PER_MODE)
    attempts = [
        (lambda p=p, m=m: services.register(event=event, user=p, mode=m))
        for group, m in ((on_site_people, "on_site"), (online_people, "online"))
        for p in group
    ]
    ok, refused, errors = _race(attempts)
    assert (ok, refused, errors) == (2 * PER_MODE, 0, [])
    assert _count(event, "on_site", RegistrationStatus.REGISTERED) == ON_SITE_PLACES
    assert _count(event, "online", RegistrationStatus.REGISTERED) == ONLINE_PLACES
    assert _count(event, "on_site", RegistrationStatus.WAITING) == PER_MODE - ON_SITE_PLACES
    assert _count(event, "online", RegistrationStatus.WAITING) == PER_MODE - ONLINE_PLACES

    # Every on-site place is cancelled at once while ten newcomers register on site.
    queue = list(
        Registration.objects.filter(event=event, mode="on_site", status="waiting")
        .order_by("queued_at", "id")
        .values_list("user_id", flat=True)
    )
    holders = list(Registration.objects.filter(event=event, mode="on_site", status="registered"))
    newcomers = people(10)
    attempts = [(lambda r=r: services.cancel(registration=r, actor=r.user)) for r in holders] + [
        (lambda p=p: services.register(event=event, user=p, mode="on_site")) for p in newcomers
    ]
    ok, refused, errors = _race(attempts)
    assert (ok, refused, errors) == (len(attempts), 0, [])

    registered = set(
        Registration.objects.filter(event=event, mode="on_site", status="registered").values_list(
            "user_id", flat=True
        )
    )
    # The freed places went to the first in the queue; the newcomers wait behind the rest.
    assert registered == set(queue[:ON_SITE_PLACES])
    still_waiting = list(
        Registration.objects.filter(event=event, mode="on_site", status="waiting")
        .order_by("queued_at", "id")
        .values_list("user_id", flat=True)
    )
    assert still_waiting[: len(queue) - ON_SITE_PLACES] == queue[ON_SITE_PLACES:]
    assert set(still_waiting[len(queue) - ON_SITE_PLACES :]) == {p.pk for p in newcomers}
    assert _count(event, "online", RegistrationStatus.REGISTERED) == ONLINE_PLACES


def test_one_person_pressing_register_many_times_at_once_registers_once():
    event, organiser = make_event()
    open_registration(event, organiser, on_site=ON_SITE_PLACES, online=ONLINE_PLACES)
    (person,) = people(1)
    attempts = [
        (lambda: services.register(event=event, user=person, mode="on_site")) for _ in range(30)
    ]
    ok, refused, errors = _race(attempts)
    assert (ok, refused, errors) == (1, 29, [])
    assert Registration.objects.filter(event=event, user=person).count() == 1
