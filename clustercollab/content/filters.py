"""One FilterSet per content list, shared by the HTML lists, the API and the feeds.

Every FilterSet filters a queryset it is given; the caller decides what is visible (public
lists pass ``Model.objects.published()``).
"""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import (
    CallStatus,
    Event,
    EventMode,
    EventType,
    FundingCall,
    News,
    SuccessStory,
    folded,
)
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.matching.forms import meaning_filter
from clustercollab.matching.hybrid import ranked_by_meaning


def search_words(queryset: QuerySet, query: str) -> QuerySet:
    """Items whose title or text contain every word of ``query``, ignoring case and accents."""
    for word in folded(query).split()[:10]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


# Dates outside these bounds filter like the bounds (no overflow near year 1 or 9999).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2200, 12, 31)


def _day_start(day: date) -> datetime:
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    """``?country=fi`` or ``?country=FI``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("queryset", Country.objects.all())
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("field_name", "countries")
        kwargs.setdefault("distinct", True)
        super().__init__(*args, **kwargs)


def _clean_parameters(data: object) -> QueryDict:
    """The query parameters without NUL characters (PostgreSQL refuses them; nobody means
    them) and with the country code in capitals."""
    cleaned = QueryDict(mutable=True)
    pairs = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    for key, values in pairs:
        cleaned.setlist(key, [str(value).replace("\x00", "") for value in values])
    if cleaned.get("country"):
        cleaned["country"] = cleaned["country"].upper()
    return cleaned


class IdFilter(django_filters.Filter):
    """A database id: a positive integer that fits the id column on every database."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ContentFilterSet(django_filters.FilterSet):
    """Filters every content list has: search, ecosystem, country, organisation, dates."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    # Applied with q in filter_queryset: the words and their meaning, fused.
    meaning = meaning_filter("filter_by_meaning")
    ecosystem = django_filters.ModelChoiceFilter(
        label=_("Industrial ecosystem"),
        field_name="ecosystems",
        to_field_name="slug",
        queryset=IndustrialEcosystem.objects.all(),
        distinct=True,
    )
    country = CountryCodeFilter()
    organisation = IdFilter(
        label=_("Organisation"), field_name="organisation_id", widget=forms.HiddenInput
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    # The date field ``date_from``/``date_to`` compare with; Events override the methods.
    date_field = "published_at"

    def __init__(self, data: object = None, *args: object, **kwargs: object) -> None:
        if data is not None:
            data = _clean_parameters(data)
        super().__init__(data, *args, **kwargs)

    # Set by filter_queryset when meaning was asked for but the kind has no vectors yet.
    meaning_unavailable = False

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_words(queryset, value)

    def filter_by_meaning(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        text = self.form.cleaned_data.get("q")
        if not (text and self.form.cleaned_data.get("meaning")):
            return super().filter_queryset(queryset)
        self.form.cleaned_data["q"] = ""
        try:
            filtered = super().filter_queryset(queryset)
        finally:
            self.form.cleaned_data["q"] = text
        ranked = ranked_by_meaning(filtered, text, text_search=search_words)
        self.meaning_unavailable = ranked is None
        return search_words(filtered, text) if ranked is None else ranked

    def filter_date_from(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(**{f"{self.date_field}__gte": _day_start(value)})

    def filter_date_to(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(**{f"{self.date_field}__lt": _day_start(value) + timedelta(days=1)})


class NewsFilter(ContentFilterSet):
    class Meta:
        model = News
        fields = ["q", "meaning", "ecosystem", "country", "organisation", "date_from", "date_to"]


class SuccessStoryFilter(ContentFilterSet):
    class Meta:
        model = SuccessStory
        fields = ["q", "meaning", "ecosystem", "country", "organisation", "date_from", "date_to"]


class EventFilter(ContentFilterSet):
    type = django_filters.ChoiceFilter(
        label=_("Type of event"), field_name="event_type", choices=EventType.choices
    )
    mode = django_filters.ChoiceFilter(label=_("Format"), choices=EventMode.choices)
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
    )
    campaign = django_filters.CharFilter(
        label=_("Campaign"), field_name="campaign__slug", widget=forms.HiddenInput
    )

    class Meta:
        model = Event
        fields = [
            "q",
            "meaning",
            "type",
            "mode",
            "ecosystem",
            "country",
            "organisation",
            "date_from",
            "date_to",
            "when",
            "campaign",
        ]

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "past":
            return queryset.past()
        return queryset.upcoming()

    # An event is in a date range when it runs on at least one of its days.
    def filter_date_from(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(ends_at__gte=_day_start(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(starts_at__lt=_day_start(value) + timedelta(days=1))


class FundingCallFilter(ContentFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CallStatus.choices, method="filter_status"
    )
    programme = django_filters.CharFilter(
        label=_("Programme"), lookup_expr="icontains", max_length=200
    )
    type = django_filters.CharFilter(
        label=_("Type of action"), field_name="type_of_action", lookup_expr="icontains"
    )

    date_field = "deadline_at"

    class Meta:
        model = FundingCall
        fields = [
            "q",
            "meaning",
            "status",
            "programme",
            "type",
            "ecosystem",
            "country",
            "organisation",
            "date_from",
            "date_to",
        ]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_status(value)

    # A call is in a date range when one of its deadlines is.
    def filter_date_from(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        start = _day_start(value)
        return queryset.filter(Q(deadline_at__gte=start) | Q(second_deadline_at__gte=start))

    def filter_date_to(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        end = _day_start(value) + timedelta(days=1)
        return queryset.filter(Q(deadline_at__lt=end) | Q(second_deadline_at__lt=end))
