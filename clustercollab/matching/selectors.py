"""What other apps ask of matching: nearest neighbours by meaning.

Kinds name what was embedded, after the model: "organisation", "news", "event", "fundingcall",
"successstory", "partnerpost" (see ``texts.KINDS``). Until vectors exist for a kind every
function answers "nothing", so callers fall back to full text alone.
"""

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from clustercollab.matching import pgvector
from clustercollab.matching.encoders import centred, encoder_name, get_encoder, passage_mean
from clustercollab.matching.index import VectorMatrix, current_version, from_bytes, matrix
from clustercollab.matching.models import Embedding


def _matrix(kind: str) -> VectorMatrix | None:
    loaded = matrix(kind, encoder_name())
    return loaded if loaded is not None and len(loaded) else None


def vectors_ready(kind: str) -> bool:
    """Whether vectors exist for ``kind``, so that results by meaning can be offered."""
    if pgvector.available():
        return Embedding.objects.filter(kind=kind, model=encoder_name()).exists()
    return _matrix(kind) is not None


def vectors_version(kind: str) -> tuple | None:
    """What identifies the current vectors of ``kind`` (None: none yet): part of the key of any
    cached answer by meaning, so that new vectors replace a "words only" answer."""
    return current_version(kind, encoder_name())


@lru_cache(maxsize=512)
def query_vector(text: str, *, centre: bool = True) -> np.ndarray:
    """A search query's vector, centred like the stored ones (kept: paging through results
    asks for the same query again)."""
    encoder = get_encoder()
    vector = encoder.encode_queries([text])[0]
    if centre:  # pgvector keeps raw vectors: its queries stay raw too
        vector = centred(vector, passage_mean(encoder.name))
    vector.setflags(write=False)
    return vector


def nearest_to_text(
    kind: str,
    text: str,
    *,
    limit: int = 100,
    among: Sequence[int] | None = None,
    min_similarity: float | None = None,
) -> list[tuple[int, float]]:
    """Objects of ``kind`` nearest to a search query: ``(id, cosine similarity)``, best first.

    ``among`` restricts the answer to those ids (a filtered result set); ``min_similarity``
    drops weaker neighbours.
    """
    text = " ".join(text.split())[:500]
    if not text or not vectors_ready(kind):
        return []
    if pgvector.available():
        return pgvector.nearest(
            kind,
            encoder_name(),
            query_vector(text, centre=False),
            limit=limit,
            among=among,
            min_similarity=min_similarity,
        )
    return _matrix(kind).top(
        query_vector(text), limit=limit, among=among, min_similarity=min_similarity
    )


def nearest_to_object(
    kind: str, object_id: int, *, limit: int = 100, among: Sequence[int] | None = None
) -> list[tuple[int, float]]:
    """Objects of ``kind`` nearest to the stored vector of one object, excluding it."""
    vector = stored_vector(kind, object_id)
    if vector is None:
        return []
    return nearest_to_vector(kind, vector, limit=limit, among=among, exclude=[object_id])


def nearest_to_vector(
    kind: str,
    vector: np.ndarray,
    *,
    limit: int = 100,
    among: Sequence[int] | None = None,
    exclude: Sequence[int] = (),
) -> list[tuple[int, float]]:
    """Objects of ``kind`` nearest to a vector of another kind (a post's, a profile's…)."""
    if not vectors_ready(kind):
        return []
    if pgvector.available():
        return pgvector.nearest(
            kind, encoder_name(), vector, limit=limit, among=among, exclude=exclude
        )
    return _matrix(kind).top(vector, limit=limit, among=among, exclude=exclude)


def stored_vector(kind: str, object_id: int) -> np.ndarray | None:
    """The vector of one object, if it has one."""
    if pgvector.available():
        row = Embedding.objects.filter(kind=kind, model=encoder_name(), object_id=object_id)
        data = row.values_list("vector", flat=True).first()
        return from_bytes(data) if data is not None else None  # pgvector: raw cosine
    loaded = _matrix(kind)
    return loaded.vector_of(object_id) if loaded is not None else None
