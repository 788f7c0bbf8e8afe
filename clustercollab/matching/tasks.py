"""Background jobs of matching: embedding on save, and embedding everything after an import."""

from django_tasks import task

from clustercollab.matching import services
from clustercollab.matching.texts import KINDS


@task()
def embed_object(*, kind: str, object_id: int) -> str:
    return services.embed_object(kind, object_id)


# One run of embed_all embeds at most this many texts, then queues the rest as a new task, so
# that e-mails and other jobs in the same worker wait minutes, not the hour a full import takes.
TEXTS_PER_RUN = 1000


@task()
def embed_all(*, kinds: list[str] | None = None, batch_size: int = 64) -> list[dict]:
    results = []
    for name in kinds or list(KINDS):
        result = services.embed_kind(name, batch_size=batch_size, max_embedded=TEXTS_PER_RUN)
        results.append(result)
        if not result["done"]:
            remaining = (kinds or list(KINDS))[len(results) - 1 :]
            embed_all.enqueue(kinds=remaining, batch_size=batch_size)
            break
    return results
