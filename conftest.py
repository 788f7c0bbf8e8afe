import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real taxonomies (countries, NUTS, ecosystems, NACE) once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_taxonomies", verbosity=0)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in English: a request in another language leaves it active."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MATCHING_EMBED_ON_SAVE = False  # the matching tests switch it on
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests read the directory view's context, which a remembered fragment does not have; the
    # tests of that cache turn it on.
    settings.DIRECTORY_FRAGMENT_CACHE_SIZE = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
