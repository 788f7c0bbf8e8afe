"""The figures of the public statistics dashboards.

Every figure is a grouped count (or sum) computed by the database, never by loading rows. The
whole set for one filter (country, ecosystem) and language is cached until the data changes:
the cache key carries this app's version (bumped by signals, see apps.py) and the directory
stamp (renewed by database triggers on every write to the profiles), and the
entry expires after ``INSIGHTS_CACHE_SECONDS`` in any case. The last set computed for a filter
is also kept (``INSIGHTS_STALE_SECONDS``) and shown while a task computes the new one.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, Q, QuerySet, Sum
from django.db.models.functions import Cast, Substr
from django.utils.translation import get_language, gettext, pgettext

from clustercollab.content.models import Event, FundingCall, News, SuccessStory
from clustercollab.core.models import Country, CountryGroup, IndustrialEcosystem, NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matchmaking.models import MatchmakingEvent, Meeting, MeetingStatus, Participant
from clustercollab.organisations.directory_index import directory_stamp
from clustercollab.organisations.models import (
    CLUSTER_KINDS,
    MEMBER_COUNT_FIELDS,
    Label,
    Organisation,
    OrganisationKind,
    Source,
)
from clustercollab.partnering.models import ExpressionOfInterest, PartnerPost
from clustercollab.response.models import Side, SupplyListing

VERSION_KEY = "insights:version"


def insights_changed() -> None:
    """Forget every cached dashboard figure (called when data they count changes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


@dataclass(frozen=True)
class InsightsFilters:
    """What the figures are restricted to: one country (ISO code), one ecosystem (slug)."""

    country: str = ""
    ecosystem: str = ""

    def as_params(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass
class Breakdown:
    """One indicator: rows of (code, label, one value per column), with how to draw it."""

    key: str
    title: str
    label_title: str
    columns: list[Column]
    rows: list[dict]
    chart: str  # a Chart.js type: bar, line, doughnut
    map: str = ""  # "country" or "nuts2" when the rows can colour a map, else ""
    notes: list[str] = field(default_factory=list)

    def value_rows(self) -> list[list]:
        """The rows as lists (code, label, values…), for CSV and the table templates."""
        return [
            [row["code"], row["label"], *(row[c.key] for c in self.columns)] for row in self.rows
        ]


@dataclass
class DashboardFigures:
    filters: InsightsFilters
    totals: dict[str, int]
    breakdowns: dict[str, Breakdown]


# The indicators in the order the dashboard shows them; the keys are used in URLs and the API.
INDICATORS = (
    "countries",
    "regions",
    "kinds",
    "ecosystems",
    "labels",
    "members",
    "growth",
    "content",
    "activity",
)


def dashboard_figures(filters: InsightsFilters) -> DashboardFigures:
    """Return every dashboard figure for ``filters``.

    Cached until the data changes. After a change, the last figures are served while a
    background task computes the new ones (at once when tasks run immediately); only when there
    are no figures at all are they computed in the request.
    """
    key = _cache_key(filters)
    figures = cache.get(key)
    if figures is not None:
        return figures
    stale = cache.get(_stale_key(filters))
    if stale is None:
        return refresh_figures(filters)
    if cache.add(f"{key}:refreshing", 1, timeout=REFRESH_LOCK_SECONDS):
        from clustercollab.insights.tasks import refresh_dashboard_figures

        refresh_dashboard_figures.enqueue(
            country=filters.country,
            ecosystem=filters.ecosystem,
            language=get_language() or settings.LANGUAGE_CODE,
        )
    return cache.get(key) or stale


# How long one background refresh of a filter's figures may take before another is started.
REFRESH_LOCK_SECONDS = 120


def refresh_figures(filters: InsightsFilters) -> DashboardFigures:
    """Compute the figures for ``filters`` in the active language now and cache them."""
    key = _cache_key(filters)  # the version before counting: a change meanwhile is not lost
    figures = compute_figures(filters)
    cache.set(key, figures, timeout=settings.INSIGHTS_CACHE_SECONDS)
    cache.set(_stale_key(filters), figures, timeout=settings.INSIGHTS_STALE_SECONDS)
    return figures


def _versions() -> str:
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    return f"{version}:{directory_stamp()}"


def _cache_key(filters: InsightsFilters) -> str:
    return f"insights:figures:{_versions()}:{_filter_key(filters)}"


class _Counts:
    """The database's answers for one filter, cached without a language: the figures in a
    second language only look up names."""

    def __init__(self, filters: InsightsFilters) -> None:
        self.prefix = f"insights:counts:{_versions()}:{filters.country}:{filters.ecosystem}"

    def get(self, name: str, count: Callable[[], Any]) -> Any:
        key = f"{self.prefix}:{name}"
        value = cache.get(key)
        if value is None:
            value = count()
            cache.set(key, value, timeout=settings.INSIGHTS_CACHE_SECONDS)
        return value


def _stale_key(filters: InsightsFilters) -> str:
    return f"insights:last-figures:{_filter_key(filters)}"


def _filter_key(filters: InsightsFilters) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return f"{language}:{filters.country}:{filters.ecosystem}"


def published_organisations(filters: InsightsFilters) -> QuerySet[Organisation]:
    """The published profiles the figures count, restricted by the filters."""
    return _scoped(Organisation.objects.filter(status=ModerationStatus.PUBLISHED), filters)


def _scoped(
    queryset: QuerySet,
    filters: InsightsFilters,
    *,
    country: str = "country_id",
    ecosystem: str = "ecosystems__slug",
) -> QuerySet:
    if filters.country:
        queryset = queryset.filter(**{country: filters.country})
    if filters.ecosystem:
        queryset = queryset.filter(**{ecosystem: filters.ecosystem})
    return queryset


def compute_figures(filters: InsightsFilters) -> DashboardFigures:
    """Compute every figure in the active language (dashboard_figures caches the result).

    The database's counts are asked once per data version and filter: another language's run
    reuses them (see _Counts)."""
    organisations = published_organisations(filters)
    counts = _Counts(filters)
    # One pass over the narrow directory index gives the country, kind, label and region counts.
    grid = counts.get(
        "grid",
        lambda: list(
            organisations.values_list("country_id", "kind", "label", "nuts_region_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    by_country: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    by_label: dict[str, int] = defaultdict(int)
    by_region: dict[str, int] = defaultdict(int)
    for country, kind, label, region, n in grid:
        by_country[country] += n
        by_kind[kind] += n
        by_label[label] += n
        if region:
            by_region[nuts2_code(region)] += n
    total = sum(by_country.values())
    members = _member_sums(organisations, counts)
    totals = {
        "organisations": total,
        "clusters": sum(by_kind.get(kind, 0) for kind in CLUSTER_KINDS),
        "countries": len(by_country),
        "members": sum(row["members"] for row in members.rows),
        "member_smes": next(
            row["members"] for row in members.rows if row["code"] == "members_smes"
        ),
    }
    breakdowns = [
        _countries(by_country),
        _regions(by_region),
        _kinds(by_kind),
        _ecosystems(organisations, counts),
        _labels(by_label),
        members,
        _growth(filters, counts),
        _content(filters, counts),
        _activity(filters, counts),
    ]
    return DashboardFigures(
        filters=filters, totals=totals, breakdowns={b.key: b for b in breakdowns}
    )


def nuts2_code(region_code: str) -> str:
    """The NUTS 2 region a NUTS code lies in (a level-1 code stays as it is)."""
    return region_code[:4]


def _count_column() -> list[Column]:
    return [Column("count", gettext("Organisations"))]


def _sorted_rows(counts: dict[str, int], labels: dict[str, str]) -> list[dict]:
    rows = [
        {"code": code, "label": labels.get(code, code), "count": n} for code, n in counts.items()
    ]
    rows.sort(key=lambda row: (-row["count"], row["label"]))
    return rows


def _countries(by_country: dict[str, int]) -> Breakdown:
    names = {c.code: c.local_name for c in Country.objects.filter(code__in=list(by_country))}
    return Breakdown(
        key="countries",
        title=gettext("Organisations by country"),
        label_title=gettext("Country"),
        columns=_count_column(),
        rows=_sorted_rows(by_country, names),
        chart="bar",
        map="country",
    )


def _regions(by_region: dict[str, int]) -> Breakdown:
    names = dict(
        NutsRegion.objects.filter(code__in=list(by_region)).values_list("code", "name_latin")
    )
    labels = {code: f"{code} {names[code]}" for code in by_region if code in names}
    return Breakdown(
        key="regions",
        title=gettext("Organisations by NUTS 2 region"),
        label_title=gettext("NUTS 2 region"),
        columns=_count_column(),
        rows=_sorted_rows(by_region, labels),
        chart="bar",
        map="nuts2",
        notes=[gettext("Profiles without a region are not counted here.")],
    )


def _kinds(by_kind: dict[str, int]) -> Breakdown:
    labels = {value: str(label) for value, label in OrganisationKind.choices}
    return Breakdown(
        key="kinds",
        title=gettext("Organisations by kind"),
        label_title=gettext("Kind of organisation"),
        columns=_count_column(),
        rows=_sorted_rows(by_kind, labels),
        chart="doughnut",
    )


def _ecosystems(organisations: QuerySet[Organisation], counted: _Counts) -> Breakdown:
    # Through the link table, so that with an ecosystem filter the other ecosystems of the
    # same organisations are counted too.
    links = Organisation.ecosystems.through.objects.filter(organisation__in=organisations)
    counts = counted.get(
        "ecosystems",
        lambda: dict(
            links.values_list("industrialecosystem__slug").annotate(n=Count("pk")).order_by()
        ),
    )
    labels = {e.slug: str(e) for e in IndustrialEcosystem.objects.all()}
    return Breakdown(
        key="ecosystems",
        title=gettext("Organisations by industrial ecosystem"),
        label_title=gettext("Industrial ecosystem"),
        columns=_count_column(),
        rows=_sorted_rows(counts, labels),
        chart="bar",
        notes=[gettext("An organisation active in several ecosystems counts in each.")],
    )


def _labels(by_label: dict[str, int]) -> Breakdown:
    labels = {value or "none": str(label) for value, label in Label.choices}
    labels["none"] = pgettext("cluster label", "No label")
    counts = {code or "none": n for code, n in by_label.items()}
    return Breakdown(
        key="labels",
        title=gettext("Organisations by cluster-excellence label"),
        label_title=gettext("Label"),
        columns=_count_column(),
        rows=_sorted_rows(counts, labels),
        chart="doughnut",
    )


def _member_sums(organisations: QuerySet[Organisation], counted: _Counts) -> Breakdown:
    aggregates = {}
    for name, _label in MEMBER_COUNT_FIELDS:
        aggregates[f"{name}__sum"] = Sum(name)
        aggregates[f"{name}__reported"] = Count(name)
    values = counted.get("members", lambda: organisations.aggregate(**aggregates))
    rows = [
        {
            "code": name,
            "label": str(label),
            "members": values[f"{name}__sum"] or 0,
            "organisations": values[f"{name}__reported"],
        }
        for name, label in MEMBER_COUNT_FIELDS
    ]
    return Breakdown(
        key="members",
        title=gettext("Members represented, by type"),
        label_title=gettext("Type of member"),
        columns=[
            Column("members", gettext("Members")),
            Column("organisations", gettext("Organisations reporting")),
        ],
        rows=rows,
        chart="bar",
        notes=[gettext("As reported by the organisations on their profiles.")],
    )


def _by_month(queryset: QuerySet, field_name: str) -> dict[str, int]:
    # The first seven characters of the stored UTC moment, on every engine: "2025-03".
    month = Substr(Cast(field_name, output_field=CharField()), 1, 7)
    return dict(
        queryset.filter(**{f"{field_name}__isnull": False})
        .annotate(month=month)
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _growth(filters: InsightsFilters, counted: _Counts) -> Breakdown:
    published = counted.get(
        "published", lambda: _by_month(published_organisations(filters), "published_at")
    )
    registered = counted.get(
        "registered",
        lambda: _by_month(
            _scoped(Organisation.objects.filter(source=Source.REGISTERED), filters), "created_at"
        ),
    )
    months = sorted({*published, *registered})
    if months:
        months = _months_between(months[0], months[-1])
    rows = [
        {
            "code": month,
            "label": date(int(month[:4]), int(month[5:7]), 1).strftime("%Y-%m"),
            "published": published.get(month, 0),
            "registered": registered.get(month, 0),
        }
        for month in months
    ]
    return Breakdown(
        key="growth",
        title=gettext("Growth over time, per month"),
        label_title=gettext("Month"),
        columns=[
            Column("published", gettext("Profiles published")),
            Column("registered", gettext("Registrations on the platform")),
        ],
        rows=rows,
        chart="line",
        notes=[
            gettext(
                "Published: profiles public now, by the month they were published. "
                "Registrations: profiles registered on the platform (any status, not imported), "
                "by the month they were created."
            )
        ],
    )


CONTENT_MODELS = (
    ("news", News),
    ("events", Event),
    ("calls", FundingCall),
    ("stories", SuccessStory),
)


def _content_counts(filters: InsightsFilters) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for key, model in CONTENT_MODELS:
        items = model.objects.filter(status=ModerationStatus.PUBLISHED)
        if filters.country:
            items = items.filter(countries__code=filters.country)
        # One filter() on the ecosystems, so that grouping by them reuses its join.
        tagged = {"ecosystems__slug": filters.ecosystem} if filters.ecosystem else {}
        items = items.filter(ecosystems__isnull=False, **tagged)
        for slug, n in items.values_list("ecosystems__slug").annotate(n=Count("pk")).order_by():
            counts[slug][key] = n
    return dict(counts)


def _content(filters: InsightsFilters, counted: _Counts) -> Breakdown:
    counts = counted.get("content", lambda: _content_counts(filters))
    names = {e.slug: str(e) for e in IndustrialEcosystem.objects.all()}
    rows = [
        {"code": slug, "label": names.get(slug, slug)}
        | {key: counts[slug].get(key, 0) for key, _model in CONTENT_MODELS}
        for slug in names
        if slug in counts
    ]
    return Breakdown(
        key="content",
        title=gettext("Content and events per industrial ecosystem"),
        label_title=gettext("Industrial ecosystem"),
        columns=[
            Column("news", gettext("News")),
            Column("events", gettext("Events")),
            Column("calls", gettext("Funding calls")),
            Column("stories", gettext("Success stories")),
        ],
        rows=rows,
        chart="bar",
        notes=[
            gettext(
                "Published items tagged with the ecosystem; the country filter uses the "
                "countries they are tagged with."
            )
        ],
    )


def _activity_counts(filters: InsightsFilters) -> dict[str, int]:
    org = {"country": "organisation__country_id", "ecosystem": "organisation__ecosystems__slug"}
    posts = _scoped(PartnerPost.objects.filter(published_at__isnull=False), filters, **org)
    listings = dict(
        _scoped(SupplyListing.objects.all(), filters, ecosystem=org["ecosystem"])
        .values_list("side")
        .annotate(n=Count("pk"))
        .order_by()
    )
    participants = _scoped(Participant.objects.filter(event__is_public=True), filters, **org)
    events = MatchmakingEvent.objects.filter(is_public=True)
    if filters.country or filters.ecosystem:
        events = events.filter(pk__in=participants.values("event_id"))
    requester = {
        "country": "request__requester__organisation__country_id",
        "ecosystem": "request__requester__organisation__ecosystems__slug",
    }
    meetings = Meeting.objects.filter(status=MeetingStatus.CONFIRMED, event__is_public=True)
    return {
        "partner_posts": posts.count(),
        "expressions_of_interest": _scoped(
            ExpressionOfInterest.objects.all(), filters, **org
        ).count(),
        "matchmaking_events": events.count(),
        "participants": participants.count(),
        "meetings": _scoped(meetings, filters, **requester).count(),
        "supply_offers": listings.get(Side.OFFER, 0),
        "supply_requests": listings.get(Side.REQUEST, 0),
    }


def _activity(filters: InsightsFilters, counted: _Counts) -> Breakdown:
    counts = counted.get("activity", lambda: _activity_counts(filters))
    labels = {
        "partner_posts": gettext("Partner search posts published"),
        "expressions_of_interest": gettext("Expressions of interest sent"),
        "matchmaking_events": gettext("Public matchmaking events"),
        "participants": gettext("Matchmaking participants"),
        "meetings": gettext("Confirmed matchmaking meetings"),
        "supply_offers": gettext("Crisis supply offers"),
        "supply_requests": gettext("Crisis supply requests"),
    }
    measures = [(code, label, counts[code]) for code, label in labels.items()]
    return Breakdown(
        key="activity",
        title=gettext("Matchmaking and partnering activity"),
        label_title=gettext("Activity"),
        columns=[Column("count", gettext("Count"))],
        rows=[{"code": code, "label": label, "count": n} for code, label, n in measures],
        chart="bar",
        notes=[
            gettext(
                "Filtered by the country and ecosystems of the organisation that acted "
                "(crisis listings: the country of the listing)."
            )
        ],
    )


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The filters' options in the active language: countries with a published profile (and
    every EU country), the 14 ecosystems. Cached for INSIGHTS_CACHE_SECONDS, changes or not: a
    country's first profile may take that long to be offered here (its figures do not)."""
    key = f"insights:choices:{get_language() or settings.LANGUAGE_CODE}"
    choices = cache.get(key)
    if choices is None:
        with_profiles = Organisation.objects.filter(status=ModerationStatus.PUBLISHED).values(
            "country_id"
        )
        countries = Country.objects.filter(Q(pk__in=with_profiles) | Q(group=CountryGroup.EU))
        choices = {
            "country": sorted(((c.code, c.local_name) for c in countries), key=lambda c: c[1]),
            "ecosystem": [(e.slug, str(e)) for e in IndustrialEcosystem.objects.all()],
        }
        cache.set(key, choices, timeout=settings.INSIGHTS_CACHE_SECONDS)
    return choices
