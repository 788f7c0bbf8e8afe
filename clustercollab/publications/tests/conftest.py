import pytest

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
