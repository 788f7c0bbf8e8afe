"""What other apps ask of matching: nearest neighbours by meaning.

Kinds name what was embedded: "organisation", "news", "event", "fundingcall", "partnerpost"…
Until vectors exist for a kind every function answers "nothing", so callers fall back to full
text alone.
"""

from collections.abc import Sequence


def vectors_ready(kind: str) -> bool:
    """Whether vectors exist for ``kind``, so that results by meaning can be offered."""
    return False


def nearest_to_text(
    kind: str, text: str, *, limit: int = 100, among: Sequence[int] | None = None
) -> list[tuple[int, float]]:
    """Objects of ``kind`` nearest to a search query: ``(id, cosine similarity)``, best first.

    ``among`` restricts the answer to those ids (a filtered result set).
    """
    return []


def nearest_to_object(
    kind: str, object_id: int, *, limit: int = 100, among: Sequence[int] | None = None
) -> list[tuple[int, float]]:
    """Objects of ``kind`` nearest to the stored vector of one object, excluding it."""
    return []
