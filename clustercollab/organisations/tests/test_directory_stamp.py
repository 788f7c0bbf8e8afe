"""The directory stamp on PostgreSQL: profile writers never queue behind each other for it,
and a long change log is emptied without ever bringing back a stamp taken before.

Each writer runs in its own thread with its own connection. SQLite serialises every write
anyway (IMMEDIATE transactions), so there is nothing to race there.
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.directory_index import (
    DIRECTORY_STAMP,
    directory_index,
    directory_stamp,
)
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="writers race on PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _taxonomies():
    """A transactional test's flush also wipes the taxonomies loaded once per session."""
    if not Country.objects.exists():
        call_command("load_taxonomies", verbosity=0)


def _changes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DIRECTORY_STAMP.changes_table}")
        return cursor.fetchone()[0]


def test_a_profile_save_does_not_wait_for_another_open_transaction_writing_profiles():
    published = ModerationStatus.PUBLISHED
    first = make_organisation(name="Test Long Writer", status=published)
    second = make_organisation(name="Test Quick Writer", status=published)
    before = directory_stamp()
    writing, finish, errors = threading.Event(), threading.Event(), []

    def long_writer() -> None:
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk=first.pk).update(city="Test Long City")
                writing.set()
                finish.wait(20)
        except Exception as error:  # noqa: BLE001 – any error fails the test
            errors.append(repr(error))
        finally:
            connection.close()

    thread = threading.Thread(target=long_writer)
    thread.start()
    try:
        assert writing.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Organisation.objects.filter(pk=second.pk).update(city="Test Quick City")
        while_open = directory_stamp()
    finally:
        finish.set()
        thread.join()
    assert errors == []
    after = directory_stamp()
    assert len({before, while_open, after}) == 3
    cities = dict(
        Organisation.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "city")
    )
    assert cities == {first.pk: "Test Long City", second.pk: "Test Quick City"}


def test_a_long_change_log_is_emptied_by_the_next_rebuild(monkeypatch):
    monkeypatch.setattr(DIRECTORY_STAMP, "prune_above", 3)
    organisation = make_organisation(name="Test Logged Writes", status=ModerationStatus.PUBLISHED)
    seen = set()
    for number in range(5):
        Organisation.objects.filter(pk=organisation.pk).update(city=f"Test City {number}")
        seen.add(directory_stamp())
    assert len(seen) == 5 and _changes() > 3
    index = directory_index()
    assert _changes() == 0
    assert index.stamp == directory_stamp() and index.stamp not in seen
    assert organisation.pk in index.ids.tolist()
