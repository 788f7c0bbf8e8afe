"""Background jobs of matching: embedding on save, and embedding everything after an import."""

from django_tasks import task

from clustercollab.matching import services
from clustercollab.matching.texts import KINDS


@task()
def embed_object(*, kind: str, object_id: int) -> str:
    return services.embed_object(kind, object_id)


@task()
def embed_all(*, kinds: list[str] | None = None, batch_size: int = 64) -> list[dict]:
    return [services.embed_kind(name, batch_size=batch_size) for name in kinds or list(KINDS)]
