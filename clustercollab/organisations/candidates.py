"""The text step of a directory query: which profiles match the words, and how well.

``text_candidates(text)`` is the seam between the text search and the directory's in-memory
index (directory_index.py): it returns the ids of every published profile the words match,
with the relevance score the ORM search (search.py) orders by. A fused ranking (lexical and
semantic, see ``clustercollab.matching.fusion``) can take its place as long as it returns the
same shape: ids and a score where higher is better.

The matching is exactly search.py's: FTS5 with bm25 on SQLite; the weighted ``tsvector`` with
``ts_rank`` on PostgreSQL, or trigram word similarity when the words match no profile at all.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connections

from clustercollab.organisations.search import (
    _WORD,
    FTS_COLUMNS,
    PG_RANK_WEIGHTS,
    SEARCH_TABLE,
    TRIGRAM_FALLBACK_BELOW,
    _fts5_query,
    _pg_tsquery_params,
    _pg_tsquery_sql,
)


@dataclass(frozen=True)
class TextCandidates:
    """Matching profile ids and their scores (same order; higher is better)."""

    ids: np.ndarray
    scores: np.ndarray


def normalised_text(text: str) -> str:
    return " ".join(text.split())


def has_words(text: str) -> bool:
    """Whether ``text`` searches anything (only punctuation leaves the results unfiltered)."""
    return bool(_WORD.search(text))


def _fetch(using: str, sql: str, params: list) -> TextCandidates:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    return TextCandidates(ids=ids, scores=scores)


def text_candidates(text: str, *, using: str = "default") -> TextCandidates:
    """Every profile in the search index matching ``text`` (normalised, with words)."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        weights = ", ".join(str(weight) for _name, weight in FTS_COLUMNS)
        return _fetch(
            using,
            f"SELECT rowid, -bm25({SEARCH_TABLE}, {weights}) FROM {SEARCH_TABLE} "
            f"WHERE {SEARCH_TABLE} MATCH %s",
            [_fts5_query(text)],
        )
    if vendor != "postgresql":
        raise NotImplementedError("Search needs SQLite or PostgreSQL.")
    found = _fetch(
        using,
        f"SELECT rowid, ts_rank('{PG_RANK_WEIGHTS}', {SEARCH_TABLE}, {_pg_tsquery_sql()}, 1) "
        f"FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} @@ {_pg_tsquery_sql()}",
        [*_pg_tsquery_params(text), *_pg_tsquery_params(text)],
    )
    if len(found.ids) >= TRIGRAM_FALLBACK_BELOW:
        return found
    # No word matched anything (a typo): profiles with a similar word instead.
    return _fetch(
        using,
        f"SELECT rowid, word_similarity((SELECT unaccent(lower(%s))), words) "
        f"FROM {SEARCH_TABLE} WHERE (SELECT unaccent(lower(%s))) <%% words",
        [text, text],
    )
