"""The directory's in-memory index: every published profile as columns of numpy arrays.

The /directory/ page, the map, the CSV export and the API list all answer from it: the
FilterSet validates the query (it stays the one definition of the filters), each filter becomes
a boolean mask over the profiles, a facet count is a ``bincount`` over the profiles passing
every *other* filter, and the sorts are precomputed permutations. Only the text search goes to
the database (``candidates.text_candidates``: the ids matching the words, with their rank);
only the ~20 rows of a page are then read from the database, by primary key.

One index per process and database, built lazily on first use (about a second per 100,000
profiles) and rebuilt when the *directory stamp* changes. Database triggers renew the stamp on
every write to the profiles, their ecosystem, NACE and emerging-industry links or the
taxonomies (``install_directory_stamp``, run after every migrate). Every request reads it
(one tiny query), so a profile saved in another process, or by a bulk update that sends no
signal, shows on the next request of every process.

How the stamp is kept on each database (without making profile writers queue on
PostgreSQL): ``core.table_stamps``.
"""

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from clustercollab.core.held import HeldPerProcess
from clustercollab.core.moderation import ModerationStatus
from clustercollab.core.table_stamps import TableStamp
from clustercollab.organisations.models import Organisation

if TYPE_CHECKING:
    from clustercollab.organisations.candidates import TextCandidates

ORGANISATION_TABLE = Organisation._meta.db_table
PUBLISHED = ModerationStatus.PUBLISHED.value
LINK_RELATIONS = {
    "ecosystems": "industrialecosystem_id",
    "nace_activities": "naceactivity_id",
    "emerging_industries": "emergingindustry_id",
}


def _watched_tables() -> list[str]:
    from clustercollab.core.models import (
        Country,
        EmergingIndustry,
        IndustrialEcosystem,
        NaceActivity,
        NutsRegion,
    )

    links = [
        Organisation._meta.get_field(relation).remote_field.through._meta.db_table
        for relation in LINK_RELATIONS
    ]
    # The taxonomies too: the index's EU and NACE-section columns and the per-process lookups
    # of taxonomies.py are read from them.
    taxonomies = [
        model._meta.db_table
        for model in (Country, NutsRegion, IndustrialEcosystem, NaceActivity, EmergingIndustry)
    ]
    return [ORGANISATION_TABLE, *links, *taxonomies]


# --- the stamp ---------------------------------------------------------------------------------

DIRECTORY_STAMP = TableStamp("organisations_directory", _watched_tables, trigger="stamp")


def install_directory_stamp(connection: BaseDatabaseWrapper) -> None:
    """Create the stamp table and the triggers that renew it (idempotent)."""
    DIRECTORY_STAMP.install(connection)


def renew_directory_stamp(using: str = "default") -> None:
    """Make every process rebuild its index (for changes the triggers do not see)."""
    DIRECTORY_STAMP.renew(using)


def directory_stamp(using: str = "default") -> int:
    return DIRECTORY_STAMP.read(using)


# --- columns -----------------------------------------------------------------------------------


def _codes(values: Iterable[Any]) -> tuple[np.ndarray, list]:
    """Encode values as small integers: (codes, the distinct values in code order)."""
    distinct: dict[Any, int] = {}
    codes = [distinct.setdefault(value, len(distinct)) for value in values]
    return np.asarray(codes, dtype=np.int32), list(distinct)


