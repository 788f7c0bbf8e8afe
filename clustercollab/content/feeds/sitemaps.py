"""sitemap.xml: every public page, as an index of sections (organisations are paginated)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Model, QuerySet
from django.urls import NoReverseMatch, reverse

from clustercollab.content.models import (
    Campaign,
    Event,
    FundingCall,
    News,
    PolicyFactsheet,
    SuccessStory,
)
from clustercollab.organisations.models import Organisation

# Pages that list things; a name that this build does not have is left out.
LIST_PAGES = [
    "home",
    "organisations:directory",
    "organisations:directory_map",
    "content:news_list",
    "content:event_list",
    "content:event_calendar_now",
    "content:call_list",
    "content:calls_closing_soon",
    "content:story_list",
    "content:policy_list",
    "content:campaign_list",
    "partnering:post_list",
    "matchmaking:events",
    "response:portals",
]


class ListPageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        names = []
        for name in LIST_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item: str) -> str:
        return reverse(item)


class PublishedSitemap(Sitemap):
    """Published objects of one model with their last change."""

    model: type[Model]
    fields = ("id", "slug", "updated_at")
    changefreq = "weekly"

    def items(self) -> QuerySet:
        return self.model.objects.published().only(*self.fields).order_by("pk")

    def lastmod(self, item: Model) -> object:
        return item.updated_at

    def get_latest_lastmod(self) -> object:
        # Django's default calls lastmod() on every item: 30,000 profiles for the index page.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class OrganisationSitemap(PublishedSitemap):
    model = Organisation
    # 30,000+ published profiles: several sitemap pages under the index.
    limit = 2500
    priority = 0.6


class NewsSitemap(PublishedSitemap):
    model = News


class EventSitemap(PublishedSitemap):
    model = Event


class CallSitemap(PublishedSitemap):
    model = FundingCall


class StorySitemap(PublishedSitemap):
    model = SuccessStory


class FactsheetSitemap(PublishedSitemap):
    model = PolicyFactsheet
    fields = ("country", "updated_at")

    def items(self) -> QuerySet:
        return self.model.objects.published().only(*self.fields).order_by("country")


class CampaignSitemap(PublishedSitemap):
    model = Campaign

    def items(self) -> QuerySet:
        return Campaign.objects.filter(is_published=True).only(*self.fields).order_by("pk")


SITEMAPS = {
    "pages": ListPageSitemap,
    "organisations": OrganisationSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
    "calls": CallSitemap,
    "stories": StorySitemap,
    "policy": FactsheetSitemap,
    "campaigns": CampaignSitemap,
}
