"""Feed and sitemap URLs, included by content/urls.py into the "content" namespace."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from clustercollab.content.feeds import syndication, views
from clustercollab.content.feeds.sitemaps import SITEMAPS

urlpatterns = [
    path("news/feed/rss/", syndication.NewsRssFeed(), name="news_feed_rss"),
    path("news/feed/atom/", syndication.NewsAtomFeed(), name="news_feed_atom"),
    path("calls/feed/rss/", syndication.CallRssFeed(), name="call_feed_rss"),
    path("calls/feed/atom/", syndication.CallAtomFeed(), name="call_feed_atom"),
    path("events/feed/ical/", views.event_feed_ical, name="event_feed_ical"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "content:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