@dataclass
class LinkColumn:
    """A many-valued column: one (profile position, value code) pair per link, by position."""

    positions: np.ndarray
    codes: np.ndarray
    values: list
    # Made on first use: where each profile's links start (position p has links starts[p] to
    # starts[p + 1] - 1), and the links per value of all profiles.
    _starts: np.ndarray | None = field(default=None, repr=False)
    _all_counts: dict | None = field(default=None, repr=False)

    @classmethod
    def from_pairs(
        cls, positions: np.ndarray, values: list, *, distinct: bool = False
    ) -> "LinkColumn":
        codes, keys = _codes(values)
        positions = np.asarray(positions, dtype=np.int64)
        if distinct and len(codes):
            combined = np.unique(positions * len(keys) + codes)
            positions, codes = np.divmod(combined, len(keys))
        else:
            by_position = np.argsort(positions, kind="stable")
            positions, codes = positions[by_position], codes[by_position]
        return cls(positions.astype(np.int32), codes.astype(np.int32), keys)

    def having(self, accepted: np.ndarray, size: int) -> np.ndarray:
        """The profiles with at least one link whose value code is accepted (a bool per code)."""
        mask = np.zeros(size, dtype=bool)
        if len(self.codes):
            mask[self.positions[accepted[self.codes]]] = True
        return mask

    def having_values(self, wanted: Iterable[Any], size: int) -> np.ndarray:
        wanted = set(wanted)
        return self.having(np.array([value in wanted for value in self.values], dtype=bool), size)

    def counts(self, selection: "Selection") -> dict[Any, int]:
        """Links per value among the profiles selected (COUNT(*) grouped by value)."""
        if not len(self.codes):
            return {}
        if selection.everything:
            if self._all_counts is None:
                self._all_counts = _counted(self.values, np.bincount(self.codes))
            return dict(self._all_counts)
        if selection.is_small:
            # Few profiles: their own links, rather than every link tested against the mask.
            return _counted(self.values, np.bincount(self.codes[self._links_of(selection)]))
        # Many: one count by (value, selected or not), which avoids indexing by a mask that
        # passes links at random (several times slower).
        keyed = self.codes * 2 + selection.mask[self.positions]
        return _counted(self.values, np.bincount(keyed, minlength=2 * len(self.values))[1::2])

    def _links_of(self, selection: "Selection") -> np.ndarray:
        if self._starts is None or len(self._starts) != len(selection.mask) + 1:
            self._starts = np.searchsorted(self.positions, np.arange(len(selection.mask) + 1))
        starts = self._starts[selection.positions]
        lengths = self._starts[selection.positions + 1] - starts
        # Every run starts[i] .. starts[i] + lengths[i] - 1, concatenated.
        run_offsets = np.cumsum(lengths) - lengths
        return np.repeat(starts - run_offsets, lengths) + np.arange(int(lengths.sum()))


def _counted(values: list, counted: np.ndarray) -> dict[Any, int]:
    return {values[code]: int(counted[code]) for code in np.flatnonzero(counted)}


def _value_counts(codes: np.ndarray, values: list, mask: np.ndarray) -> dict[Any, int]:
    return _counted(values, np.bincount(codes[mask], minlength=len(values)))


class Selection:
    """The profiles passing some of a query's conditions: a mask, and their positions when
    needed (counting through positions is several times faster unless nearly all pass)."""

    def __init__(self, mask: np.ndarray, *, everything: bool) -> None:
        self.mask = mask
        self.everything = everything  # no condition applied: every profile
        self._positions: np.ndarray | None = None

    @property
    def positions(self) -> np.ndarray:
        if self._positions is None:
            self._positions = np.flatnonzero(self.mask)
        return self._positions

    @property
    def is_small(self) -> bool:
        return len(self.positions) * 8 < len(self.mask)


_VALUES_OF = {"kind": "kinds", "country": "countries", "label": "labels"}


