"""Full-text search over published organisation profiles, on SQLite and on PostgreSQL.

Public API:
- ``search_organisations(queryset, text)``: the profiles of ``queryset`` matching ``text``,
  annotated with ``search_rank`` (higher is better). Name and acronym hits rank first.
- ``install_search_structures(connection)``: create the index table and the triggers that keep it
  in sync (idempotent; run after every ``migrate``, also for the test database).
- ``rebuild_search_index(show_progress)``: refill the index from the organisations table.

The index lives in the table ``organisations_search`` (model ``SearchEntry``), one row per
*published* profile, keyed by the organisation id (``rowid``). Database triggers fill it on
every insert, update and delete of a profile, so saves, ``bulk_create``/``bulk_update`` of the
importer and ``QuerySet.update`` all keep it in sync without Python code.

- SQLite: an FTS5 table (``unicode61 remove_diacritics 2``: case- and accent-insensitive in every
  language) over name, acronym, keywords, offers, seeks, about and city; ``bm25`` with column
  weights ranks name hits first. The last word of a query also matches as a prefix.
- PostgreSQL: a ``tsvector`` weighted A (name, acronym), B (keywords, offers, seeks), C (about,
  city), built with ``unaccent`` under both the ``simple`` configuration and the configuration of
  the profile's ``about_language``; queries are ``websearch_to_tsquery`` under ``simple`` and the
  site languages. When the words match nothing at all (a typo), each word is replaced by the
  closest words (``pg_trgm`` similarity) of a vocabulary of every word of the profiles' names,
  acronyms, cities and keywords (table ``organisations_search_vocabulary``, filled by the same
  triggers), and the profiles are matched and ranked with those (``similar_tsquery``).
"""

import hashlib
import re
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection as default_connection
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, QuerySet
from tqdm import tqdm

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation, SearchEntry, SearchIndexField

SEARCH_TABLE = SearchEntry._meta.db_table
ORGANISATION_TABLE = Organisation._meta.db_table
PUBLISHED = ModerationStatus.PUBLISHED.value

# FTS5 columns and their bm25 weights: a name or acronym hit outweighs everything else.
FTS_COLUMNS = [
    ("name", 20.0),
    ("acronym", 20.0),
    ("keywords", 5.0),
    ("offers", 3.0),
    ("seeks", 3.0),
    ("about", 1.0),
    ("city", 2.0),
]

# PostgreSQL text-search configurations by profile language (only those PostgreSQL ships).
PG_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "tr": "turkish",
}
# Query configurations: exact words, plus the stemmers of the site's languages.
PG_QUERY_CONFIGS = ["simple", "english", "german", "finnish", "french"]
PG_RANK_WEIGHTS = "{0.01, 0.02, 0.05, 1.0}"
# Below this many full-text hits among all profiles, typo-tolerant matching takes over.
TRIGRAM_FALLBACK_BELOW = 1
VOCABULARY_TABLE = "organisations_search_vocabulary"
# A mistyped word stands for at most this many of the closest vocabulary words.
SIMILAR_WORDS = 20

_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(text: str) -> str:
    """Turn what a visitor typed into a safe FTS5 query: all words, the last one as a prefix.

    ``-word`` excludes a word, ``"two words"`` is a phrase and ``or`` between words means either.
    """
    parts: list[str] = []
    for match in re.finditer(r'(-?)"([^"]*)"|(-?)(\S+)', text):
        quoted = match.group(2) is not None
        negate = bool(match.group(1) or match.group(3))
        words = _WORD.findall(match.group(2) if quoted else match.group(4))
        if not words:
            continue
        if not quoted and len(words) == 1 and words[0].lower() == "or":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        phrase = '"' + " ".join(words) + '"'
        if negate and parts and parts[-1] != "OR":
            parts.append(f"NOT {phrase}")
        elif not negate:
            parts.append(phrase)
    while parts and parts[-1] == "OR":
        parts.pop()
    if parts and parts[-1].startswith('"') and " " not in parts[-1]:
        parts[-1] += "*"
    return " ".join(parts)


