"""Facet counts of the directory: beside each filter value, how many results it would give.

Standard faceting: each facet is counted over the result set with every *other* filter applied,
so choosing a second country adds to the results instead of emptying the other countries. Each
facet is one grouped COUNT in the database; taxonomy labels come from small per-process maps.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clustercollab.core.models import (
    Country,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.organisations.filters import (
    EU_CHOICES,
    LABEL_CHOICES,
    OrganisationFilterSet,
    eu_country_codes,
)
from clustercollab.organisations.models import Organisation, OrganisationKind

# Member-count bands offered as facet values: (members_min, members_max).
MEMBER_BANDS = [(1, 49), (50, 249), (250, None)]
REGIONS_SHOWN_WITHOUT_COUNTRY = 12


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


def _grouped(queryset: QuerySet, expression: Any) -> dict[Any, int]:
    rows = queryset.order_by().values_list(expression).annotate(n=Count("*"))
    return {key: n for key, n in rows if key is not None}


def _through_counts(
    filterset: OrganisationFilterSet, name: str, relation: str, key: Any
) -> dict[Any, int]:
    through = Organisation._meta.get_field(relation).remote_field.through
    organisations = filterset.queryset_without(name).values("pk")
    rows = (
        through.objects.filter(organisation_id__in=organisations)
        .order_by()
        .values_list(key)
        .annotate(n=Count("organisation_id", distinct=True))
    )
    return dict(rows)


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


@lru_cache(maxsize=8)
def _country_labels(language: str | None) -> dict[str, str]:
    return {country.code: country.local_name for country in Country.objects.all()}


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[int, str, str]]:
    """{code: (level, country code, name)} of every NUTS region."""
    return {
        code: (level, country, name)
        for code, level, country, name in NutsRegion.objects.values_list(
            "code", "level", "country_id", "name_latin"
        )
    }


@lru_cache(maxsize=8)
def _nace(language: str | None) -> dict[str, tuple[str, str]]:
    """{code: (level, label)} of the NACE sections and divisions."""
    return {
        activity.code: (activity.level, activity.label)
        for activity in NaceActivity.objects.filter(level__in=["section", "division"])
    }


def clear_facet_label_caches() -> None:
    for cached in (_country_labels, _regions, _nace):
        cached.cache_clear()


def _region_facet(filterset: OrganisationFilterSet) -> Facet:
    selected = _selected(filterset, "region")
    regions = _regions()
    countries = _selected(filterset, "country")
    # Drill down: below the deepest chosen region, else the NUTS 1 regions of one chosen
    # country, else the regions with most profiles.
    chosen = [code for code in selected if code in regions]
    if chosen:
        level = min(max(regions[code][0] for code in chosen) + 1, 3)
        prefixes = tuple(chosen)
    else:
        level, prefixes = 1, tuple(countries)
    queryset = filterset.queryset_without("region")
    if prefixes:
        condition = Q()
        for prefix in prefixes:
            condition |= Q(nuts_region__code__startswith=prefix)
        queryset = queryset.filter(condition)
    counts = _grouped(queryset, Substr("nuts_region_id", 1, level + 2))
    labels = {
        code: f"{regions[code][2]} ({code})"
        for code in sorted(set(counts) | selected)
        if code in regions and (regions[code][0] == level or code in selected)
    }
    limit = None if prefixes else REGIONS_SHOWN_WITHOUT_COUNTRY
    return _facet("region", _("Region"), counts, labels, selected, limit=limit)


def _nace_facet(filterset: OrganisationFilterSet) -> Facet:
    selected = _selected(filterset, "nace")
    nace = _nace(get_language())
    sections = {code for code in selected if nace.get(code, ("",))[0] == "section"}
    if sections:
        counts = _through_counts(
            filterset, "nace", "nace_activities", Substr("naceactivity_id", 1, 2)
        )
        counts = {code: n for code, n in counts.items() if code in nace}
        labels = {
            code: f"{code} {label}"
            for code, (level, label) in nace.items()
            if level == "division" and code in counts
        }
        labels |= {code: f"{code} {nace[code][1]}" for code in selected if code in nace}
    else:
        counts = _through_counts(filterset, "nace", "nace_activities", "naceactivity__section")
        labels = {
            code: f"{code} {label.capitalize()}"
            for code, (level, label) in nace.items()
            if level == "section"
        }
        labels |= {code: f"{code} {nace[code][1]}" for code in selected if code in nace}
    return _facet("nace", _("NACE sector"), counts, labels, selected)


def _language_counts(filterset: OrganisationFilterSet) -> dict[str, int]:
    queryset = filterset.queryset_without("language").values("pk")
    sql, params = queryset.query.sql_with_params()
    table = Organisation._meta.db_table
    if connections[queryset.db].vendor == "postgresql":
        each = "jsonb_array_elements_text(o.languages) AS spoken(value)"
    else:
        each = "json_each(o.languages) AS spoken"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT spoken.value, COUNT(*) FROM {table} o, {each} "
            f"WHERE o.id IN ({sql}) GROUP BY spoken.value",
            params,
        )
        return {value: n for value, n in cursor.fetchall() if isinstance(value, str)}


def _member_facet(filterset: OrganisationFilterSet) -> Facet:
    queryset = filterset.queryset_without("members_min", "members_max")
    conditions = {}
    for low, high in MEMBER_BANDS:
        condition = Q(member_total__gte=low)
        if high is not None:
            condition &= Q(member_total__lte=high)
        conditions[f"{low}-{high or ''}"] = condition
    counts = queryset.aggregate(
        **{f"band_{n}": Count("pk", filter=c) for n, c in enumerate(conditions.values())}
    )
    cleaned = filterset.form.cleaned_data
    values = []
    for n, ((low, high), key) in enumerate(zip(MEMBER_BANDS, conditions, strict=True)):
        label = f"{low}–{high}" if high is not None else f"{low}+"
        chosen = cleaned.get("members_min") == low and cleaned.get("members_max") == high
        if counts[f"band_{n}"] or chosen:
            query = filterset.data.copy()
            query.pop("page", None)
            query["members_min"] = str(low)
            query["members_max"] = "" if high is None else str(high)
            values.append(FacetValue(key, label, counts[f"band_{n}"], chosen, query.urlencode()))
    return Facet(name="members", label=_("Members"), values=values)


def directory_facets(filterset: OrganisationFilterSet) -> list[Facet]:
    """Return the facets of a valid filterset, in the order the page shows them."""
    language = get_language()
    facets = [
        _facet(
            "kind",
            _("Kind of organisation"),
            _grouped(filterset.queryset_without("kind"), "kind"),
            {value: str(label) for value, label in OrganisationKind.choices},
            _selected(filterset, "kind"),
        ),
        _facet(
            "country",
            _("Country"),
            _grouped(filterset.queryset_without("country"), "country_id"),
            _country_labels(language),
            _selected(filterset, "country"),
        ),
        _region_facet(filterset),
    ]
    eu_codes = set(eu_country_codes())
    eu_counts = {"eu": 0, "non_eu": 0}
    for code, n in _grouped(filterset.queryset_without("eu"), "country_id").items():
        eu_counts["eu" if code in eu_codes else "non_eu"] += n
    facets.append(
        _facet(
            "eu",
            _("EU"),
            eu_counts,
            {value: str(label) for value, label in EU_CHOICES},
            _selected(filterset, "eu"),
            keep_order=True,
        )
    )
    ecosystems = {e.slug: str(e) for e in IndustrialEcosystem.objects.all()}
    ecosystem_ids = dict(IndustrialEcosystem.objects.values_list("pk", "slug"))
    ecosystem_counts = _through_counts(
        filterset, "ecosystem", "ecosystems", "industrialecosystem_id"
    )
    facets.append(
        _facet(
            "ecosystem",
            _("Industrial ecosystem"),
            {ecosystem_ids[pk]: n for pk, n in ecosystem_counts.items()},
            ecosystems,
            _selected(filterset, "ecosystem"),
        )
    )
    facets.append(_nace_facet(filterset))
    facets.append(
        _facet(
            "emerging",
            _("Emerging industry"),
            _through_counts(filterset, "emerging", "emerging_industries", "emergingindustry_id"),
            {industry.slug: str(industry) for industry in EmergingIndustry.objects.all()},
            _selected(filterset, "emerging"),
        )
    )
    facets.append(
        _facet(
            "label",
            _("Cluster-excellence label"),
            _grouped(filterset.queryset_without("label"), "label"),
            {value: str(label) for value, label in LABEL_CHOICES},
            _selected(filterset, "label"),
            keep_order=True,
        )
    )
    facets.append(
        _facet(
            "language",
            _("Language spoken"),
            _language_counts(filterset),
            dict(settings.PROFILE_LANGUAGES),
            _selected(filterset, "language"),
        )
    )
    facets.append(_member_facet(filterset))
    return [facet for facet in facets if facet.values]
