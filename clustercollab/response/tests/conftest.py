import pytest
from django.core.management import call_command


@pytest.fixture
def taxonomies(transactional_db) -> None:
    """Reload the taxonomies: a transactional test before this one may have flushed them."""
    call_command("load_taxonomies", verbosity=0)
