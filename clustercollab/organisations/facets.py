"""Facet counts of the directory: beside each filter value, how many results it would give.

Standard faceting: each facet is counted over the result set with every *other* filter applied,
so choosing a second country adds to the results instead of emptying the other countries.

The counts come from a ``FacetCounts``: the directory's in-memory index answers them
(``directory_index.IndexedQuery``, what the page uses), and ``SqlFacetCounts`` computes the same
numbers with grouped COUNTs in the database (the reference the index is tested against).
Taxonomy labels come from the per-process taxonomy lookups (taxonomies.py).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clustercollab.core.models import NaceActivity
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.directory_index import directory_stamp
from clustercollab.organisations.filters import (
    EU_CHOICES,
    LABEL_CHOICES,
    OrganisationFilterSet,
)
from clustercollab.organisations.models import Organisation, OrganisationKind
from clustercollab.organisations.taxonomies import DirectoryTaxonomies

# Member-count bands offered as facet values: (members_min, members_max).
MEMBER_BANDS = [(1, 49), (50, 249), (250, None)]
REGIONS_SHOWN_WITHOUT_COUNTRY = 12
REGIONS_COUNTED_WITHOUT_COUNTRY = 20_000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    # For values that set several parameters at once (member bands): the query string.
    query: str = ""


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


def _cached(parts: tuple, compute: Callable[[], Any]) -> Any:
    """Memoise one facet query by its SQL until the directory changes.

    Facet queries are shared between directory queries (the ecosystem counts of
    "ecosystem=digital" are those of the unfiltered directory), so they are cached one by one.
    """
    timeout = settings.DIRECTORY_COUNTS_CACHE_SECONDS
    if not timeout:
        return compute()
    version = directory_stamp(parts[0])  # parts: (database alias, SQL, parameters)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"organisations:directory-facet:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def _directory_sizes(using: str) -> dict[str, int]:
    """How many links each relation has and how many profiles list languages.

    Cached until the next change to the directory: the facets use it to skip empty relations and
    to choose which side of a join to walk.
    """
    key = f"organisations:directory-sizes:{using}:{directory_stamp(using)}"
    sizes = cache.get(key)
    if sizes is None:
        sizes = {
            relation: Organisation._meta.get_field(relation)
            .remote_field.through.objects.using(using)
            .count()
            for relation in ("ecosystems", "nace_activities", "emerging_industries")
        }
        sizes["languages"] = (
            Organisation.objects.using(using)
            .filter(status=ModerationStatus.PUBLISHED)
            .exclude(pk__in=Organisation.objects.using(using).filter(languages=[]).values("pk"))
            .count()
        )
        cache.set(key, sizes, timeout=None)
    return sizes


def _through_counts(
    filterset: OrganisationFilterSet,
    name: str,
    relation: str,
    key: str,
    *,
    join: str = "",
    distinct: bool = True,
    results: int | None = None,
) -> dict[Any, int]:
    """Count the organisations of the results without ``name`` by the SQL ``key`` of a link.

    ``key`` and ``join`` use the aliases ``t`` (the link table) and whatever ``join`` adds.
    """
    organisations = filterset.queryset_without(name).values("pk")
    using = organisations.db
    links = _directory_sizes(using)[relation]
    if not links:
        return {}
    sql, params = organisations.query.sql_with_params()
    through = Organisation._meta.get_field(relation).remote_field.through._meta.db_table
    connection = connections[using]
    column = "t.organisation_id"
    if connection.vendor == "sqlite" and results is not None and links < results:
        # Fewer links than results: walk the links and look each up in the result set, instead
        # of probing the link index once per result ("+" stops SQLite using that index).
        column = "+t.organisation_id"
    count = "COUNT(DISTINCT t.organisation_id)" if distinct else "COUNT(*)"
    query = (
        f"SELECT {key}, {count} FROM {through} t {join} WHERE {column} IN ({sql}) GROUP BY {key}"
    )

    def compute() -> dict[Any, int]:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return {value: n for value, n in cursor.fetchall() if value is not None}

    return _cached((using, query, tuple(params)), compute)


def _selected(filterset: OrganisationFilterSet, name: str) -> set[str]:
    # The FilterSet already upper-cased the codes in its copy of the query.
    return set(filterset.data.getlist(name))


def _facet(
    name: str,
    label: str,
    counts: dict[str, int],
    labels: dict[str, str],
    selected: set[str],
    *,
    keep_order: bool = False,
    limit: int | None = None,
) -> Facet:
    values = [
        FacetValue(value=key, label=labels[key], count=counts.get(key, 0), selected=key in selected)
        for key in labels
        if counts.get(key) or key in selected
    ]
    if not keep_order:
        values.sort(key=lambda value: (-value.count, value.label))
    if limit is not None:
        chosen = [value for value in values if value.selected]
        values = chosen + [value for value in values if not value.selected][: limit - len(chosen)]
    return Facet(name=name, label=label, values=values)


def _country_labels(taxonomies: DirectoryTaxonomies, language: str | None) -> dict[str, str]:
    return taxonomies.derived(
        ("country labels", language),
        lambda: {code: country.local_name for code, country in taxonomies.countries.rows.items()},
    )


def _regions(taxonomies: DirectoryTaxonomies) -> dict[str, tuple[int, str, str]]:
    """{code: (level, country code, name)} of every NUTS region."""
    return taxonomies.derived(
        "regions",
        lambda: {
            code: (region.level, region.country_id, region.name_latin)
            for code, region in taxonomies.regions.rows.items()
        },
    )


def _nace(taxonomies: DirectoryTaxonomies, language: str | None) -> dict[str, tuple[str, str]]:
    """{code: (level, label)} of the NACE sections and divisions."""
    return taxonomies.derived(
        ("nace labels", language),
        lambda: {
            code: (activity.level, activity.label)
            for code, activity in taxonomies.nace.rows.items()
            if activity.level in ("section", "division")
        },
    )


def _small_taxonomies(
    taxonomies: DirectoryTaxonomies, language: str | None
) -> tuple[dict, dict, dict]:
    """Labels of the ecosystems (by slug), their slugs by id, emerging industries by slug."""
    return taxonomies.derived(
        ("small labels", language),
        lambda: (
            {slug: str(e) for slug, e in taxonomies.ecosystems.rows.items()},
            {pk: e.slug for pk, e in taxonomies.ecosystems_by_id.items()},
            {slug: str(industry) for slug, industry in taxonomies.emerging.rows.items()},
        ),
    )


def _region_facet(filterset: OrganisationFilterSet, counter: "FacetCounts", results: int) -> Facet:
    selected = _selected(filterset, "region")
    regions = _regions(filterset.taxonomies())
    countries = _selected(filterset, "country")
    # Drill down: below the deepest chosen region, else the NUTS 1 regions of the chosen
    # countries, else the regions with most profiles when the results are few enough to
    # count cheaply (otherwise the facet waits until a country is chosen).
    chosen = [code for code in selected if code in regions]
    if chosen:
        level = min(max(regions[code][0] for code in chosen) + 1, 3)
        prefixes = tuple(chosen)
    else:
        level, prefixes = 1, tuple(countries)
    if not prefixes and results > REGIONS_COUNTED_WITHOUT_COUNTRY:
        return _facet("region", _("Region"), {}, {}, set())
    counts = counter.regions(level, tuple(sorted(prefixes)))
    labels = {
        code: f"{regions[code][2]} ({code})"
        for code in sorted(set(counts) | selected)
        if code in regions and (regions[code][0] == level or code in selected)
    }
    limit = None if prefixes else REGIONS_SHOWN_WITHOUT_COUNTRY
    return _facet("region", _("Region"), counts, labels, selected, limit=limit)


def _nace_facet(filterset: OrganisationFilterSet, counter: "FacetCounts") -> Facet:
    selected = _selected(filterset, "nace")
    nace = _nace(filterset.taxonomies(), get_language())
    sections = {code for code in selected if nace.get(code, ("",))[0] == "section"}
    if sections:
        counts = {code: n for code, n in counter.nace_divisions().items() if code in nace}
        labels = {
            code: f"{code} {label}"
            for code, (level, label) in nace.items()
            if level == "division" and code in counts
        }
    else:
        counts = counter.nace_sections()
        labels = {
            code: f"{code} {label.capitalize()}"
            for code, (level, label) in nace.items()
            if level == "section"
        }
    labels |= {code: f"{code} {nace[code][1]}" for code in selected if code in nace}
    return _facet("nace", _("NACE sector"), counts, labels, selected)


def _language_counts(filterset: OrganisationFilterSet) -> dict[str, int]:
    queryset = filterset.queryset_without("language").values("pk")
    if not _directory_sizes(queryset.db)["languages"]:
        return {}
    sql, params = queryset.query.sql_with_params()
    table = Organisation._meta.db_table
    if connections[queryset.db].vendor == "postgresql":
        each = "jsonb_array_elements_text(o.languages) AS spoken(value)"
        empty = "'[]'::jsonb"
    else:
        each = "json_each(o.languages) AS spoken"
        empty = "'[]'"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT spoken.value, COUNT(*) FROM {table} o, {each} "
            # The partial index org_speaking_languages (search.py) holds just these profiles.
            f"WHERE o.languages <> {empty} AND o.id IN ({sql}) GROUP BY spoken.value",
            params,
        )
        return {value: n for value, n in cursor.fetchall() if isinstance(value, str)}


CUBE_FACETS = {
    "kind": ("kind",),
    "country": ("country",),
    "eu": ("eu",),
    "label": ("label",),
    "members": ("members_min", "members_max"),
}


class _Slice:
    """Counts by (kind, country, label, member total) of the results without some filters."""

    def __init__(self, filterset: OrganisationFilterSet, without: tuple[str, ...]) -> None:
        queryset = (
            filterset.queryset_without(*without)
            .values_list("kind", "country_id", "label", "member_total")
            .annotate(n=Count("*"))
            .order_by()
        )
        sql, params = queryset.query.sql_with_params()
        self.rows = _cached((queryset.db, sql, tuple(params)), lambda: list(queryset))
        cleaned = filterset.form.cleaned_data
        eu_codes = set(filterset.taxonomies().eu_codes)
        kinds = set(cleaned.get("kind") or [])
        countries = {country.code for country in cleaned.get("country") or []}
        labels = set(cleaned.get("label") or [])
        eu = cleaned.get("eu") or ""
        low, high = cleaned.get("members_min"), cleaned.get("members_max")
        self.tests = {
            "kind": lambda row: not kinds or row[0] in kinds,
            "country": lambda row: not countries or row[1] in countries,
            "eu": lambda row: not eu or (row[1] in eu_codes) == (eu == "eu"),
            "label": lambda row: not labels or row[2] in labels,
            "members": lambda row: (
                (low is None or (row[3] or 0) >= low) and (high is None or (row[3] or 0) <= high)
            ),
        }

    def counts(self, facet: str | None, key: Callable[[tuple], Any]) -> dict[Any, int]:
        """Sum the rows passing every cube filter but ``facet``'s, grouped by ``key``."""
        tests = [test for name, test in self.tests.items() if name != facet]
        counts: dict[Any, int] = {}
        for row in self.rows:
            if all(test(row) for test in tests):
                value = key(row)
                counts[value] = counts.get(value, 0) + row[4]
        return counts


