"""Feed links and Follow buttons for the content lists and organisation pages.

In a list template: ``{% load content_feeds %}``, then ``{% feed_head_links %}`` inside
``{% block head %}`` and ``{% feed_links %}`` where the links and the "Follow this search" button
go. The list (news, events or calls) comes from the URL name, or is given:
``{% feed_links "news" %}``.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from clustercollab.content.feeds.syndication import filter_parameters
from clustercollab.content.follows import selectors
from clustercollab.content.follows.searches import normalised_query

register = template.Library()

RSS, ATOM, ICAL = "application/rss+xml", "application/atom+xml", "text/calendar"
FEEDS = {
    "news": [("content:news_feed_rss", RSS, "RSS"), ("content:news_feed_atom", ATOM, "Atom")],
    "calls": [("content:call_feed_rss", RSS, "RSS"), ("content:call_feed_atom", ATOM, "Atom")],
    "events": [("content:event_feed_ical", ICAL, "iCal")],
}
LIST_URL_NAMES = {"news_list": "news", "event_list": "events", "call_list": "calls"}


def _list_kind(context: template.Context, kind: str) -> str:
    if kind:
        return kind
    match = getattr(context.get("request"), "resolver_match", None)
    return LIST_URL_NAMES.get(getattr(match, "url_name", ""), "")


def _feeds(request: object, kind: str) -> list[dict]:
    query = filter_parameters(request.GET).urlencode() if request is not None else ""
    titles = {
        "news": _("News"),
        "calls": _("Funding calls"),
        "events": _("Events"),
    }
    feeds = []
    for name, mime, label in FEEDS.get(kind, []):
        url = reverse(name) + (f"?{query}" if query else "")
        feeds.append(
            {"url": url, "mime": mime, "label": label, "title": f"{titles[kind]} ({label})"}
        )
    return feeds


@register.inclusion_tag("content/_feed_head_links.html", takes_context=True)
def feed_head_links(context: template.Context, kind: str = "") -> dict:
    """``<link rel="alternate">`` for the list's feeds, with the list's current filters."""
    return {"feeds": _feeds(context.get("request"), _list_kind(context, kind))}


@register.inclusion_tag("content/_feed_links.html", takes_context=True)
def feed_links(context: template.Context, kind: str = "") -> dict:
    """Visible feed links and a Follow button for the list's current search."""
    request = context.get("request")
    kind = _list_kind(context, kind)
    if request is None or kind not in FEEDS:
        return {"feeds": []}
    search_query = normalised_query(kind, request.GET)
    return {
        "feeds": _feeds(request, kind),
        "search_list": kind,
        "search_query": search_query,
        "here": request.get_full_path(),
        "follow": selectors.search_follow_of_user(
            user=request.user, search_list=kind, search_query=search_query
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("content/_follow_organisation.html", takes_context=True)
def follow_organisation_button(context: template.Context, organisation: object) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "organisation": organisation,
        "here": request.get_full_path() if request is not None else "",
        "follow": selectors.organisation_follow_of_user(user=user, organisation=organisation),
        "csrf_token": context.get("csrf_token"),
    }
