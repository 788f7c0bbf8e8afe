"""A visitor never sees unmoderated content: lists, details, API, search, calendar, campaign
page, home page and the organisation's page."""

import pytest
from django.urls import reverse

from clustercollab.content import services
from clustercollab.content.tests.factories import (
    make_campaign,
    make_cast,
    post_call,
    post_event,
    post_news,
    post_story,
    soon,
)
from clustercollab.core.moderation import ModerationStatus

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarquux"


def _hidden_items(cast, campaign):
    """One item of every type in every status but published, all titled with SECRET."""
    items = []
    for index, status in enumerate(["draft", "submitted", "changes_requested", "archived"]):
        submit = status != "draft"
        posted = [
            post_news(
                actor=cast.editor,
                organisation=cast.organisation,
                submit=submit,
                title=f"{SECRET} news {index}",
            ),
            post_event(
                actor=cast.editor,
                organisation=cast.organisation,
                submit=submit,
                title=f"{SECRET} event {index}",
                campaign=campaign,
                latitude=62.6,
                longitude=29.7,
                m2m={"countries": ["FI"]},
            ),
            post_call(
                actor=cast.editor,
                organisation=cast.organisation,
                submit=submit,
                title=f"{SECRET} call {index}",
                deadline_at=soon(5),
            ),
            post_story(
                actor=cast.editor,
                organisation=cast.organisation,
                submit=submit,
                title=f"{SECRET} story {index}",
            ),
        ]
        for item in posted:
            if status == "changes_requested":
                services.content_moderate(
                    item=item, actor=cast.staff, transition="request_changes", reason="Fix"
                )
            elif status == "archived":
                services.content_moderate(
                    item=item, actor=cast.staff, transition="reject", reason="No"
                )
            item.refresh_from_db()
            assert item.status == status
        items.extend(posted)
    return items


def test_a_visitor_sees_no_unmoderated_content_anywhere(client):
    cast = make_cast()
    campaign = make_campaign()
    items = _hidden_items(cast, campaign)
    # A published neighbour proves the pages do list content.
    visible = post_event(
        actor=cast.staff,
        organisation=cast.organisation,
        campaign=campaign,
        title="Published neighbour",
        latitude=60.2,
        longitude=24.9,
        m2m={"countries": ["FI"]},
    )
    start = soon()
    pages = [
        "/",
        reverse("content:news_list"),
        reverse("content:event_list"),
        reverse("content:event_list") + "?when=past",
        reverse("content:event_calendar", args=[start.year, start.month]),
        reverse("content:call_list"),
        reverse("content:calls_closing_soon"),
        reverse("content:story_list"),
        campaign.get_absolute_url(),
        cast.organisation.get_absolute_url(),
        f"/news/?q={SECRET}",
        f"/events/?q={SECRET}",
        f"/calls/?q={SECRET}",
        f"/stories/?q={SECRET}",
        "/api/v1/news/",
        "/api/v1/events/",
        "/api/v1/calls/",
        "/api/v1/stories/",
        f"/api/v1/events/?q={SECRET}",
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert f"{SECRET} " not in response.content.decode(), url  # titles: "<SECRET> news 0"
    assert "Published neighbour" in client.get(campaign.get_absolute_url()).content.decode()
    for item in items:
        assert client.get(item.get_absolute_url()).status_code == 404
    for kind, prefix in [
        ("news", "news"),
        ("event", "events"),
        ("call", "calls"),
        ("story", "stories"),
    ]:
        for item in items:
            if (
                item._meta.model_name
                == {
                    "news": "news",
                    "event": "event",
                    "call": "fundingcall",
                    "story": "successstory",
                }[kind]
            ):
                assert client.get(f"/api/v1/{prefix}/{item.pk}/").status_code == 404
    # The campaign counts only the published event.
    response = client.get(campaign.get_absolute_url())
    assert response.context["country_counts"] == [
        {"code": "FI", "name": response.context["country_counts"][0]["name"], "count": 1}
    ]
    assert len(response.context["markers"]) == 1
    assert visible.status == ModerationStatus.PUBLISHED


def test_publishing_makes_it_appear(client):
    cast = make_cast()
    news = post_news(
        actor=cast.editor,
        organisation=cast.organisation,
        submit=True,
        title=f"{SECRET} soon public",
    )
    assert SECRET not in client.get("/news/").content.decode()
    services.content_moderate(item=news, actor=cast.staff, transition="publish")
    assert SECRET in client.get("/news/").content.decode()
    assert SECRET in client.get("/").content.decode()
    assert SECRET in client.get(cast.organisation.get_absolute_url()).content.decode()


def test_the_organisation_page_shows_events_it_organises_and_stories_involving_it(client):
    cast = make_cast()
    other = cast.other_organisation
    organised = post_event(
        actor=cast.outsider,
        organisation=other,
        submit=True,
        organiser=cast.organisation,
        title="Organised day",
    )
    story = post_story(actor=cast.outsider, organisation=other, submit=True, title="Involved story")
    story.organisations_involved.set([cast.organisation])
    for item in (organised, story):
        services.content_moderate(item=item, actor=cast.staff, transition="publish")
    page = client.get(cast.organisation.get_absolute_url()).content.decode()
    assert "Organised day" in page
    assert "Involved story" in page