class _Cube:
    """The total and the counts of kind, country, EU, label and member bands.

    With at most one of these filters in use, one grouped query over the results without any
    of them (served by the covering facet index) gives everything: each facet sums the rows
    that pass the other filters. With more in use, each facet gets its own, narrower, grouped
    query, which is cheaper than one over the wider set.
    """

    def __init__(self, filterset: OrganisationFilterSet) -> None:
        self.filterset = filterset
        cleaned = filterset.form.cleaned_data
        active = [
            facet
            for facet, names in CUBE_FACETS.items()
            if any(cleaned.get(name) not in (None, "", []) for name in names)
        ]
        self.shared = (
            _Slice(filterset, tuple(n for names in CUBE_FACETS.values() for n in names))
            if len(active) <= 1
            else None
        )
        self.slices: dict[str | None, _Slice] = {}

    def _slice(self, facet: str | None) -> _Slice:
        if self.shared is not None:
            return self.shared
        if facet not in self.slices:
            self.slices[facet] = _Slice(self.filterset, CUBE_FACETS.get(facet, ()))
        return self.slices[facet]

    def total(self) -> int:
        return sum(self._slice(None).counts(None, lambda row: 0).values())

    def counts(self, facet: str, key: Callable[[tuple], Any]) -> dict[Any, int]:
        return self._slice(facet).counts(facet, key)


