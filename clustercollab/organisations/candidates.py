"""The text step of a directory query: which profiles match the words, and how well.

``text_candidates(text)`` is the seam between the text search and the directory's in-memory
index (directory_index.py): it returns the ids of every published profile the words match,
with the relevance score the ORM search (search.py) orders by. A fused ranking (lexical and
semantic, see ``clustercollab.matching.fusion``) can take its place as long as it returns the
same shape: ids and a score where higher is better.

The matching is exactly search.py's: FTS5 with bm25 on SQLite; the weighted ``tsvector`` with
``ts_rank`` on PostgreSQL, or the closest vocabulary words when the words match no profile at
all.
Ranking costs several times more than matching (bm25 and ts_rank read every match), so it is
only done when the results are sorted by relevance.

The candidates of a text depend on nothing but the text and the directory's content, while one
visitor changes filters, sort and page under the same words: each process keeps the last
``DIRECTORY_TEXT_CACHE_SIZE`` answers, keyed by the directory stamp (see directory_index.py),
so any change to the directory makes them unusable at once.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connections

from clustercollab.organisations.directory_index import RecentAnswers
from clustercollab.organisations.search import (
    _WORD,
    FTS_COLUMNS,
    PG_RANK_WEIGHTS,
    SEARCH_TABLE,
    TRIGRAM_FALLBACK_BELOW,
    _fts5_query,
    _pg_tsquery_params,
    _pg_tsquery_sql,
    pg_similar_tsquery_sql,
)


@dataclass(frozen=True)
class TextCandidates:
    """Matching profile ids and their scores (same order; higher is better), if ranked."""

    ids: np.ndarray
    scores: np.ndarray | None


def normalised_text(text: str) -> str:
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """Whether ``text`` searches anything (only punctuation leaves the results unfiltered)."""
    return bool(_WORD.search(text))


def _fetch(using: str, sql: str, params: list, *, ranked: bool) -> TextCandidates:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    if not ranked:
        return TextCandidates(ids=ids, scores=None)
    scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    return TextCandidates(ids=ids, scores=scores)


def _search(text: str, *, ranked: bool, using: str) -> TextCandidates:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        weights = ", ".join(str(weight) for _name, weight in FTS_COLUMNS)
        rank = f", -bm25({SEARCH_TABLE}, {weights})" if ranked else ""
        return _fetch(
            using,
            f"SELECT rowid{rank} FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s",
            [_fts5_query(text)],
            ranked=ranked,
        )
    if vendor != "postgresql":
        raise NotImplementedError("Search needs SQLite or PostgreSQL.")
    rank = f", ts_rank('{PG_RANK_WEIGHTS}', {SEARCH_TABLE}, {_pg_tsquery_sql()}, 1)"
    found = _fetch(
        using,
        f"SELECT rowid{rank if ranked else ''} FROM {SEARCH_TABLE} "
        f"WHERE {SEARCH_TABLE} @@ {_pg_tsquery_sql()}",
        [*(_pg_tsquery_params(text) if ranked else []), *_pg_tsquery_params(text)],
        ranked=ranked,
    )
    if len(found.ids) >= TRIGRAM_FALLBACK_BELOW:
        return found
    # No word matched anything (a typo): profiles with the closest words instead.
    similar = pg_similar_tsquery_sql()
    rank = f", ts_rank('{PG_RANK_WEIGHTS}', {SEARCH_TABLE}, {similar}, 1)" if ranked else ""
    return _fetch(
        using,
        f"SELECT rowid{rank} FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} @@ {similar}",
        [text, text] if ranked else [text],
        ranked=ranked,
    )


_recent = RecentAnswers("DIRECTORY_TEXT_CACHE_SIZE")


def text_candidates(
    text: str, *, ranked: bool = True, stamp: int | None = None, using: str = "default"
) -> TextCandidates:
    """Every profile in the search index matching ``text`` (normalised, with words).

    ``ranked``: with the relevance score of each. ``stamp``: the directory stamp the answer
    may be remembered under (None: not remembered).
    """
    if stamp is None:
        return _search(text, ranked=ranked, using=using)
    for key in ((using, stamp, text, True), (using, stamp, text, ranked)):
        found = _recent.get(key)
        if found is not None:
            return found
    found = _search(text, ranked=ranked, using=using)
    _recent.put((using, stamp, text, ranked), found)
    return found


def forget_text_candidates() -> None:
    _recent.clear()
