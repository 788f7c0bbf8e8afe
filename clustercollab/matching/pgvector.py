"""Optional: nearest neighbours inside PostgreSQL with the pgvector extension.

Off unless ``MATCHING_USE_PGVECTOR`` is on and the database has the ``vector`` extension
(``CREATE EXTENSION vector``). The table ``matching_pgvector`` then mirrors the vectors of
``Embedding`` (written and deleted alongside them) and searches run in the database with the
cosine distance operator; otherwise the exact numpy index answers.
"""

from collections.abc import Iterable, Sequence

import numpy as np
from django.conf import settings
from django.db import connection

TABLE = "matching_pgvector"


def available() -> bool:
    if connection.vendor != "postgresql" or not settings.MATCHING_USE_PGVECTOR:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
        return cursor.fetchone() is not None


def _literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{value:.6f}" for value in np.asarray(vector, dtype=np.float32)) + "]"


def install(dim: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (kind varchar(40), model varchar(100), "
            f"object_id bigint, v vector({int(dim)}), PRIMARY KEY (kind, model, object_id))"
        )


def store(kind: str, model: str, rows: Iterable[tuple[int, np.ndarray]]) -> None:
    rows = list(rows)
    if not rows:
        return
    install(len(rows[0][1]))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (kind, model, object_id, v) VALUES (%s, %s, %s, %s::vector) "
            "ON CONFLICT (kind, model, object_id) DO UPDATE SET v = EXCLUDED.v",
            [(kind, model, object_id, _literal(vector)) for object_id, vector in rows],
        )


def remove(kind: str, object_ids: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT to_regclass('{TABLE}')")
        if cursor.fetchone()[0] is None:
            return
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE kind = %s AND object_id = ANY(%s)",
            [kind, list(object_ids)],
        )


def nearest(
    kind: str,
    model: str,
    query: np.ndarray,
    *,
    limit: int,
    among: Sequence[int] | None = None,
    exclude: Sequence[int] = (),
    min_similarity: float | None = None,
) -> list[tuple[int, float]]:
    conditions, params = ["kind = %s", "model = %s"], [kind, model]
    if among is not None:
        conditions.append("object_id = ANY(%s)")
        params.append(list(among))
    if exclude:
        conditions.append("NOT (object_id = ANY(%s))")
        params.append(list(exclude))
    literal = _literal(query)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, 1 - (v <=> %s::vector) FROM {TABLE} "
            f"WHERE {' AND '.join(conditions)} ORDER BY v <=> %s::vector LIMIT %s",
            [literal, *params, literal, limit],
        )
        rows = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
    if min_similarity is not None:
        rows = [(pk, score) for pk, score in rows if score >= min_similarity]
    return rows