def _pg_tsquery_sql() -> str:
    queries = [
        f"websearch_to_tsquery('{config}'::regconfig, unaccent(%s))" for config in PG_QUERY_CONFIGS
    ]
    # A scalar subquery is computed once per statement; unaccent() (only STABLE) would else run
    # for every row that is ranked.
    return "(SELECT " + " || ".join(queries) + ")"


def _pg_tsquery_params(text: str) -> list[str]:
    return [text] * len(PG_QUERY_CONFIGS)


def pg_similar_tsquery_sql() -> str:
    """The query of a mistyped text (one parameter): its words' closest vocabulary words."""
    # A scalar subquery, computed once per statement (see _pg_tsquery_sql).
    return f"(SELECT {SEARCH_TABLE}_similar(%s))"


class SearchMatch(models.Lookup):
    """``search_entry__document__match=text``: the profile's index entry matches the text."""

    lookup_name = "match"

    def get_prep_lookup(self) -> str:
        return str(self.rhs)

    def as_sqlite(self, compiler, connection) -> tuple[str, list]:  # noqa: ANN001
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} MATCH %s", [*lhs_params, _fts5_query(self.rhs)]

    def as_postgresql(self, compiler, connection) -> tuple[str, list]:  # noqa: ANN001
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @@ {_pg_tsquery_sql()}", [*lhs_params, *_pg_tsquery_params(self.rhs)]

    def as_sql(self, compiler, connection) -> tuple[str, list]:  # noqa: ANN001
        raise NotImplementedError("Search needs SQLite or PostgreSQL.")


class SearchSimilar(models.Lookup):
    """``search_entry__document__similar=text`` (PostgreSQL): the entry has, for each word of
    the text, one of the vocabulary words closest to it."""

    lookup_name = "similar"

    def get_prep_lookup(self) -> str:
        return str(self.rhs)

    def as_postgresql(self, compiler, connection) -> tuple[str, list]:  # noqa: ANN001
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @@ {pg_similar_tsquery_sql()}", [*lhs_params, self.rhs]

    def as_sql(self, compiler, connection) -> tuple[str, list]:  # noqa: ANN001
        raise NotImplementedError("Similarity search needs PostgreSQL.")


SearchIndexField.register_lookup(SearchMatch)
SearchIndexField.register_lookup(SearchSimilar)


class SearchRank(Func):
    """The relevance of a matching entry; higher is better, name hits highest."""

    output_field = models.FloatField()

    def __init__(self, document: F, text: str, *, similarity: bool = False) -> None:
        super().__init__(document)
        self.text = text
        self.similarity = similarity

    def as_sqlite(self, compiler, connection, **extra) -> tuple[str, list]:  # noqa: ANN001, ANN003
        document, params = compiler.compile(self.source_expressions[0])
        weights = ", ".join(str(weight) for _name, weight in FTS_COLUMNS)
        return f"(-bm25({document}, {weights}))", params

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:  # noqa: ANN001, ANN003
        document, params = compiler.compile(self.source_expressions[0])
        # Weights D, C, B, A: a word in the name or acronym (A) outweighs many in the text.
        if self.similarity:
            sql = f"ts_rank('{PG_RANK_WEIGHTS}', {document}, {pg_similar_tsquery_sql()}, 1)"
            return sql, [*params, self.text]
        sql = f"ts_rank('{PG_RANK_WEIGHTS}', {document}, {_pg_tsquery_sql()}, 1)"
        return sql, [*params, *_pg_tsquery_params(self.text)]

    def as_sql(self, compiler, connection, **extra) -> tuple[str, list]:  # noqa: ANN001, ANN003
        raise NotImplementedError("Search needs SQLite or PostgreSQL.")


