"""Public lists filter by ecosystem, country, organisation, type, dates and words; campaigns
gather their events and take submissions until their deadline."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clustercollab.content.models import Event
from clustercollab.content.tests.factories import (
    make_campaign,
    make_cast,
    post_event,
    post_news,
    soon,
)
from clustercollab.core.moderation import ModerationStatus

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [item.title for item in response.context["page"]]


def test_news_filters_and_accent_insensitive_search(client):
    cast = make_cast()
    agri = post_news(
        actor=cast.staff, organisation=cast.organisation, title="Café culture meets bioeconomy"
    )
    agri.ecosystems.set([1])
    agri.countries.set(["FI"])
    other = post_news(
        actor=cast.staff, organisation=cast.other_organisation, title="Électronique à Grenoble"
    )
    other.countries.set(["FR"])
    from clustercollab.core.models import IndustrialEcosystem

    slug = IndustrialEcosystem.objects.get(pk=1).slug
    assert _titles(client.get(f"/news/?ecosystem={slug}")) == [agri.title]
    assert _titles(client.get("/news/?country=fr")) == [other.title]
    assert _titles(client.get(f"/news/?organisation={cast.organisation.pk}")) == [agri.title]
    assert _titles(client.get("/news/?q=cafe")) == [agri.title]
    assert _titles(client.get("/news/?q=ELECTRONIQUE grenoble")) == [other.title]
    assert _titles(client.get("/news/?q=grenoble café")) == []
    today = timezone.now().date()
    assert len(_titles(client.get(f"/news/?date_from={today}&date_to={today}"))) == 2
    assert _titles(client.get(f"/news/?date_to={today - timedelta(days=1)}")) == []
    api = client.get("/api/v1/news/?q=cafe").json()
    assert [row["title"] for row in api["results"]] == [agri.title]


def test_events_filter_by_type_and_time(client):
    cast = make_cast()
    workshop = post_event(
        actor=cast.staff, organisation=cast.organisation, title="Workshop A", event_type="workshop"
    )
    past = post_event(
        actor=cast.staff,
        organisation=cast.organisation,
        title="Old fair",
        event_type="fair",
        starts_at=soon(-30),
        ends_at=soon(-29),
    )
    assert _titles(client.get("/events/")) == [workshop.title]
    assert _titles(client.get("/events/?when=past")) == [past.title]
    assert _titles(client.get("/events/?type=fair&when=past")) == [past.title]
    assert _titles(client.get("/events/?type=fair")) == []
    day = soon(-30).date()
    assert _titles(client.get(f"/events/?when=&date_from={day}&date_to={day}")) == [past.title]


def test_lists_paginate_and_keep_their_filters(client):
    cast = make_cast()
    for number in range(25):
        post_news(actor=cast.staff, organisation=cast.organisation, title=f"Item {number}")
    first = client.get(f"/news/?organisation={cast.organisation.pk}")
    assert len(first.context["page"]) == 20
    html = first.content.decode()
    assert f"?organisation={cast.organisation.pk}&amp;page=2" in html
    second = client.get(f"/news/?organisation={cast.organisation.pk}&page=2")
    assert len(second.context["page"]) == 5


def test_campaign_page_gathers_its_events_with_calendar_map_and_counts(client):
    cast = make_cast()
    today = timezone.now().date()
    campaign = make_campaign(starts_on=today, ends_on=today + timedelta(days=20))
    inside = post_event(
        actor=cast.staff,
        organisation=cast.organisation,
        campaign=campaign,
        title="Inside",
        starts_at=soon(3),
        ends_at=soon(3) + timedelta(hours=2),
        latitude=62.6,
        longitude=29.76,
        m2m={"countries": ["FI"]},
    )
    post_event(
        actor=cast.staff,
        organisation=cast.organisation,
        campaign=campaign,
        title="Also inside",
        starts_at=soon(4),
        ends_at=soon(4) + timedelta(hours=2),
        m2m={"countries": ["FI", "SE"]},
    )
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert [e.title for e in response.context["events"]] == ["Inside", "Also inside"]
    counts = {row["code"]: row["count"] for row in response.context["country_counts"]}
    assert counts == {"FI": 2, "SE": 1}
    assert response.context["markers"] == [
        {"lat": 62.6, "lon": 29.76, "title": "Inside", "url": inside.get_absolute_url()}
    ]
    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html
    assert reverse("content:campaign_submit_event", args=[campaign.slug]) in html


def test_campaign_submission_form_checks_window_and_deadline(client):
    cast = make_cast()
    today = timezone.now().date()
    campaign = make_campaign(starts_on=today, ends_on=today + timedelta(days=5))
    client.force_login(cast.editor)
    url = reverse("content:campaign_submit_event", args=[campaign.slug])
    data = {
        "posting_organisation": cast.organisation.pk,
        "title": "Too late for the week",
        "event_type": "webinar",
        "mode": "online",
        "starts_at": (today + timedelta(days=10)).isoformat() + "T10:00",
        "ends_at": (today + timedelta(days=10)).isoformat() + "T11:00",
        "timezone": "Europe/Brussels",
        "language": "en",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must take place between" in str(response.context["form"].errors)
    assert not Event.objects.exists()

    data.update(
        title="Cluster Weeks webinar",
        starts_at=(today + timedelta(days=2)).isoformat() + "T10:00",
        ends_at=(today + timedelta(days=2)).isoformat() + "T11:00",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.campaign == campaign
    assert event.status == ModerationStatus.SUBMITTED

    campaign.events_deadline = datetime.now(UTC) - timedelta(hours=1)
    campaign.save()
    response = client.get(url)
    assert response.status_code == 302
    assert "call for events" in client.get(campaign.get_absolute_url()).content.decode()


def test_dashboard_shows_status_and_promised_review_date(client, settings):
    cast = make_cast()
    news = post_news(
        actor=cast.editor, organisation=cast.organisation, submit=True, title="Waiting news"
    )
    client.force_login(cast.admin)  # a colleague sees the organisation's content too
    html = client.get(reverse("organisations:dashboard")).content.decode()
    assert "Waiting news" in html
    assert "Submitted for validation" in html
    from django.utils.formats import date_format

    assert date_format(news.review_due_at, "DATE_FORMAT") in html


def test_campaign_calendar_pages_through_the_months_of_its_window(client):
    campaign = make_campaign(
        starts_on=datetime(2026, 10, 20).date(), ends_on=datetime(2026, 11, 5).date()
    )
    response = client.get(campaign.get_absolute_url())
    assert response.context["month_start"] == datetime(2026, 10, 1).date()
    assert "?month=2026-11" in response.content.decode()
    response = client.get(campaign.get_absolute_url() + "?month=2026-11")
    assert response.context["month_start"] == datetime(2026, 11, 1).date()
    for bad in ["2027-01", "nonsense", "2026-13"]:
        response = client.get(campaign.get_absolute_url() + f"?month={bad}")
        assert response.status_code == 200
        assert response.context["month_start"] == datetime(2026, 10, 1).date()


def test_the_country_filter_offers_the_countries_in_use_and_keeps_the_chosen_one(client):
    cast = make_cast()
    news = post_news(actor=cast.staff, organisation=cast.organisation, title="Nordic news")
    news.countries.set(["FI"])
    html = client.get("/news/").content.decode()
    assert 'value="FI"' in html and 'value="DE"' not in html
    response = client.get("/news/?country=de")
    assert 'value="DE" selected' in response.content.decode()
    assert list(response.context["page"]) == []


def test_a_campaign_lists_its_events_page_by_page(client):
    cast = make_cast()
    today = timezone.now().date()
    campaign = make_campaign(starts_on=today, ends_on=today + timedelta(days=20))
    for number in range(23):
        post_event(
            actor=cast.staff,
            organisation=cast.organisation,
            campaign=campaign,
            title=f"Week event {number}",
        )
    response = client.get(campaign.get_absolute_url())
    assert len(response.context["page"]) == 20
    assert "23 events" in response.content.decode()
    second = client.get(campaign.get_absolute_url() + "?page=2")
    assert len(second.context["page"]) == 3
