"""RSS and Atom feeds of news and funding calls, filtered exactly like the lists they mirror.

``/news/feed/rss/?country=FI&ecosystem=digital`` lists what ``/news/?country=FI&ecosystem=digital``
lists: both run the list's FilterSet over the published items only.
"""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Model, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clustercollab.content.filters import FundingCallFilter, NewsFilter
from clustercollab.content.models import FundingCall, News
from clustercollab.content.selectors import public_items

FEED_LENGTH = 50
# Query parameters that only page or shape the HTML list and say nothing about what is listed.
NON_FILTER_PARAMETERS = {"page", "partial"}


def filter_parameters(query: QueryDict) -> QueryDict:
    """Return the query without paging parameters, for feed and list links."""
    params = query.copy()
    for name in NON_FILTER_PARAMETERS:
        params.pop(name, None)
    return params


def _url_with(path: str, query: QueryDict) -> str:
    encoded = filter_parameters(query).urlencode()
    return f"{path}?{encoded}" if encoded else path


def list_url(name: str, query: QueryDict) -> str:
    try:
        path = reverse(name)
    except NoReverseMatch:
        path = "/"
    return _url_with(path, query)


class FeedQuery(QueryDict):
    """The feed's filters, and the feed's own path for its self link."""

    path = ""


class FilteredFeed(Feed):
    """A feed of one content list; ``filterset`` and ``list_name`` say which."""

    feed_type = Rss201rev2Feed
    model: type[Model]
    filterset: type
    list_name: str
    order_by = ("-published_at", "-id")

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> "FeedQuery":
        query = FeedQuery(filter_parameters(request.GET).urlencode(), mutable=False)
        query.path = request.path
        return query

    def items(self, query: QueryDict) -> QuerySet:
        queryset = self.filterset(query, queryset=public_items(self.model)).qs
        return queryset.order_by(*self.order_by)[:FEED_LENGTH]

    def link(self, query: QueryDict) -> str:
        return list_url(self.list_name, query)

    def feed_url(self, query: "FeedQuery") -> str:
        return _url_with(query.path, query)

    def item_title(self, item: Model) -> str:
        return item.title

    def item_description(self, item: Model) -> str:
        return item.summary

    def item_pubdate(self, item: Model) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Model) -> datetime | None:
        return item.updated_at

    def item_guid(self, item: Model) -> str:
        return f"{self.model._meta.model_name}-{item.pk}"

    item_guid_is_permalink = False

    def item_categories(self, item: Model) -> list[str]:
        return [str(ecosystem) for ecosystem in item.ecosystems.all()]

    def item_author_name(self, item: Model) -> str | None:
        return str(item.organisation) if item.organisation_id else None


class NewsRssFeed(FilteredFeed):
    model = News
    filterset = NewsFilter
    list_name = "content:news_list"

    def title(self, query: QueryDict) -> str:
        return _("News · clustercollab")

    def description(self, query: QueryDict) -> str:
        return _("News from cluster organisations across Europe.")


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description


class CallRssFeed(FilteredFeed):
    model = FundingCall
    filterset = FundingCallFilter
    list_name = "content:call_list"

    def title(self, query: QueryDict) -> str:
        return _("Funding calls · clustercollab")

    def description(self, query: QueryDict) -> str:
        return _("Funding calls for clusters and their members, newest first.")

    def item_description(self, item: FundingCall) -> str:
        deadline = item.next_deadline_at() or item.final_deadline_at
        parts = [item.programme]
        if deadline is not None:
            local = deadline.astimezone(item.zone)
            parts.append(
                _("Deadline: %(when)s (%(zone)s)")
                % {"when": date_format(local, "DATETIME_FORMAT"), "zone": item.timezone}
            )
        parts.append(item.summary)
        return " · ".join(part for part in parts if part)


class CallAtomFeed(CallRssFeed):
    feed_type = Atom1Feed
    subtitle = CallRssFeed.description