@dataclass
class DirectoryIndex:
    """The published profiles, by position (ascending id), as numpy columns."""

    stamp: int
    ids: np.ndarray
    kind: np.ndarray
    kinds: list
    country: np.ndarray
    countries: list
    eu: np.ndarray
    region: np.ndarray  # code into regions; len(regions) for none
    regions: list
    label: np.ndarray
    labels: list
    member_total: np.ndarray
    name_rank: np.ndarray
    by_name: np.ndarray
    by_size: np.ndarray
    by_newest: np.ndarray
    ecosystems: LinkColumn
    nace: LinkColumn
    nace_sections: LinkColumn  # distinct (profile, section) pairs
    nace_divisions: LinkColumn  # distinct (profile, first two characters of the code) pairs
    nace_section_of: dict[str, str]
    emerging: LinkColumn
    languages: LinkColumn
    # Derived region arrays, made on first use (by prefix length, by accepted prefixes).
    _region_prefixes: dict = field(default_factory=dict)
    # Counts of all profiles by one-valued column (column name → {value: count}).
    _all_counts: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """The positions of those ``ids`` that are published profiles (the others are dropped)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self.ids) or not len(ids):
            return np.zeros(0, dtype=np.int64)
        found = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return found[self.ids[found] == ids]

    def regions_starting_with(self, prefixes: Iterable[str]) -> np.ndarray:
        """A bool per profile: its NUTS code starts with one of ``prefixes``."""
        prefixes = tuple(sorted(prefixes))
        key = ("starting", prefixes)
        if key not in self._region_prefixes:
            if len(self._region_prefixes) > 200:  # 150 kB each at 150,000 profiles
                self._region_prefixes.clear()
            accepted = np.array(
                [code.startswith(prefixes) for code in self.regions] + [False], dtype=bool
            )
            self._region_prefixes[key] = accepted[self.region]
        return self._region_prefixes[key]

    def column_counts(self, column: str, selection: "Selection") -> dict[Any, int]:
        """Profiles selected per value of a one-valued column (kind, country or label)."""
        codes, values = getattr(self, column), getattr(self, _VALUES_OF[column])
        if not selection.everything:
            return _counted(values, np.bincount(codes[selection.positions], minlength=len(values)))
        if column not in self._all_counts:
            self._all_counts[column] = _counted(values, np.bincount(codes, minlength=len(values)))
        return dict(self._all_counts[column])

    def region_counts(self, mask: np.ndarray, length: int) -> dict[str, int]:
        """Profiles of ``mask`` by the first ``length`` characters of their NUTS code."""
        if length not in self._region_prefixes:
            prefix_codes, prefixes = _codes(code[:length] for code in self.regions)
            self._region_prefixes[length] = (np.append(prefix_codes, -1), prefixes)
        prefix_of, prefixes = self._region_prefixes[length]
        coded = prefix_of[self.region[mask]]
        return _value_counts(coded[coded >= 0], prefixes, np.ones(int((coded >= 0).sum()), bool))


def _json_list(raw: Any) -> list:
    if isinstance(raw, list):
        return raw
    if not raw or raw == "[]":
        return []
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


FETCH_ROWS = 20_000


class _Encoder:
    """Codes for the values of one column, handed out as they come (see ``_codes``)."""

    def __init__(self) -> None:
        self.codes: dict[Any, int] = {}
        self.column: list[int] = []

    def add(self, values: Iterable[Any]) -> None:
        codes = self.codes
        self.column.extend(codes.setdefault(value, len(codes)) for value in values)

    def result(self, order: np.ndarray | None = None) -> tuple[np.ndarray, list]:
        column = np.asarray(self.column, dtype=np.int32)
        return (column if order is None else column[order]), list(self.codes)


def _fetch_chunks(cursor: Any, sql: str, params: list | None = None) -> Iterable[list[tuple]]:
    """The rows of a query in chunks, so that a build never holds every row as tuples."""
    cursor.execute(sql, params or [])
    while rows := cursor.fetchmany(FETCH_ROWS):
        yield rows


def _link_pairs(
    connection: BaseDatabaseWrapper, relation: str, index_ids: np.ndarray
) -> tuple[np.ndarray, list]:
    through = Organisation._meta.get_field(relation).remote_field.through._meta.db_table
    column = LINK_RELATIONS[relation]
    positions: list[np.ndarray] = []
    values: list = []
    if not len(index_ids):
        return np.zeros(0, dtype=np.int64), []
    with connection.cursor() as cursor:
        for rows in _fetch_chunks(cursor, f"SELECT organisation_id, {column} FROM {through}"):
            owners = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            found = np.minimum(np.searchsorted(index_ids, owners), len(index_ids) - 1)
            published = index_ids[found] == owners
            positions.append(found[published])
            values += [row[1] for row, keep in zip(rows, published, strict=True) if keep]
    if not positions:
        return np.zeros(0, dtype=np.int64), []
    return np.concatenate(positions), values


def build_directory_index(using: str = "default") -> DirectoryIndex:
    """Read every published profile's directory columns from the database."""
    from clustercollab.core.models import NaceActivity
    from clustercollab.organisations.taxonomies import directory_taxonomies

    connection = connections[using]
    stamp = DIRECTORY_STAMP.read_for_rebuild(using)
    ids_in_name_order: list[int] = []
    encoders = {name: _Encoder() for name in ("kind", "country", "region", "label")}
    members: list[int] = []
    spoken: list[tuple[int, str]] = []  # (position in name order, language)
    with connection.cursor() as cursor:
        # Name order as the database collates it: the name sort then matches the ORM's exactly.
        for rows in _fetch_chunks(
            cursor,
            "SELECT id, kind, country_id, nuts_region_id, label, member_total, languages "
            f"FROM {ORGANISATION_TABLE} WHERE status = %s ORDER BY name, id",
            [PUBLISHED],
        ):
            offset = len(ids_in_name_order)
            ids_in_name_order += [row[0] for row in rows]
            for at, name in enumerate(("kind", "country", "region", "label"), start=1):
                encoders[name].add(row[at] for row in rows)
            members += [row[5] or 0 for row in rows]
            for number, row in enumerate(rows, start=offset):
                if row[6] and row[6] != "[]":
                    spoken += [(number, v) for v in _json_list(row[6]) if isinstance(v, str)]
        newest_ids = np.concatenate(
            [
                np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
                for rows in _fetch_chunks(
                    cursor,
                    f"SELECT id FROM {ORGANISATION_TABLE} WHERE status = %s "
                    "ORDER BY published_at DESC, id DESC",
                    [PUBLISHED],
                )
            ]
            or [np.zeros(0, dtype=np.int64)]
        )
    n = len(ids_in_name_order)
    names_order = np.asarray(ids_in_name_order, dtype=np.int64)
    by_id = np.argsort(names_order, kind="stable")
    ids = names_order[by_id]
    # Position k (k-th smallest id) is the by_id[k]-th profile by name.
    name_rank = by_id.astype(np.int32)
    by_name = np.empty(n, dtype=np.int32)
    by_name[by_id] = np.arange(n, dtype=np.int32)

    kind, kinds = encoders["kind"].result(by_id)
    country, countries = encoders["country"].result(by_id)
    eu_codes = set(directory_taxonomies(using, stamp=stamp).eu_codes)
    eu = np.array([str(code).upper() in eu_codes for code in countries] + [False], dtype=bool)
    region_codes, regions = encoders["region"].result(by_id)
    if None in regions:
        none_code = regions.index(None)
        regions = [code for code in regions if code is not None]
        region_codes = np.where(
            region_codes == none_code,
            len(regions),
            region_codes - (region_codes > none_code),
        ).astype(np.int32)
    label, labels = encoders["label"].result(by_id)
    member_total = np.asarray(members, dtype=np.int64)[by_id]
    by_size = np.lexsort((name_rank, -member_total)).astype(np.int32)
    language_positions = by_name[[number for number, _v in spoken]]
    language_values = [language for _number, language in spoken]

    positions, ecosystem_ids = _link_pairs(connection, "ecosystems", ids)
    ecosystems = LinkColumn.from_pairs(positions, ecosystem_ids)
    positions, emerging_slugs = _link_pairs(connection, "emerging_industries", ids)
    emerging = LinkColumn.from_pairs(positions, emerging_slugs)
    nace_positions, nace_codes = _link_pairs(connection, "nace_activities", ids)
    section_of = dict(NaceActivity.objects.using(using).values_list("code", "section"))
    nace = LinkColumn.from_pairs(nace_positions, nace_codes)
    sectioned = [(p, section_of.get(c)) for p, c in zip(nace_positions, nace_codes, strict=True)]
    sectioned = [(p, s) for p, s in sectioned if s is not None]
    nace_sections = LinkColumn.from_pairs(
        np.array([p for p, _s in sectioned], dtype=np.int64),
        [s for _p, s in sectioned],
        distinct=True,
    )
    nace_divisions = LinkColumn.from_pairs(
        nace_positions, [code[:2] for code in nace_codes], distinct=True
    )
    return DirectoryIndex(
        stamp=stamp,
        ids=ids,
        kind=kind,
        kinds=kinds,
        country=country,
        countries=countries,
        eu=eu[country] if n else np.zeros(0, dtype=bool),
        region=region_codes,
        regions=regions,
        label=label,
        labels=labels,
        member_total=member_total,
        name_rank=name_rank,
        by_name=by_name,
        by_size=by_size,
        by_newest=np.searchsorted(ids, newest_ids).astype(np.int32),
        ecosystems=ecosystems,
        nace=nace,
        nace_sections=nace_sections,
        nace_divisions=nace_divisions,
        nace_section_of=section_of,
        emerging=emerging,
        languages=LinkColumn.from_pairs(language_positions, language_values),
    )


