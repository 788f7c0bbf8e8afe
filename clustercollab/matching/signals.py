"""Keep vectors current: every save of an embedded kind enqueues its re-embedding (the task
skips unchanged texts); a deletion forgets the vector at once."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from clustercollab.matching.texts import KINDS


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not settings.MATCHING_EMBED_ON_SAVE:
        return
    from clustercollab.matching import tasks

    kind, pk = sender._meta.model_name, instance.pk
    transaction.on_commit(lambda: tasks.embed_object.enqueue(kind=kind, object_id=pk))


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    from clustercollab.matching.services import remove_vectors

    remove_vectors(sender._meta.model_name, [instance.pk])


def connect() -> None:
    for kind in KINDS.values():
        post_save.connect(_saved, sender=kind.model, dispatch_uid=f"matching-embed-{kind.name}")
        post_delete.connect(
            _deleted, sender=kind.model, dispatch_uid=f"matching-forget-{kind.name}"
        )