def _band(members: int | None) -> str | None:
    for low, high in MEMBER_BANDS:
        if (members or 0) >= low and (high is None or (members or 0) <= high):
            return f"{low}-{high or ''}"
    return None


class FacetCounts(Protocol):
    """Where the facet counts come from: each counts the results without its own filter."""

    total: int

    def kinds(self) -> dict[str, int]: ...
    def countries(self) -> dict[str, int]: ...
    def eu(self) -> dict[str, int]: ...
    def labels(self) -> dict[str, int]: ...
    def member_bands(self, bands: list[tuple[int, int | None]]) -> dict[str, int]: ...
    def regions(self, level: int, prefixes: tuple[str, ...]) -> dict[str, int]: ...
    def ecosystems(self) -> dict[int, int]: ...
    def nace_sections(self) -> dict[str, int]: ...
    def nace_divisions(self) -> dict[str, int]: ...
    def emerging(self) -> dict[str, int]: ...
    def languages(self) -> dict[str, int]: ...


class SqlFacetCounts:
    """The facet counts as grouped COUNTs in the database (the reference for the index)."""

    def __init__(self, filterset: OrganisationFilterSet) -> None:
        self.filterset = filterset
        self.cube = _Cube(filterset)

    @property
    def total(self) -> int:
        return self.cube.total()

    def kinds(self) -> dict[str, int]:
        return self.cube.counts("kind", lambda row: row[0])

    def countries(self) -> dict[str, int]:
        return self.cube.counts("country", lambda row: row[1])

    def eu(self) -> dict[str, int]:
        eu_codes = set(self.filterset.taxonomies().eu_codes)
        return self.cube.counts("eu", lambda row: "eu" if row[1] in eu_codes else "non_eu")

    def labels(self) -> dict[str, int]:
        return self.cube.counts("label", lambda row: row[2])

    def member_bands(self, bands: list[tuple[int, int | None]]) -> dict[str, int]:
        return self.cube.counts("members", lambda row: _band(row[3]))

    def regions(self, level: int, prefixes: tuple[str, ...]) -> dict[str, int]:
        queryset = self.filterset.queryset_without("region")
        if prefixes:
            condition = Q()
            for prefix in prefixes:
                condition |= Q(nuts_region__code__startswith=prefix)
            queryset = queryset.filter(condition)
        grouped = (
            queryset.order_by()
            .values_list(Substr("nuts_region_id", 1, level + 2))
            .annotate(n=Count("*"))
        )
        sql, params = grouped.query.sql_with_params()
        return _cached(
            (queryset.db, sql, tuple(params)),
            lambda: {key: n for key, n in grouped if key is not None},
        )

    def ecosystems(self) -> dict[int, int]:
        # Links are unique per organisation and value, so no DISTINCT is needed.
        return _through_counts(
            self.filterset,
            "ecosystem",
            "ecosystems",
            "t.industrialecosystem_id",
            distinct=False,
            results=self.total,
        )

    def nace_sections(self) -> dict[str, int]:
        return _through_counts(
            self.filterset,
            "nace",
            "nace_activities",
            "a.section",
            join=f"JOIN {NaceActivity._meta.db_table} a ON a.code = t.naceactivity_id",
            results=self.total,
        )

    def nace_divisions(self) -> dict[str, int]:
        return _through_counts(
            self.filterset,
            "nace",
            "nace_activities",
            "substr(t.naceactivity_id, 1, 2)",
            results=self.total,
        )

    def emerging(self) -> dict[str, int]:
        return _through_counts(
            self.filterset,
            "emerging",
            "emerging_industries",
            "t.emergingindustry_id",
            distinct=False,
            results=self.total,
        )

    def languages(self) -> dict[str, int]:
        return _language_counts(self.filterset)


