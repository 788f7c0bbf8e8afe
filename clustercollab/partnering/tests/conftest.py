import pytest


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits():`` runs what the code inside enqueued on commit (the e-mail tasks)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
