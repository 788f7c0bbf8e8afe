"""Saved searches: a list's filters as a normalised query string, run by the list's FilterSet."""

from django.db.models import QuerySet
from django.http import QueryDict

from clustercollab.content.filters import EventFilter, FundingCallFilter, NewsFilter
from clustercollab.content.models import Event, FundingCall, News, SavedSearchList

SEARCH_FILTERS = {
    SavedSearchList.NEWS: (News, NewsFilter),
    SavedSearchList.EVENTS: (Event, EventFilter),
    SavedSearchList.CALLS: (FundingCall, FundingCallFilter),
}
MAX_QUERY_LENGTH = 500


def normalised_query(search_list: str, query: str | QueryDict) -> str:
    """Return the filters of a list URL's query that its FilterSet knows, sorted and non-empty.

    "page=2&country=FI&utm=x" for news becomes "country=FI": two links to the same search give
    one follow.
    """
    _model, filterset = SEARCH_FILTERS[SavedSearchList(search_list)]
    params = query if isinstance(query, QueryDict) else QueryDict(query)
    known = filterset.base_filters
    kept = QueryDict(mutable=True)
    for name in sorted(params):
        if name not in known:
            continue
        values = sorted({value.strip() for value in params.getlist(name) if value.strip()})
        if values:
            kept.setlist(name, values)
    return kept.urlencode()[:MAX_QUERY_LENGTH]


def search_results(search_list: str, query: str, queryset: QuerySet) -> QuerySet:
    """Return ``queryset`` (of the list's model) narrowed by the saved search's filters."""
    _model, filterset = SEARCH_FILTERS[SavedSearchList(search_list)]
    return filterset(QueryDict(query), queryset=queryset).qs


def search_description(search_list: str, query: str) -> str:
    """Return the saved search's filters in words, e.g. "Country: Finland · Search: robots"."""
    _model, filterset = SEARCH_FILTERS[SavedSearchList(search_list)]
    bound = filterset(QueryDict(query), queryset=_model.objects.none())
    form = bound.form
    if not form.is_valid():
        return query
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        if not hasattr(value, "pk") and value in choices:
            shown = str(choices[value])
        elif hasattr(value, "local_name"):
            shown = value.local_name
        else:
            shown = str(value)
        parts.append(f"{field.label}: {shown}" if field.label else shown)
    return " · ".join(parts)