def _member_facet(filterset: OrganisationFilterSet, counter: FacetCounts) -> Facet:
    band_counts = counter.member_bands(MEMBER_BANDS)
    cleaned = filterset.form.cleaned_data
    values = []
    for low, high in MEMBER_BANDS:
        key = f"{low}-{high or ''}"
        count = band_counts.get(key, 0)
        label = f"{low}–{high}" if high is not None else f"{low}+"
        chosen = cleaned.get("members_min") == low and cleaned.get("members_max") == high
        if count or chosen:
            query = filterset.data.copy()
            query.pop("page", None)
            query["members_min"] = str(low)
            query["members_max"] = "" if high is None else str(high)
            values.append(FacetValue(key, label, count, chosen, query.urlencode()))
    return Facet(name="members", label=_("Members"), values=values)


def directory_facets(
    filterset: OrganisationFilterSet, counter: FacetCounts | None = None
) -> list[Facet]:
    """Return the facets of a filterset, in the order the page shows them.

    ``counter`` defaults to the directory's in-memory index.
    """
    if counter is None:
        from clustercollab.organisations.directory_index import indexed_query

        counter = indexed_query(filterset, using=filterset.queryset.db)
    language = get_language()
    taxonomies = filterset.taxonomies()
    facets = [
        _facet(
            "kind",
            _("Kind of organisation"),
            counter.kinds(),
            {value: str(label) for value, label in OrganisationKind.choices},
            _selected(filterset, "kind"),
        ),
        _facet(
            "country",
            _("Country"),
            counter.countries(),
            _country_labels(taxonomies, language),
            _selected(filterset, "country"),
        ),
        _region_facet(filterset, counter, counter.total),
        _facet(
            "eu",
            _("EU"),
            counter.eu(),
            {value: str(label) for value, label in EU_CHOICES},
            _selected(filterset, "eu"),
            keep_order=True,
        ),
    ]
    ecosystems, ecosystem_ids, emerging = _small_taxonomies(taxonomies, language)
    facets.append(
        _facet(
            "ecosystem",
            _("Industrial ecosystem"),
            {ecosystem_ids[pk]: n for pk, n in counter.ecosystems().items()},
            ecosystems,
            _selected(filterset, "ecosystem"),
        )
    )
    facets.append(_nace_facet(filterset, counter))
    facets.append(
        _facet(
            "emerging",
            _("Emerging industry"),
            counter.emerging(),
            emerging,
            _selected(filterset, "emerging"),
        )
    )
    facets.append(
        _facet(
            "label",
            _("Cluster-excellence label"),
            counter.labels(),
            {value: str(label) for value, label in LABEL_CHOICES},
            _selected(filterset, "label"),
            keep_order=True,
        )
    )
    facets.append(
        _facet(
            "language",
            _("Language spoken"),
            counter.languages(),
            dict(settings.PROFILE_LANGUAGES),
            _selected(filterset, "language"),
        )
    )
    facets.append(_member_facet(filterset, counter))
    return [facet for facet in facets if facet.values]


def directory_total_and_facets(filterset: OrganisationFilterSet) -> tuple[int, list[Facet]]:
    """Return the number of results and the facets, counted in the database (no index)."""
    counter = SqlFacetCounts(filterset)
    return counter.total, directory_facets(filterset, counter)
