import pytest

from clustercollab.matching.index import forget_loaded
from clustercollab.matching.selectors import query_vector


@pytest.fixture
def embedding_on_save(settings):
    """Embed on save (the root conftest switches it off for every other app's tests)."""
    settings.MATCHING_EMBED_ON_SAVE = True
    forget_loaded()
    yield
    forget_loaded()
    query_vector.cache_clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs the on-commit work (the embedding task) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
