import pytest
from django.urls import reverse
from django.utils import translation

from clustercollab.content.tests.factories import (
    make_campaign,
    make_cast,
    post_call,
    post_event,
    post_news,
    post_story,
)

pytestmark = pytest.mark.django_db


def test_every_page_renders(client):
    cast = make_cast()
    campaign = make_campaign()
    items = [
        post_news(actor=cast.staff, organisation=None),
        post_event(
            actor=cast.staff,
            organisation=cast.organisation,
            campaign=campaign,
            latitude=62.6,
            longitude=29.76,
        ),
        post_call(actor=cast.staff, organisation=None),
        post_story(actor=cast.staff, organisation=None),
    ]
    urls = [
        "/",
        "/news/",
        "/events/",
        "/events/?when=past",
        "/events/calendar/2026/5/",
        "/calls/",
        "/calls/closing-soon/",
        "/stories/",
        "/policy/",
        "/campaigns/",
        campaign.get_absolute_url(),
        cast.organisation.get_absolute_url(),
        *[item.get_absolute_url() for item in items],
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    client.force_login(cast.editor)
    for url in [
        "/news/new/",
        "/events/new/",
        "/calls/new/",
        "/stories/new/",
        "/dashboard/",
        "/my-content/",
        reverse("content:campaign_submit_event", args=[campaign.slug]),
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(cast.staff)
    assert client.get("/moderation/all/").status_code == 200
    for url in [
        "/api/v1/news/",
        "/api/v1/events/",
        "/api/v1/calls/",
        "/api/v1/stories/",
        "/api/v1/factsheets/",
        "/api/v1/campaigns/",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.fixture
def _restore_language(settings):
    """The locale middleware leaves the last request's language active in this thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.usefixtures("_restore_language")
@pytest.mark.parametrize("language", ["de", "fi", "fr"])
def test_pages_render_translated(client, language, settings):
    cast = make_cast()
    campaign = make_campaign()
    event = post_event(actor=cast.staff, organisation=cast.organisation, campaign=campaign)
    call = post_call(actor=cast.staff, organisation=None)
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    expected = {"de": "Veranstaltungen", "fi": "Tapahtumat", "fr": "Événements"}[language]
    assert expected in client.get("/events/").content.decode()
    for url in [
        "/calls/",
        campaign.get_absolute_url(),
        event.get_absolute_url(),
        call.get_absolute_url(),
        "/events/calendar/2026/5/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(cast.editor)
    for url in ["/dashboard/", "/events/new/", news.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    client.force_login(cast.staff)
    assert client.get(f"/moderation/content/news/{news.pk}/").status_code == 200


def test_admin_pages_of_every_content_model_render(client):
    cast = make_cast()
    cast.staff.is_superuser = True
    cast.staff.save()
    campaign = make_campaign()
    event = post_event(actor=cast.staff, organisation=cast.organisation, campaign=campaign)
    client.force_login(cast.staff)
    for model in ["news", "event", "fundingcall", "successstory", "policyfactsheet", "campaign"]:
        assert client.get(f"/admin/content/{model}/").status_code == 200, model
        assert client.get(f"/admin/content/{model}/add/").status_code == 200, model
    assert client.get(f"/admin/content/event/{event.pk}/change/").status_code == 200
    response = client.post(
        "/admin/content/news/add/",
        {
            "title": "Staff news from the admin",
            "slug": "staff-news",
            "language": "en",
            "body": "<p>Hi</p><script>x()</script>",
        },
    )
    assert response.status_code == 302
    from clustercollab.content.models import News

    news = News.objects.get(title="Staff news from the admin")
    assert news.status == "published" and news.body == "<p>Hi</p>"