_indexes: HeldPerProcess[DirectoryIndex] = HeldPerProcess(lambda index: index.stamp)


def directory_index(using: str = "default", *, stamp: int | None = None) -> DirectoryIndex:
    """This process's index of database ``using``, rebuilt first if the directory changed.

    ``stamp``: the directory stamp if the caller has just read it.
    """
    if stamp is None:
        stamp = directory_stamp(using)
    # Inside a transaction the index may hold rows a rollback will take back; its stamp then
    # disappears with them, so it can never be taken for committed data.
    return _indexes.current(using, stamp, lambda: build_directory_index(using))


def forget_directory_indexes() -> None:
    _indexes.clear()


# --- queries -----------------------------------------------------------------------------------


def _accepted(values: list, wanted: Iterable[Any]) -> np.ndarray:
    wanted = set(wanted)
    return np.array([value in wanted for value in values] + [False], dtype=bool)


class IndexedQuery:
    """One directory query (a FilterSet's cleaned data) answered from the index.

    The results are the profiles passing every filter's mask and the text; each facet counts
    the profiles passing every mask but its own (``mask_without``), as facets.py describes.
    """

    def __init__(self, index: DirectoryIndex, filterset: Any, *, using: str = "default") -> None:
        from clustercollab.organisations.candidates import (
            has_words,
            normalised_text,
            text_candidates,
        )
        from clustercollab.organisations.filters import SORT_RELEVANCE, is_empty_filter_value

        filterset.is_valid()
        cleaned = getattr(filterset.form, "cleaned_data", {}) or {}
        self.index = index
        self.masks: dict[str, np.ndarray] = {}
        for name, value in cleaned.items():
            if name in ("q", "sort", "meaning") or is_empty_filter_value(value):
                continue
            self.masks[name] = self._mask(name, value)
        self.text_mask: np.ndarray | None = None
        self.scores: np.ndarray | None = None
        self.sort = filterset.sort_key
        text = normalised_text(cleaned.get("q") or "")
        if text and has_words(text):
            ranked = self.sort == SORT_RELEVANCE
            found = None
            if cleaned.get("meaning"):
                found = self._by_words_and_meaning(text, filterset, using=using)
            if found is None:
                found = text_candidates(text, ranked=ranked, stamp=index.stamp, using=using)
            self.text_mask = np.zeros(index.size, dtype=bool)
            if ranked:
                self.scores = np.zeros(index.size, dtype=np.float64)
            if len(found.ids) and index.size:
                at = np.minimum(np.searchsorted(index.ids, found.ids), index.size - 1)
                published = index.ids[at] == found.ids
                self.text_mask[at[published]] = True
                if ranked:
                    self.scores[at[published]] = found.scores[published]
        if self.sort == SORT_RELEVANCE and self.scores is None:
            self.sort = "name"  # no words: every rank is equal, so the names decide
        self._without: dict[frozenset, Selection] = {}

    def _by_words_and_meaning(
        self, text: str, filterset: Any, *, using: str
    ) -> "TextCandidates | None":
        """The word matches fused with the matches by meaning (matching.hybrid), both among
        the profiles passing the filters; None (words alone) until profiles have vectors."""
        from clustercollab.matching.hybrid import fused_with_words
        from clustercollab.matching.selectors import vectors_ready
        from clustercollab.organisations.candidates import TextCandidates, text_candidates

        if not vectors_ready("organisation"):
            filterset.meaning_unavailable = True
            return None
        index = self.index
        allowed = np.ones(index.size, dtype=bool)
        for mask in self.masks.values():
            allowed &= mask
        words = text_candidates(text, ranked=True, stamp=index.stamp, using=using)
        by_words: list[int] = []
        if len(words.ids) and index.size:
            at = np.minimum(np.searchsorted(index.ids, words.ids), index.size - 1)
            passing = (index.ids[at] == words.ids) & allowed[at]
            order = np.argsort(-words.scores[passing], kind="stable")
            by_words = words.ids[passing][order].tolist()
        among = index.ids[allowed].tolist() if self.masks else None
        fused = fused_with_words("organisation", text, by_words, among=among)
        return TextCandidates(
            ids=np.array([pk for pk, _score in fused], dtype=np.int64),
            scores=np.array([score for _pk, score in fused], dtype=np.float64),
        )

    def _mask(self, name: str, value: Any) -> np.ndarray:
        index = self.index
        if name == "kind":
            return _accepted(index.kinds, value)[index.kind]
        if name == "country":
            return _accepted(index.countries, [country.code for country in value])[index.country]
        if name == "region":
            return index.regions_starting_with(region.code for region in value)
        if name == "eu":
            return index.eu if value == "eu" else ~index.eu
        if name == "ecosystem":
            return index.ecosystems.having_values([e.pk for e in value], index.size)
        if name == "emerging":
            return index.emerging.having_values([e.pk for e in value], index.size)
        if name == "nace":
            sections = {a.code for a in value if a.level == "section"}
            prefixes = tuple(a.code for a in value if a.level != "section")
            accepted = np.array(
                [
                    index.nace_section_of.get(code) in sections
                    or (bool(prefixes) and code.startswith(prefixes))
                    for code in index.nace.values
                ],
                dtype=bool,
            )
            return index.nace.having(accepted, index.size)
        if name == "label":
            return _accepted(index.labels, value)[index.label]
        if name == "members_min":
            return index.member_total >= value
        if name == "members_max":
            return index.member_total <= value
        if name == "language":
            return index.languages.having_values(value, index.size)
        raise LookupError(f"the directory index has no filter {name!r}")

    def mask_without(self, *names: str) -> np.ndarray:
        """The profiles passing the text and every filter but ``names``."""
        return self.selection_without(*names).mask

    def selection_without(self, *names: str) -> Selection:
        # Leaving out a filter that is not in use changes nothing: such selections are shared.
        key = frozenset(name for name in names if name in self.masks)
        if key not in self._without:
            mask = (
                np.ones(self.index.size, dtype=bool)
                if self.text_mask is None
                else self.text_mask.copy()
            )
            for name, condition in self.masks.items():
                if name not in key:
                    mask &= condition
            everything = self.text_mask is None and len(key) == len(self.masks)
            self._without[key] = Selection(mask, everything=everything)
        return self._without[key]

    @property
    def total(self) -> int:
        return int(np.count_nonzero(self.mask_without()))

    def ordered_positions(self) -> np.ndarray:
        mask = self.mask_without()
        index = self.index
        if self.sort == "relevance":
            positions = np.flatnonzero(mask)
            order = np.lexsort((index.name_rank[positions], -self.scores[positions]))
            return positions[order]
        order = {"name": index.by_name, "size": index.by_size, "newest": index.by_newest}[self.sort]
        if self.selection_without().everything:
            return order
        return order[mask[order]]

    def result_countries(self) -> dict[str, int]:
        """The results by country."""
        return _value_counts(self.index.country, self.index.countries, self.mask_without())

    def ordered_ids(self) -> np.ndarray:
        """The ids of the results in the query's sort order."""
        return self.index.ids[self.ordered_positions()]

    def ids_in_order(self) -> "IdsInOrder":
        """ordered_ids() for one page at a time: each slice looks up just its ids."""
        return IdsInOrder(self.index.ids, self.ordered_positions())

    # -- facet counts (the interface of facets.FacetCounts) ------------------------------------

    def kinds(self) -> dict[str, int]:
        return self.index.column_counts("kind", self.selection_without("kind"))

    def countries(self) -> dict[str, int]:
        return self.index.column_counts("country", self.selection_without("country"))

    def eu(self) -> dict[str, int]:
        mask = self.mask_without("eu")
        inside = int(np.count_nonzero(mask & self.index.eu))
        counts = {"eu": inside, "non_eu": int(np.count_nonzero(mask)) - inside}
        return {key: n for key, n in counts.items() if n}

    def labels(self) -> dict[str, int]:
        return self.index.column_counts("label", self.selection_without("label"))

    def member_bands(self, bands: list[tuple[int, int | None]]) -> dict[str, int]:
        selection = self.selection_without("members_min", "members_max")
        totals = self.index.member_total
        if not selection.everything:
            totals = totals[selection.positions]
        counts = {}
        for low, high in bands:
            inside = totals >= low if high is None else (totals >= low) & (totals <= high)
            counts[f"{low}-{high or ''}"] = int(np.count_nonzero(inside))
        return counts

    def regions(self, level: int, prefixes: tuple[str, ...]) -> dict[str, int]:
        mask = self.mask_without("region")
        if prefixes:
            mask = mask & self.index.regions_starting_with(prefixes)
        return self.index.region_counts(mask, level + 2)

    def ecosystems(self) -> dict[int, int]:
        return self.index.ecosystems.counts(self.selection_without("ecosystem"))

    def nace_sections(self) -> dict[str, int]:
        return self.index.nace_sections.counts(self.selection_without("nace"))

    def nace_divisions(self) -> dict[str, int]:
        return self.index.nace_divisions.counts(self.selection_without("nace"))

    def emerging(self) -> dict[str, int]:
        return self.index.emerging.counts(self.selection_without("emerging"))

    def languages(self) -> dict[str, int]:
        return self.index.languages.counts(self.selection_without("language"))


