"""Background jobs of the weekly digest: thin wrappers around the services."""

from django_tasks import task

from clustercollab.content.follows.services import digest_send, digests_due


@task()
def send_digest(*, user_id: int) -> bool:
    """Send one member's digest if it is due and not empty."""
    return digest_send(user_id=user_id)


@task()
def enqueue_digests() -> int:
    """Enqueue one ``send_digest`` per member whose digest is due; return how many."""
    user_ids = digests_due()
    # Nothing is written here, so there is no commit to wait for.
    for user_id in user_ids:
        send_digest.enqueue(user_id=user_id)
    return len(user_ids)
