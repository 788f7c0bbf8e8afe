"""sitemap.xml: an index of sections listing every public page and nothing else."""

from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from clustercollab.content.models import Campaign, PolicyFactsheet, SuccessStory
from clustercollab.content.tests.helpers import make_call, make_content, make_event, make_news
from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [loc.text for loc in ElementTree.fromstring(response.content).iter(f"{NS}loc")]


def all_page_urls(client) -> list[str]:
    urls = []
    for section in locations(client, reverse("content:sitemap")):
        path = section.split("://", 1)[-1].split("/", 1)[-1]
        urls += locations(client, "/" + path)
    return urls


def test_the_sitemap_lists_public_pages_only(client):
    public = [
        make_news(title="Public news"),
        make_call(title="Public call"),
        make_event(
            starts_at=datetime(2027, 5, 1, 8, tzinfo=UTC),
            ends_at=datetime(2027, 5, 1, 9, tzinfo=UTC),
        ),
        make_organisation(status=ModerationStatus.PUBLISHED),
        make_content(SuccessStory, status=ModerationStatus.PUBLISHED),
        PolicyFactsheet.objects.create(
            country=Country.objects.get(code="FI"), last_reviewed=date(2026, 5, 1)
        ),
        Campaign.objects.create(
            name="EU Cluster Weeks",
            slug="eu-cluster-weeks",
            starts_on=date(2027, 4, 1),
            ends_on=date(2027, 4, 30),
        ),
    ]
    hidden = [
        make_news(status=ModerationStatus.SUBMITTED),
        make_call(status=ModerationStatus.DRAFT),
        make_event(
            status=ModerationStatus.CHANGES_REQUESTED,
            starts_at=datetime(2027, 5, 1, 8, tzinfo=UTC),
            ends_at=datetime(2027, 5, 1, 9, tzinfo=UTC),
        ),
        make_organisation(status=ModerationStatus.SUBMITTED),
        make_content(SuccessStory, status=ModerationStatus.DRAFT),
        PolicyFactsheet.objects.create(
            country=Country.objects.get(code="SE"),
            last_reviewed=date(2026, 5, 1),
            is_published=False,
        ),
        Campaign.objects.create(
            name="Draft campaign",
            slug="draft-campaign",
            starts_on=date(2027, 4, 1),
            ends_on=date(2027, 4, 30),
            is_published=False,
        ),
    ]
    urls = all_page_urls(client)
    paths = {url.split("://", 1)[-1].split("/", 1)[-1] for url in urls}
    for item in public:
        assert item.get_absolute_url().lstrip("/") in paths
    for item in hidden:
        assert item.get_absolute_url().lstrip("/") not in paths
    assert reverse("content:news_list").lstrip("/") in paths
    assert reverse("content:call_list").lstrip("/") in paths


def test_organisations_are_split_into_pages(client, monkeypatch):
    from clustercollab.content.feeds import sitemaps

    monkeypatch.setattr(sitemaps.OrganisationSitemap, "limit", 2)
    for _ in range(5):
        make_organisation(status=ModerationStatus.PUBLISHED)
    sections = locations(client, reverse("content:sitemap"))
    organisation_pages = [url for url in sections if "sitemap-organisations.xml" in url]
    assert len(organisation_pages) == 3
    assert organisation_pages[-1].endswith("?p=3")


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /follows/" in text
