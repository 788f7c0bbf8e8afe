import pytest
from django.db import connection

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user


@pytest.fixture
def editor(db):
    return make_user("editor@cluster.example.org")


@pytest.fixture
def organisation(editor):
    return make_organisation(editors=[editor], status=ModerationStatus.PUBLISHED)


@pytest.fixture
def staff(db):
    return make_user("moderator@platform.example.org", staff=True)


def stored_files(settings) -> list:
    """Every file under MEDIA_ROOT (each test has its own)."""
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Run on-commit callbacks (e-mails, deleting replaced files) at once: tests run inside a
    transaction that never commits."""
    monkeypatch.setattr(connection, "on_commit", lambda func, robust=False: func())