def needs_similarity(text: str, *, using: str = "default") -> bool:
    """Whether ``text`` should be matched by similarity: on PostgreSQL, when no word matches."""
    if connections[using].vendor != "postgresql" or not _WORD.search(text):
        return False
    text = " ".join(text.split())
    # Remembered until the directory changes: the answer depends only on the words.
    from clustercollab.organisations.directory_index import directory_stamp

    key = (
        f"organisations:needs-similarity:{using}:{directory_stamp(using)}:"
        + hashlib.sha256(text.encode()).hexdigest()[:32]
    )
    answer = cache.get(key)
    if answer is None:
        # COUNT, not EXISTS: with LIMIT 1 the planner scans the table instead of the GIN index.
        entries = SearchEntry.objects.using(using).filter(document__match=text)
        answer = entries.count() < TRIGRAM_FALLBACK_BELOW
        cache.set(key, answer, timeout=3600)
    return answer


def search_organisations(
    queryset: QuerySet[Organisation],
    text: str,
    *,
    ranked: bool = True,
    similar: bool | None = None,
) -> QuerySet[Organisation]:
    """Return the published profiles of ``queryset`` matching ``text``.

    ``ranked``: annotate ``search_rank`` (higher is better, name hits highest) by joining the
    index, for a page ordered by relevance. Unranked, the match is an ``IN`` subquery over the
    index, which both databases plan well for counts, facets, the map and exports. Blank text
    (or only punctuation) leaves the queryset as it is, with a rank of 0.
    """
    text = " ".join(text.split())
    if not _WORD.search(text):
        if not ranked:
            return queryset
        return queryset.annotate(search_rank=models.Value(0.0, output_field=models.FloatField()))
    queryset = queryset.filter(status=PUBLISHED)
    if similar is None:
        similar = needs_similarity(text, using=queryset.db)
    if not ranked:
        entries = (
            SearchEntry.objects.filter(document__similar=text)
            if similar
            else SearchEntry.objects.filter(document__match=text)
        )
        return queryset.filter(pk__in=entries.values("organisation_id"))
    if similar:
        return queryset.filter(search_entry__document__similar=text).annotate(
            search_rank=SearchRank(F("search_entry__document"), text, similarity=True)
        )
    return queryset.filter(search_entry__document__match=text).annotate(
        search_rank=SearchRank(F("search_entry__document"), text)
    )


