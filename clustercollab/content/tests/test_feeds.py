"""RSS, Atom and iCalendar feeds: only published items, the list's filters, UTC times."""

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from clustercollab.content.feeds.ical import escape_text, fold_line, utc_stamp
from clustercollab.content.tests.helpers import make_call, make_event, make_news
from clustercollab.core.moderation import ModerationStatus

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(response) -> list[str]:
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response) -> list[str]:
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_news_feeds_list_only_published_news(client):
    make_news(title="Published news")
    for status in (
        ModerationStatus.DRAFT,
        ModerationStatus.SUBMITTED,
        ModerationStatus.CHANGES_REQUESTED,
        ModerationStatus.ARCHIVED,
    ):
        make_news(title=f"Hidden {status}", status=status)
    assert rss_titles(client.get(reverse("content:news_feed_rss"))) == ["Published news"]
    assert atom_titles(client.get(reverse("content:news_feed_atom"))) == ["Published news"]


def test_news_feed_honours_the_list_filters(client):
    make_news(title="Finnish digital", countries=["FI"], ecosystems=["digital"])
    make_news(title="Finnish food", countries=["FI"], ecosystems=["agri-food"])
    make_news(title="French digital", countries=["FR"], ecosystems=["digital"])
    url = reverse("content:news_feed_rss")
    assert rss_titles(client.get(url, {"country": "FI", "ecosystem": "digital"})) == [
        "Finnish digital"
    ]
    assert sorted(rss_titles(client.get(url, {"country": "fi"}))) == [
        "Finnish digital",
        "Finnish food",
    ]
    assert rss_titles(client.get(url, {"q": "french"})) == ["French digital"]
    # The feed's channel link is the list with the same filters.
    response = client.get(url, {"country": "FI", "page": "2"})
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("link").endswith(reverse("content:news_list") + "?country=FI")
    self_link = channel.find(f"{ATOM}link").get("href")
    assert self_link.endswith(reverse("content:news_feed_rss") + "?country=FI")


def test_a_bad_filter_value_is_ignored_not_an_error(client):
    make_news(title="Some news")
    response = client.get(reverse("content:news_feed_atom"), {"country": "XX", "date_from": "no"})
    assert response.status_code == 200


def test_call_feeds_filter_and_hide_unpublished_calls(client):
    make_call(title="Health call", ecosystems=["health"], programme="Horizon Europe")
    make_call(title="Defence call", ecosystems=["aerospace-defence"], programme="EDF")
    make_call(title="Submitted call", status=ModerationStatus.SUBMITTED)
    url = reverse("content:call_feed_rss")
    assert sorted(rss_titles(client.get(url))) == ["Defence call", "Health call"]
    assert rss_titles(client.get(url, {"ecosystem": "health"})) == ["Health call"]
    assert atom_titles(client.get(reverse("content:call_feed_atom"), {"programme": "edf"})) == [
        "Defence call"
    ]


def test_ical_feed_has_utc_times_and_only_published_events(client):
    make_event(
        title="Cluster Days, Helsinki; 2027",
        # 10:00 in Helsinki (UTC+3 in summer) is 07:00 UTC.
        starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC),
        ends_at=datetime(2027, 6, 16, 14, 30, tzinfo=UTC),
        timezone="Europe/Helsinki",
        venue="Messukeskus",
        city="Helsinki",
        countries=["FI"],
    )
    make_event(
        title="Draft event",
        status=ModerationStatus.SUBMITTED,
        starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC),
        ends_at=datetime(2027, 6, 15, 9, 0, tzinfo=UTC),
    )
    response = client.get(reverse("content:event_feed_ical"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20270615T070000Z\r\n" in text
    assert "DTEND:20270616T143000Z\r\n" in text
    assert "SUMMARY:Cluster Days\\, Helsinki\\; 2027\r\n" in text
    assert "LOCATION:Messukeskus\\, Helsinki\r\n" in text
    assert "Draft event" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    filtered = client.get(reverse("content:event_feed_ical"), {"country": "FR"}).content.decode()
    assert "BEGIN:VEVENT" not in filtered


def test_ical_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "ä" * 100
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line
    assert utc_stamp(datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)) == "20270102T030405Z"


def test_list_pages_link_to_their_feeds_with_the_same_filters(client):
    news = client.get(reverse("content:news_list"), {"country": "FI", "page": "1"}).content.decode()
    rss = reverse("content:news_feed_rss") + "?country=FI"
    atom = reverse("content:news_feed_atom") + "?country=FI"
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="News (RSS)" href="{rss}">' in news
    )
    assert f'href="{atom}"' in news
    assert "Follow this search" in news
    events = client.get(reverse("content:event_list"), {"type": "webinar"}).content.decode()
    assert f'href="{reverse("content:event_feed_ical")}?type=webinar"' in events
    calls = client.get(reverse("content:call_list")).content.decode()
    assert f'href="{reverse("content:call_feed_atom")}"' in calls


def test_ical_feed_shows_upcoming_events_like_the_list_unless_asked(client):
    make_event(
        title="Past fair",
        starts_at=datetime(2020, 3, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2020, 3, 1, 17, 0, tzinfo=UTC),
    )
    make_event(
        title="Coming webinar",
        starts_at=datetime(2030, 3, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2030, 3, 1, 10, 0, tzinfo=UTC),
    )
    url = reverse("content:event_feed_ical")
    upcoming = client.get(url).content.decode()
    assert "Coming webinar" in upcoming and "Past fair" not in upcoming
    past = client.get(url, {"when": "past"}).content.decode()
    assert "Past fair" in past and "Coming webinar" not in past
    any_time = client.get(url, {"when": ""}).content.decode()
    assert "Past fair" in any_time and "Coming webinar" in any_time
