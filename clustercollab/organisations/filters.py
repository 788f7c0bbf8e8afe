"""The directory's one FilterSet: the HTML page, the map's GeoJSON, the CSV export and the API.

Query parameters (the URL holds the whole state; every multi-valued one may repeat, values of one
parameter are alternatives, different parameters all apply):

    q            words to search for (see search.py)
    kind         OrganisationKind value
    country      ISO 3166 code, e.g. DE
    region       NUTS 1/2/3 code; matches profiles in that region or any region inside it
    eu           "eu" or "non_eu"
    ecosystem    industrial-ecosystem slug
    nace         NACE code (section letter, division, group or class); includes its children
    emerging     emerging-industry slug
    label        cluster-excellence label (bronze, silver, gold)
    members_min  at least this many members (whole number)
    members_max  at most this many members (whole number)
    language     a language spoken (ISO 639-1 code)
    sort         relevance (default when q is given), name (default otherwise), size, newest

Only published profiles ever come out, whatever queryset is passed in. Invalid values make the
form invalid (``filterset.is_valid()`` is False, ``filterset.errors`` says why); callers show a
notice (page) or answer 400 (API) instead of filtering.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Upper
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import (
    Country,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching.forms import meaning_filter
from clustercollab.matching.hybrid import among_ids, fused_ids, in_order
from clustercollab.organisations.models import Label, Organisation, OrganisationKind
from clustercollab.organisations.search import needs_similarity, search_organisations
from clustercollab.organisations.taxonomies import DirectoryTaxonomies, directory_taxonomies

SORT_RELEVANCE = "relevance"
SORT_CHOICES = [
    (SORT_RELEVANCE, _("Relevance")),
    ("name", _("Name")),
    ("size", _("Size (members)")),
    ("newest", _("Newest")),
]
SORT_ORDERINGS = {
    "name": ["name", "pk"],
    "size": ["-member_total", "name", "pk"],
    "newest": ["-published_at", "-pk"],
    SORT_RELEVANCE: ["-search_rank", "name", "pk"],
}
EU_CHOICES = [("eu", _("EU member states")), ("non_eu", _("Outside the EU"))]
LABEL_CHOICES = [(value, label) for value, label in Label.choices if value]

UPPERCASE_CODES = ["country", "region", "nace"]

# The parameters that narrow the result set (everything but the text and the sort), in the
# order the page shows their facets.
FACET_PARAMETERS = [
    "kind",
    "country",
    "region",
    "eu",
    "ecosystem",
    "nace",
    "emerging",
    "label",
    "language",
    "members_min",
    "members_max",
]


class MembersFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TaxonomyChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Codes or slugs of one taxonomy, checked against the per-process lookups (taxonomies.py)
    instead of the database: the same values pass, with the same messages, and the cleaned value
    is the same list of rows in the model's order.

    ``taxonomies`` gives the lookups of the query's directory stamp (set by the FilterSet).
    """

    def __init__(self, *args: Any, taxonomy: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        self.taxonomies: Callable[[], DirectoryTaxonomies] | None = None

    def clean(self, value: Any) -> list:
        value = self.prepare_value(value)
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        for key in value:
            self.validate_no_null_characters(key)
        lookups = self.taxonomies() if self.taxonomies else directory_taxonomies(self.queryset.db)
        table = getattr(lookups, self.taxonomy)
        for key in value:
            if not isinstance(key, str) or key not in table.rows:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        self.run_validators(value)
        return table.in_model_order(value)


class TaxonomyChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """A ModelMultipleChoiceFilter (same schema, same filtering) validated by TaxonomyChoiceField.

    ``taxonomy``: the DirectoryTaxonomies table of the values (keyed by ``to_field_name``).
    """

    field_class = TaxonomyChoiceField


def _linked_to(field: str, *conditions: Q, counting: bool = False, **lookups: Any) -> Q:
    """A condition: the profile has a link in ``field`` meeting the conditions.

    For counting, an ``IN`` subquery: SQLite reads the matching links once and looks the
    profiles up. For a page in name order, a correlated EXISTS: the name index is walked and
    the walk stops after one page.
    """
    through = Organisation._meta.get_field(field).remote_field.through
    links = through.objects.filter(*conditions, **lookups)
    if counting:
        return Q(pk__in=links.values("organisation_id"))
    return Q(Exists(links.filter(organisation_id=OuterRef("pk"))))


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_nothing", max_length=200, strip=True
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"), choices=OrganisationKind.choices, distinct=False
    )
    country = TaxonomyChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        taxonomy="countries",
        distinct=False,
    )
    region = TaxonomyChoiceFilter(
        label=_("Region"),
        queryset=NutsRegion.objects.all(),
        to_field_name="code",
        taxonomy="regions",
        method="filter_region",
    )
    eu = django_filters.ChoiceFilter(label=_("EU"), choices=EU_CHOICES, method="filter_eu")
    ecosystem = TaxonomyChoiceFilter(
        label=_("Industrial ecosystem"),
        queryset=IndustrialEcosystem.objects.all(),
        to_field_name="slug",
        taxonomy="ecosystems",
        method="filter_ecosystem",
    )
    nace = TaxonomyChoiceFilter(
        label=_("NACE sector"),
        queryset=NaceActivity.objects.all(),
        to_field_name="code",
        taxonomy="nace",
        method="filter_nace",
    )
    emerging = TaxonomyChoiceFilter(
        label=_("Emerging industry"),
        queryset=EmergingIndustry.objects.all(),
        to_field_name="slug",
        taxonomy="emerging",
        method="filter_emerging",
    )
    label = django_filters.MultipleChoiceFilter(
        label=_("Cluster-excellence label"), choices=LABEL_CHOICES, distinct=False
    )
    members_min = MembersFilter(
        label=_("At least … members"),
        field_name="member_total",
        lookup_expr="gte",
        min_value=0,
        max_value=10_000_000,
    )
    members_max = MembersFilter(
        label=_("At most … members"),
        field_name="member_total",
        lookup_expr="lte",
        min_value=0,
        max_value=10_000_000,
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language spoken"), choices=settings.PROFILE_LANGUAGES, method="filter_language"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_nothing", empty_label=None
    )
    meaning = meaning_filter("filter_nothing")
    meaning_unavailable = False  # set when meaning was asked for before vectors exist

    class Meta:
        model = Organisation
        fields: list[str] = []

    # Built once per FilterSet class: its fields never differ between instances.
    _form_classes: ClassVar[dict[type, type]] = {}

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Organisation] | None = None,
        *,
        stamp: int | None = None,
        **kwargs: Any,
    ) -> None:
        """``stamp``: the directory stamp if the caller has just read it (else read when needed)."""
        if queryset is None:
            queryset = Organisation.objects.all()
        # Always bound, so that an empty query still goes through filter_queryset (published).
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for name in UPPERCASE_CODES:
            if hasattr(data, "setlist") and name in data:
                data.setlist(name, [value.strip().upper() for value in data.getlist(name)])
        super().__init__(data, queryset=queryset, **kwargs)
        self._similar: bool | None = None  # decided once per query (see search.py)
        self._counting = False
        self._stamp = stamp
        self._taxonomies: DirectoryTaxonomies | None = None

    @property
    def stamp(self) -> int:
        """The directory stamp this query is answered at."""
        if self._stamp is None:
            from clustercollab.organisations.directory_index import directory_stamp

            self._stamp = directory_stamp(self.queryset.db)
        return self._stamp

    def taxonomies(self) -> DirectoryTaxonomies:
        """The taxonomy lookups at this query's stamp: to check values and to label facets."""
        if self._taxonomies is None:
            self._taxonomies = directory_taxonomies(self.queryset.db, stamp=self.stamp)
        return self._taxonomies

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        if cls not in self._form_classes:
            self._form_classes[cls] = super().get_form_class()
        return self._form_classes[cls]

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            for field in super().form.fields.values():
                if isinstance(field, TaxonomyChoiceField):
                    field.taxonomies = self.taxonomies
        return self._form

    # -- filter methods (each receives the cleaned value, never an empty one) ------------------

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # q and sort are applied in filter_queryset, after every other filter.
        return queryset

    def filter_region(self, queryset: QuerySet, name: str, value: list[NutsRegion]) -> QuerySet:
        # NUTS codes nest by prefix: DE212 lies in DE21, which lies in DE2.
        condition = Q()
        for region in value:
            condition |= Q(nuts_region__code__startswith=region.code)
        return queryset.filter(condition)

    def filter_eu(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # By country code, not by a join to the countries: the codes are few and stable. Through
        # a function, so that no index on the country is used for a condition most profiles
        # meet: the page of results then walks the name index and stops after one page.
        eu = Q(country_code__in=self.taxonomies().eu_codes)
        queryset = queryset.alias(country_code=Upper("country_id"))
        return queryset.filter(eu if value == "eu" else ~eu)

    def filter_ecosystem(self, queryset: QuerySet, name: str, value: list) -> QuerySet:
        ids = [ecosystem.pk for ecosystem in value]
        return queryset.filter(
            _linked_to("ecosystems", industrialecosystem_id__in=ids, counting=self._counting)
        )

    def filter_emerging(self, queryset: QuerySet, name: str, value: list) -> QuerySet:
        slugs = [industry.pk for industry in value]
        return queryset.filter(
            _linked_to(
                "emerging_industries", emergingindustry_id__in=slugs, counting=self._counting
            )
        )

    def filter_nace(self, queryset: QuerySet, name: str, value: list[NaceActivity]) -> QuerySet:
        condition = Q()
        for activity in value:
            if activity.level == "section":
                condition |= Q(naceactivity__section=activity.code)
            else:
                condition |= Q(naceactivity__code__startswith=activity.code)
        return queryset.filter(_linked_to("nace_activities", condition, counting=self._counting))

    def filter_language(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(JsonListHasAny("languages", value))

    # -- applying them -------------------------------------------------------------------------

    def filter_queryset(
        self,
        queryset: QuerySet[Organisation],
        *,
        without: tuple[str, ...] = (),
        ranked: bool | None = None,
        counting: bool = False,
    ) -> QuerySet[Organisation]:
        """Apply every valid filter (but ``without``), the text search and the sort order.

        ``ranked`` (default: when sorting by relevance) joins the search index for the rank;
        unranked querysets are cheaper to count and facet.
        """
        queryset = queryset.filter(status=ModerationStatus.PUBLISHED)
        # Unordered (counts, facets, map): shape the conditions for counting.
        self._counting = counting
        for name, value in self.form.cleaned_data.items():
            if name in without or is_empty_filter_value(value):
                continue
            queryset = self.filters[name].filter(queryset, value)
        text = self.form.cleaned_data.get("q") or ""
        sort = self.sort_key
        if ranked is None:
            ranked = sort == SORT_RELEVANCE
        if text and self.form.cleaned_data.get("meaning"):
            by_meaning = self._by_meaning(queryset, text, ranked=ranked, sort=sort)
            if by_meaning is not None:
                return by_meaning
        if text:
            if self._similar is None:
                self._similar = needs_similarity(text, using=queryset.db)
            queryset = search_organisations(queryset, text, ranked=ranked, similar=self._similar)
        if sort == SORT_RELEVANCE and not (text and ranked):
            sort = "name"
        return queryset.order_by(*SORT_ORDERINGS[sort])

    def _by_meaning(
        self, queryset: QuerySet[Organisation], text: str, *, ranked: bool, sort: str
    ) -> QuerySet[Organisation] | None:
        """The matches of ``text`` by words and by meaning, fused (matching.hybrid)."""

        def by_words(candidates: QuerySet, words: str) -> QuerySet:
            if self._similar is None:
                self._similar = needs_similarity(words, using=candidates.db)
            matches = search_organisations(candidates, words, ranked=True, similar=self._similar)
            return matches.order_by("-search_rank", "name", "pk")

        ids = fused_ids(queryset, text, text_search=by_words, restrict=bool(self.active_filters))
        self.meaning_unavailable = ids is None
        if ids is None:
            return None
        if sort == SORT_RELEVANCE and ranked:
            return in_order(queryset, ids)
        sort = "name" if sort == SORT_RELEVANCE else sort
        return among_ids(queryset, ids).order_by(*SORT_ORDERINGS[sort])

    def queryset_without(self, *names: str) -> QuerySet[Organisation]:
        """The result set with every filter but ``names``, unordered: for their facet counts."""
        self.is_valid()
        return self.filter_queryset(
            self.queryset.all(), without=names, ranked=False, counting=True
        ).order_by()

    @property
    def result_set(self) -> QuerySet[Organisation]:
        """The results, unordered and unranked: to count them, map them or export them."""
        return self.queryset_without()

    @property
    def sort_key(self) -> str:
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        sort = cleaned.get("sort") or ""
        text = cleaned.get("q") or ""
        if not sort or (sort == SORT_RELEVANCE and not text):
            return SORT_RELEVANCE if text else "name"
        return sort

    @property
    def active_filters(self) -> dict[str, Any]:
        """The narrowing filters in use (name → cleaned value), for "remove this filter" links."""
        if not self.is_valid():
            return {}
        return {
            name: self.form.cleaned_data[name]
            for name in FACET_PARAMETERS
            if not is_empty_filter_value(self.form.cleaned_data.get(name))
        }


def is_empty_filter_value(value: Any) -> bool:
    """Whether a cleaned filter value leaves the results alone (nothing chosen)."""
    if isinstance(value, QuerySet):
        return not value
    return value in (None, "", [], ())


class JsonListHasAny(Func):
    """A condition: the JSON list in ``field`` holds at least one of ``values``."""

    output_field = BooleanField()

    def __init__(self, field: str, values: list[str]) -> None:
        super().__init__(F(field))
        self.values = list(values)

    def as_sqlite(self, compiler, connection, **extra) -> tuple[str, list]:  # noqa: ANN001, ANN003
        sql, params = compiler.compile(self.source_expressions[0])
        placeholders = ", ".join(["%s"] * len(self.values))
        return (
            f"EXISTS (SELECT 1 FROM json_each({sql}) WHERE json_each.value IN ({placeholders}))",
            [*params, *self.values],
        )

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:  # noqa: ANN001, ANN003
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ?| %s::text[])", [*params, self.values]


@dataclass(frozen=True)
class FilterRemoval:
    """One filter value in use and the query string without it ("remove this filter")."""

    label: str
    value: str
    query: str


def directory_removals(params: QueryDict, filterset: OrganisationFilterSet) -> list[FilterRemoval]:
    """The active narrowing filters of ``params``, each with the query that drops it."""
    removals = []
    for name in [*FACET_PARAMETERS, "q"]:
        for value in params.getlist(name):
            if not value.strip():
                continue
            query = params.copy()
            query.setlist(name, [v for v in params.getlist(name) if v != value])
            query.pop("page", None)
            field = filterset.form.fields.get(name)
            removals.append(
                FilterRemoval(
                    label=str(field.label) if field is not None else name,
                    value=_value_label(field, value, filterset),
                    query=query.urlencode(),
                )
            )
    return removals


def _value_label(field: forms.Field | None, value: str, filterset: OrganisationFilterSet) -> str:
    if isinstance(field, TaxonomyChoiceField):
        rows = getattr(filterset.taxonomies(), field.taxonomy).rows
        found = rows.get(value.strip().upper()) or rows.get(value)
        return str(found) if found is not None else value
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return value