def indexed_query(
    filterset: Any, *, using: str = "default", stamp: int | None = None
) -> IndexedQuery:
    """Answer a FilterSet's query from this process's (current) index."""
    return IndexedQuery(directory_index(using, stamp=stamp), filterset, using=using)


class IdsInOrder:
    """The ids at ``positions`` (in that order), looked up a slice at a time."""

    def __init__(self, ids: np.ndarray, positions: np.ndarray) -> None:
        self.ids = ids
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, item: slice) -> np.ndarray:
        return self.ids[self.positions[item]]


class RowsByIds:
    """Ordered results as a sequence for a Paginator: a slice reads just its rows, by id.

    ``read`` takes a list of ids and returns {id: row} (e.g. selectors.directory_rows); rows
    deleted since the index was built are left out of their slice.
    """

    def __init__(
        self, ids: "np.ndarray | IdsInOrder", read: Callable[[list[int]], dict[int, Any]]
    ) -> None:
        self.ids = ids
        self.read = read

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, item: int | slice) -> Any:
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        wanted = self.ids[item].tolist()
        rows = self.read(wanted) if wanted else {}
        return [rows[pk] for pk in wanted if pk in rows]


class RecentAnswers:
    """A per-process LRU of answers that depend only on the directory's content and a key.

    Keys carry the directory stamp, so a change anywhere in the directory (in any process)
    makes every remembered answer unusable at once. ``size_setting`` names the setting with
    the number of answers to keep (0: remember nothing).
    """

    def __init__(self, size_setting: str) -> None:
        self.size_setting = size_setting
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return int(getattr(settings, self.size_setting, 0) or 0)

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Any) -> None:
        size = self.size
        if not size:
            return
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
