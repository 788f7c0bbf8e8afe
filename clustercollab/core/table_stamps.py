"""Table stamps: a number that changes with every committed write to a group of tables.

A process that keeps something built from those tables (the directory index, the partner
graph) reads the stamp, one tiny query whatever the tables' size, and rebuilds when it differs
from the one it built from. Database triggers renew it, so bulk writes that send no Django
signal and writes from other processes count too.

- SQLite (one writer at a time anyway): the triggers set a one-row table to a new random value.
  Random rather than a counter, so that a rolled-back write can never make an old value stand
  for new data.
- PostgreSQL: writers must not queue on one row (a long import would hold it to its commit and
  stall every other writer; two multi-row writers could deadlock), so each writing statement
  *inserts* a row into a change log instead, and the stamp is derived from the log's visible
  rows (count, sum and largest id) and the one-row table's generation. A transaction that took
  an id before another's commit changes the count when it commits in turn. When the log grows
  long, the next rebuild empties it and renews the generation (``read_for_rebuild``).
"""

from collections.abc import Callable

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

_PG_NEW_STAMP = "floor((random() - 0.5) * 9.0e18)::bigint"


class TableStamp:
    """The stamp of the tables ``tables()`` names, kept in ``<name>_stamp`` (and, on
    PostgreSQL, ``<name>_changes``) by triggers called ``<table>_<trigger>``."""

    def __init__(
        self,
        name: str,
        tables: Callable[[], list[str]],
        *,
        trigger: str,
        prune_above: int = 1000,
    ) -> None:
        self.stamp_table = f"{name}_stamp"
        self.changes_table = f"{name}_changes"
        self._tables = tables
        self._trigger = trigger
        self.prune_above = prune_above

    def _sqlite_statements(self) -> list[str]:
        statements = [
            f"CREATE TABLE IF NOT EXISTS {self.stamp_table} "
            "(id integer PRIMARY KEY CHECK (id = 1), stamp integer NOT NULL)",
            f"INSERT OR IGNORE INTO {self.stamp_table} (id, stamp) VALUES (1, random())",
        ]
        for table in self._tables():
            for operation in ("insert", "update", "delete"):
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_{self._trigger}_{operation} AFTER "
                    f"{operation.upper()} ON {table} BEGIN "
                    f"UPDATE {self.stamp_table} SET stamp = random() WHERE id = 1; END"
                )
        return statements

    def _pg_statements(self) -> list[str]:
        statements = [
            f"CREATE TABLE IF NOT EXISTS {self.stamp_table} "
            "(id integer PRIMARY KEY CHECK (id = 1), stamp bigint NOT NULL)",
            f"INSERT INTO {self.stamp_table} (id, stamp) VALUES (1, {_PG_NEW_STAMP}) "
            "ON CONFLICT DO NOTHING",
            f"CREATE TABLE IF NOT EXISTS {self.changes_table} (id bigserial PRIMARY KEY)",
            f"""CREATE OR REPLACE FUNCTION {self.stamp_table}_renew() RETURNS trigger
                LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {self.changes_table} DEFAULT VALUES;
                RETURN NULL;
            END $$""",
        ]
        for table in self._tables():
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_{self._trigger} ON {table}",
                f"CREATE TRIGGER {table}_{self._trigger} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {self.stamp_table}_renew()",
            ]
        return statements

    def install(self, connection: BaseDatabaseWrapper) -> None:
        """Create the stamp's tables and triggers (idempotent; after every migrate)."""
        if connection.vendor == "sqlite":
            statements = self._sqlite_statements()
        elif connection.vendor == "postgresql":
            statements = self._pg_statements()
        else:
            return
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def renew(self, using: str = "default") -> None:
        """A new stamp, for changes the triggers do not see."""
        connection = connections[using]
        new_stamp = "random()" if connection.vendor == "sqlite" else _PG_NEW_STAMP
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {self.stamp_table} SET stamp = {new_stamp} WHERE id = 1")

    def read(self, using: str = "default") -> int:
        """The current stamp (0 before ``install``)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT s.stamp, c.n, c.total, c.top FROM {self.stamp_table} s CROSS JOIN "
                    "(SELECT count(*) AS n, coalesce(sum(id), 0) AS total, "
                    f"coalesce(max(id), 0) AS top FROM {self.changes_table}) c WHERE s.id = 1"
                )
                row = cursor.fetchone()
                # Tuples of ints hash alike in every process (no hash randomisation for ints).
                return hash(tuple(int(part) for part in row)) if row else 0
            cursor.execute(f"SELECT stamp FROM {self.stamp_table} WHERE id = 1")
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def read_for_rebuild(self, using: str = "default") -> int:
        """The stamp a rebuild records as the one it was built from: ``read`` after emptying a
        long change log (PostgreSQL) under a new generation, so that the log, which every read
        counts, stays short. The new generation keeps every stamp taken before unique: a process
        that missed a change removed here can never find its old stamp again.
        """
        connection = connections[using]
        if connection.vendor == "postgresql":
            self._prune(connection)
        return self.read(using)

    def _prune(self, connection: BaseDatabaseWrapper) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {self.changes_table} "
                f"WHERE (SELECT count(*) FROM {self.changes_table}) > %s RETURNING 1) "
                f"UPDATE {self.stamp_table} SET stamp = {_PG_NEW_STAMP} "
                "WHERE id = 1 AND EXISTS (SELECT 1 FROM gone)",
                [self.prune_above],
            )