def analyse_tables(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Refresh the planner statistics after bulk writes, so that text matches drive the joins.

    On PostgreSQL, outside a transaction, the tables are vacuumed too: a rebuild leaves a dead
    copy of every index row, which each search would step over until autovacuum came by.
    """
    tables = [ORGANISATION_TABLE, SEARCH_TABLE, Organisation.ecosystems.through._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            vacuum = "" if connection.in_atomic_block else "VACUUM "
            cursor.execute(f"{vacuum}ANALYZE {', '.join(tables)}")


# --- structures --------------------------------------------------------------------------------


def _sqlite_entry_values(row: str) -> str:
    """The FTS5 column values of an organisations_organisation row alias (NEW, o, …)."""
    return ", ".join(
        [
            f"{row}.id",
            f"{row}.name",
            f"{row}.acronym",
            f"(SELECT group_concat(value, ' ') FROM json_each({row}.keywords))",
            f"{row}.offers",
            f"{row}.seeks",
            f"{row}.about",
            f"{row}.city",
        ]
    )


def _sqlite_statements() -> list[str]:
    columns = ", ".join(name for name, _weight in FTS_COLUMNS)
    values = _sqlite_entry_values("NEW")
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5({columns}, "
        "tokenize = 'unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_insert AFTER INSERT ON {ORGANISATION_TABLE} "
        f"WHEN NEW.status = '{PUBLISHED}' BEGIN "
        f"INSERT INTO {SEARCH_TABLE}(rowid, {columns}) VALUES ({values}); END",
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_update AFTER UPDATE ON {ORGANISATION_TABLE} "
        f"BEGIN DELETE FROM {SEARCH_TABLE} WHERE rowid = OLD.id; "
        f"INSERT INTO {SEARCH_TABLE}(rowid, {columns}) SELECT {values} "
        f"WHERE NEW.status = '{PUBLISHED}'; END",
        f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TABLE}_delete AFTER DELETE ON {ORGANISATION_TABLE} "
        f"BEGIN DELETE FROM {SEARCH_TABLE} WHERE rowid = OLD.id; END",
        # The few profiles that list languages, for the directory's language facet.
        f"CREATE INDEX IF NOT EXISTS org_speaking_languages ON {ORGANISATION_TABLE}(id) "
        "WHERE languages <> '[]'",
    ]


def _pg_config_case(available: set[str]) -> str:
    branches = " ".join(
        f"WHEN '{code}' THEN '{config}'::regconfig"
        for code, config in sorted(PG_CONFIGS.items())
        if config in available
    )
    return f"CASE language {branches} ELSE 'simple'::regconfig END"


# The GIN indexes of the search structures.
GIN_INDEXES = (f"{SEARCH_TABLE}_document", f"{VOCABULARY_TABLE}_trigrams")


def _pg_gin_without_pending_list(index: str) -> str:
    """Turn off an existing GIN index's pending list (created with it by older versions).

    With ``fastupdate`` on, new entries wait in an unsorted list of up to 4 MB that every
    search reads in full until a vacuum merges it: at 150,000 profiles a one-word search read
    500 pages and took 9 ms instead of 0.4 ms. Profiles change rarely; searches are constant.
    """
    return (
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = "
        f"'{index}' AND reloptions @> ARRAY['fastupdate=off']) THEN "
        f"ALTER INDEX {index} SET (fastupdate = off); "
        f"PERFORM gin_clean_pending_list('{index}'::regclass); END IF; END $$"
    )


def _pg_statements(available_configs: set[str]) -> list[str]:
    config_case = _pg_config_case(available_configs)
    return [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE TABLE IF NOT EXISTS {SEARCH_TABLE} ("
        f"rowid bigint PRIMARY KEY, {SEARCH_TABLE} tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {SEARCH_TABLE}_document ON {SEARCH_TABLE} "
        f"USING gin ({SEARCH_TABLE}) WITH (fastupdate = off)",
        # Earlier versions kept the words of every entry in the table itself, for a trigram
        # match that took 150-250 ms at 150,000 profiles; they made every search read a
        # third more pages.
        f"DROP INDEX IF EXISTS {SEARCH_TABLE}_words",
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE "
        f"table_name = '{SEARCH_TABLE}' AND column_name = 'words') THEN "
        f"ALTER TABLE {SEARCH_TABLE} DROP COLUMN words; END IF; END $$",
        # Not unique: two writers adding the same new word must not wait for each other
        # (a unique index makes the second wait for the first's commit); the rare duplicate
        # is harmless and a rebuild removes it.
        f"CREATE TABLE IF NOT EXISTS {VOCABULARY_TABLE} (word text NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {VOCABULARY_TABLE}_word ON {VOCABULARY_TABLE} (word)",
        f"CREATE INDEX IF NOT EXISTS {VOCABULARY_TABLE}_trigrams ON {VOCABULARY_TABLE} "
        "USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
        *(_pg_gin_without_pending_list(index) for index in GIN_INDEXES),
        # The few profiles that list languages, for the directory's language facet.
        # Checked first: even with IF NOT EXISTS, PostgreSQL refuses CREATE INDEX on a table
        # with pending trigger events (a rebuild inside a transaction that wrote profiles).
        "DO $$ BEGIN IF to_regclass('org_speaking_languages') IS NULL THEN "
        f"CREATE INDEX org_speaking_languages ON {ORGANISATION_TABLE} (id) "
        "WHERE languages <> '[]'::jsonb; END IF; END $$",
        # One weighted document: every part both as exact words and stemmed in its language.
        f"""CREATE OR REPLACE FUNCTION {SEARCH_TABLE}_document(
            name text, acronym text, keywords jsonb, offers text, seeks text, about text,
            city text, language text) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
        DECLARE
            config regconfig := {config_case};
            heading text := unaccent(coalesce(name, '') || ' ' || coalesce(acronym, ''));
            topics text := unaccent(
                coalesce((SELECT string_agg(k, ' ') FROM jsonb_array_elements_text(
                    CASE jsonb_typeof(keywords) WHEN 'array' THEN keywords ELSE '[]'::jsonb END
                ) AS k), '')
                || ' ' || coalesce(offers, '') || ' ' || coalesce(seeks, ''));
            body text := unaccent(coalesce(about, '') || ' ' || coalesce(city, ''));
        BEGIN
            RETURN setweight(to_tsvector('simple', heading), 'A')
                || setweight(to_tsvector(config, heading), 'A')
                || setweight(to_tsvector('simple', topics), 'B')
                || setweight(to_tsvector(config, topics), 'B')
                || setweight(to_tsvector('simple', body), 'C')
                || setweight(to_tsvector(config, body), 'C');
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {SEARCH_TABLE}_words(
            name text, acronym text, keywords jsonb, city text) RETURNS text
            LANGUAGE sql STABLE AS $$
            SELECT unaccent(lower(coalesce(name, '') || ' ' || coalesce(acronym, '') || ' '
                || coalesce(city, '') || ' ' || coalesce((SELECT string_agg(k, ' ')
                FROM jsonb_array_elements_text(CASE jsonb_typeof(keywords)
                WHEN 'array' THEN keywords ELSE '[]'::jsonb END) AS k), '')))
        $$""",
        # The vocabulary's words: single words as the 'simple' configuration makes them (a
        # hyphenated word is also indexed as its parts, which are kept instead).
        f"""CREATE OR REPLACE FUNCTION {VOCABULARY_TABLE}_words(words text)
            RETURNS SETOF text LANGUAGE sql STABLE AS $$
            SELECT lexeme FROM unnest(to_tsvector('simple', words))
            WHERE lexeme !~ '[^[:alnum:]_]'
        $$""",
        # For each word of the text, its closest vocabulary words; NULL (matching nothing)
        # when some word has none. Ordered so that equal texts give equal queries.
        f"""CREATE OR REPLACE FUNCTION {SEARCH_TABLE}_similar(text text) RETURNS tsquery
            LANGUAGE sql STABLE AS $$
            WITH typed AS (
                SELECT DISTINCT word FROM {VOCABULARY_TABLE}_words(unaccent(lower(text))) word
            ), alternatives AS (
                SELECT typed.word, string_agg(quote_literal(near.word), ' | '
                    ORDER BY near.word) AS options
                FROM typed CROSS JOIN LATERAL (
                    SELECT known.word FROM (
                        SELECT DISTINCT v.word FROM {VOCABULARY_TABLE} v
                        WHERE v.word % typed.word
                    ) known
                    ORDER BY similarity(known.word, typed.word) DESC, known.word
                    LIMIT {SIMILAR_WORDS}
                ) near
                GROUP BY typed.word
            )
            SELECT CASE WHEN (SELECT count(*) FROM typed) > 0
                AND (SELECT count(*) FROM alternatives) = (SELECT count(*) FROM typed)
                THEN to_tsquery('simple', (SELECT string_agg('(' || options || ')', ' & '
                    ORDER BY word) FROM alternatives))
            END
        $$""",
        f"""CREATE OR REPLACE FUNCTION {SEARCH_TABLE}_refresh() RETURNS trigger
            LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {SEARCH_TABLE} s USING changed_rows c
                WHERE s.rowid = c.id AND c.status <> '{PUBLISHED}';
            INSERT INTO {SEARCH_TABLE} (rowid, {SEARCH_TABLE})
                SELECT c.id,
                    {SEARCH_TABLE}_document(c.name, c.acronym, c.keywords, c.offers, c.seeks,
                        c.about, c.city, c.about_language)
                FROM changed_rows c WHERE c.status = '{PUBLISHED}'
            ON CONFLICT (rowid) DO UPDATE SET {SEARCH_TABLE} = EXCLUDED.{SEARCH_TABLE};
            INSERT INTO {VOCABULARY_TABLE} (word)
                SELECT DISTINCT added.word FROM changed_rows c CROSS JOIN LATERAL
                    {VOCABULARY_TABLE}_words(
                        {SEARCH_TABLE}_words(c.name, c.acronym, c.keywords, c.city)) added(word)
                WHERE c.status = '{PUBLISHED}' AND NOT EXISTS (
                    SELECT 1 FROM {VOCABULARY_TABLE} v WHERE v.word = added.word);
            RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {SEARCH_TABLE}_forget() RETURNS trigger
            LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE {SEARCH_TABLE};
            ELSE
                DELETE FROM {SEARCH_TABLE} s USING changed_rows c WHERE s.rowid = c.id;
            END IF;
            RETURN NULL;
        END $$""",
        f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_insert ON {ORGANISATION_TABLE}",
        f"CREATE TRIGGER {SEARCH_TABLE}_insert AFTER INSERT ON {ORGANISATION_TABLE} "
        f"REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {SEARCH_TABLE}_refresh()",
        f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_update ON {ORGANISATION_TABLE}",
        f"CREATE TRIGGER {SEARCH_TABLE}_update AFTER UPDATE ON {ORGANISATION_TABLE} "
        f"REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {SEARCH_TABLE}_refresh()",
        f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_delete ON {ORGANISATION_TABLE}",
        f"CREATE TRIGGER {SEARCH_TABLE}_delete AFTER DELETE ON {ORGANISATION_TABLE} "
        f"REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {SEARCH_TABLE}_forget()",
        f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_truncate ON {ORGANISATION_TABLE}",
        f"CREATE TRIGGER {SEARCH_TABLE}_truncate AFTER TRUNCATE ON {ORGANISATION_TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {SEARCH_TABLE}_forget()",
    ]


def _pg_fill_vocabulary_sql() -> str:
    return (
        f"INSERT INTO {VOCABULARY_TABLE} (word) SELECT DISTINCT word "
        f"FROM {ORGANISATION_TABLE} o CROSS JOIN LATERAL {VOCABULARY_TABLE}_words("
        f"{SEARCH_TABLE}_words(o.name, o.acronym, o.keywords, o.city)) word "
        f"WHERE o.status = '{PUBLISHED}'"
    )


def install_search_structures(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Create the search index table and its triggers if missing (idempotent)."""
    if connection.vendor == "sqlite":
        statements = _sqlite_statements()
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT cfgname FROM pg_ts_config")
            available = {name for (name,) in cursor.fetchall()}
        statements = [
            *_pg_statements(available),
            # A vocabulary new to this installation: from the profiles already published.
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM {VOCABULARY_TABLE}) THEN "
            f"{_pg_fill_vocabulary_sql()}; END IF; END $$",
        ]
    else:
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rebuild_search_index(
    *,
    connection: BaseDatabaseWrapper = default_connection,
    show_progress: bool = False,
    batch_size: int = 2000,
) -> int:
    """Empty the index and fill it again from the published profiles; return their number.

    Plain SQL only, so that a migration can call it too.
    """
    install_search_structures(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {ORGANISATION_TABLE} WHERE status = %s ORDER BY id", [PUBLISHED]
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"DELETE FROM {SEARCH_TABLE}")
        with tqdm(
            total=len(ids), desc="indexing profiles", unit=" profiles", disable=not show_progress
        ) as bar:
            for chunk in _chunks(ids, batch_size):
                placeholders = ", ".join(["%s"] * len(chunk))
                if connection.vendor == "sqlite":
                    columns = ", ".join(name for name, _weight in FTS_COLUMNS)
                    cursor.execute(
                        f"INSERT INTO {SEARCH_TABLE}(rowid, {columns}) "
                        f"SELECT {_sqlite_entry_values('o')} FROM {ORGANISATION_TABLE} o "
                        f"WHERE o.id IN ({placeholders})",
                        chunk,
                    )
                else:
                    cursor.execute(
                        f"INSERT INTO {SEARCH_TABLE} (rowid, {SEARCH_TABLE}) "
                        f"SELECT o.id, {SEARCH_TABLE}_document(o.name, o.acronym, o.keywords, "
                        f"o.offers, o.seeks, o.about, o.city, o.about_language) "
                        f"FROM {ORGANISATION_TABLE} o WHERE o.id IN ({placeholders})",
                        chunk,
                    )
                bar.update(len(chunk))
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {VOCABULARY_TABLE}")
            cursor.execute(_pg_fill_vocabulary_sql())
    analyse_tables(connection)
    return len(ids)
