"""Writing vectors: embed objects whose text changed, forget objects that are no longer public."""

from collections.abc import Iterable, Iterator, Sequence

from django.db.models import Model
from tqdm import tqdm

from clustercollab.matching import pgvector
from clustercollab.matching.encoders import Encoder, get_encoder
from clustercollab.matching.index import to_bytes, vectors_changed
from clustercollab.matching.models import Embedding
from clustercollab.matching.texts import KINDS, text_hash


def embed_objects(
    kind_name: str, objects: Sequence[Model], *, encoder: Encoder | None = None
) -> int:
    """Embed those of ``objects`` whose text (or the encoder) changed; return how many."""
    if not objects:
        return 0
    kind = KINDS[kind_name]
    encoder = encoder or get_encoder()
    texts = {obj.pk: kind.text(obj) for obj in objects}
    hashes = {pk: text_hash(text) for pk, text in texts.items()}
    current = dict(
        Embedding.objects.filter(
            kind=kind_name, model=encoder.name, object_id__in=list(texts)
        ).values_list("object_id", "text_hash")
    )
    stale = [pk for pk in texts if current.get(pk) != hashes[pk]]
    if not stale:
        return 0
    vectors = encoder.encode_passages([texts[pk] for pk in stale])
    Embedding.objects.bulk_create(
        [
            Embedding(
                kind=kind_name,
                object_id=pk,
                model=encoder.name,
                text_hash=hashes[pk],
                vector=to_bytes(vector),
            )
            for pk, vector in zip(stale, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["kind", "model", "object_id"],
        update_fields=["text_hash", "vector", "updated_at"],
    )
    if pgvector.available():
        pgvector.store(kind_name, encoder.name, zip(stale, vectors, strict=True))
    vectors_changed(kind_name, encoder.name)
    return len(stale)


def remove_vectors(kind_name: str, object_ids: Iterable[int]) -> int:
    """Forget the vectors (of every encoder) of objects that were deleted or left public view."""
    object_ids = list(object_ids)
    rows = Embedding.objects.filter(kind=kind_name, object_id__in=object_ids)
    models = set(rows.values_list("model", flat=True))
    deleted, _ = rows.delete()
    if deleted and pgvector.available():
        pgvector.remove(kind_name, list(object_ids))
    for model in models:
        vectors_changed(kind_name, model)
    return deleted


def embed_object(kind_name: str, object_id: int) -> str:
    """Bring one object's vector up to date: "embedded", "unchanged" or "removed"."""
    kind = KINDS[kind_name]
    obj = kind.public_objects().filter(pk=object_id).first()
    if obj is None:
        remove_vectors(kind_name, [object_id])
        return "removed"
    return "embedded" if embed_objects(kind_name, [obj]) else "unchanged"


def _batches(kind_name: str, batch_size: int) -> Iterator[list[Model]]:
    public = KINDS[kind_name].public_objects().order_by("pk")
    last = 0
    while True:
        batch = list(public.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def embed_kind(
    kind_name: str,
    *,
    batch_size: int = 64,
    show_progress: bool = False,
    max_embedded: int | None = None,
) -> dict:
    """(Re)embed every public object of a kind, in batches; objects whose text hash and encoder
    are current are skipped, so an interrupted run resumes where it stopped. Vectors of objects
    no longer public are removed. With ``max_embedded`` it stops after about that many
    (``done`` is then false)."""
    kind = KINDS[kind_name]
    encoder = get_encoder()
    public_ids = kind.public_objects().values("pk")
    gone = Embedding.objects.filter(kind=kind_name).exclude(object_id__in=public_ids)
    removed = remove_vectors(kind_name, gone.values_list("object_id", flat=True))
    total = kind.public_objects().count()
    embedded, done = 0, True
    with tqdm(total=total, desc=kind_name, unit="text", disable=not show_progress) as progress:
        for batch in _batches(kind_name, batch_size):
            embedded += embed_objects(kind_name, batch, encoder=encoder)
            progress.update(len(batch))
            if max_embedded is not None and embedded >= max_embedded:
                done = False
                break
    return {
        "kind": kind_name,
        "public": total,
        "embedded": embedded,
        "removed": removed,
        "done": done,
    }
