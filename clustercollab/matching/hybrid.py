"""Hybrid retrieval: a list's full-text ranking fused with the ranking by meaning.

Callers filter first (every filter but the words), then hand the filtered queryset, the words
and their own full-text search to ``ranked_by_meaning``. The vector neighbours are restricted to
the filtered ids, so filters apply to both rankings. Until the kind has vectors it answers
``None`` and the caller searches by words alone (and says so).
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Value, When

from clustercollab.matching.fusion import fuse_rankings
from clustercollab.matching.selectors import nearest_to_text, vectors_ready

# How many of each ranking are fused: the first pages of results come from them.
CANDIDATES = 200
# The signals' weights in the fusion (bench/matching_eval.py compares choices).
WEIGHTS = {"text": 1.0, "vector": 1.0}


def kind_of_queryset(queryset: QuerySet) -> str:
    return queryset.model._meta.model_name


def among_ids(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """The rows of ``queryset`` among ``ids``; for no ids a condition that still compiles to SQL
    (``none()`` would make the SQL of counts and facets raise EmptyResultSet)."""
    return queryset.filter(pk__in=ids) if ids else queryset.filter(pk__isnull=True)


def in_order(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """The rows of ``queryset`` among ``ids``, in the order of ``ids``."""
    if not ids:
        return among_ids(queryset, ids)
    position = Case(
        *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ids).annotate(meaning_rank=position).order_by("meaning_rank")


def fused_ids(
    queryset: QuerySet,
    text: str,
    *,
    text_search: Callable[[QuerySet, str], QuerySet],
    restrict: bool = True,
) -> list[int] | None:
    """Ids of the best matches of ``text`` in ``queryset`` by words and by meaning, best first;
    ``None`` when the kind has no vectors yet. ``restrict=False`` skips reading the filtered ids
    when the queryset is every public object (all of them have vectors)."""
    kind = kind_of_queryset(queryset)
    if not vectors_ready(kind):
        return None
    by_words = list(text_search(queryset, text).values_list("pk", flat=True)[:CANDIDATES])
    among = list(queryset.order_by().values_list("pk", flat=True)) if restrict else None
    return [pk for pk, _score in fused_with_words(kind, text, by_words, among=among)]


def fused_with_words(
    kind: str, text: str, by_words: list[int], *, among: list[int] | None
) -> list[tuple[int, float]]:
    """Fuse a full-text ranking (ids, best first) with the neighbours of ``text`` by meaning
    among ``among`` (None: every object of the kind): ``(id, score)``, best first. The caller
    checks ``vectors_ready(kind)`` first."""
    by_meaning = [
        pk
        for pk, _similarity in nearest_to_text(
            kind,
            text,
            limit=CANDIDATES,
            among=among,
            min_similarity=settings.MATCHING_MIN_SIMILARITY,
        )
    ]
    return fuse_rankings({"text": by_words[:CANDIDATES], "vector": by_meaning}, weights=WEIGHTS)


def ranked_by_meaning(
    queryset: QuerySet,
    text: str,
    *,
    text_search: Callable[[QuerySet, str], QuerySet],
    restrict: bool = True,
) -> QuerySet | None:
    """``queryset`` narrowed to the fused matches of ``text``, best first (None: no vectors)."""
    ids = fused_ids(queryset, text, text_search=text_search, restrict=restrict)
    return None if ids is None else in_order(queryset, ids)


def searched(
    queryset: QuerySet,
    text: str,
    *,
    meaning: bool,
    text_search: Callable[[QuerySet, str], QuerySet],
) -> QuerySet:
    """The filtered ``queryset`` searched for ``text``: by words, or with ``meaning`` by words
    and meaning fused (words alone until the kind has vectors: ``meaning_unavailable``)."""
    if not text:
        return queryset
    if meaning:
        ranked = ranked_by_meaning(queryset, text, text_search=text_search)
        if ranked is not None:
            return ranked
    return text_search(queryset, text)


def meaning_unavailable(kind: str, *, text: str, meaning: bool) -> bool:
    """Whether a search asks for a match by meaning that cannot be given yet (no vectors)."""
    return bool(text and meaning) and not vectors_ready(kind)
