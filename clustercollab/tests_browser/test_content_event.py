"""An editor posts an event; it stays hidden until staff publish it; then it is in the list,
the month calendar, the campaign's landing page and the iCal feed with the right UTC times."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clustercollab.content.models import Campaign, Event
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user

PASSWORD = "Joensuu-forest-2026"
TITLE = "Forest bioeconomy matchmaking day"


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def test_an_editors_event_is_public_only_after_staff_publish_it(
    browser: Browser, page: Page, live_server, taxonomies
):
    editor = make_user("events@bioeconomy.example.org", password=PASSWORD)
    staff = make_user("moderator@platform.example.org", staff=True, password=PASSWORD)
    organisation = make_organisation(
        editors=[editor], status=ModerationStatus.PUBLISHED, name="Itä-Suomi Bioeconomy Cluster"
    )
    today = timezone.now().date()
    campaign = Campaign.objects.create(
        name="EU Cluster Weeks",
        slug="eu-cluster-weeks",
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    day = today + timedelta(days=10)

    # The editor posts the event in Helsinki time and submits it.
    _log_in(page, editor.email)
    page.goto("/events/new/")
    page.locator("#id_posting_organisation").select_option(str(organisation.pk))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_event_type").select_option("matchmaking")
    page.locator("#id_mode").select_option("on_site")
    page.locator("#id_starts_at").fill(f"{day.isoformat()}T10:00")
    page.locator("#id_ends_at").fill(f"{day.isoformat()}T16:30")
    page.locator("#id_timezone").fill("Europe/Helsinki")
    page.locator("#id_city").fill("Joensuu")
    page.locator("#id_latitude").fill("62.601")
    page.locator("#id_longitude").fill("29.763")
    page.locator("#id_campaign").select_option(str(campaign.pk))
    page.locator("#id_countries").select_option("FI")
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text("Submitted for validation.")).to_be_visible()
    expect(page.locator(".banner")).to_contain_text("not public yet")
    event = Event.objects.get(title=TITLE)
    assert event.status == ModerationStatus.SUBMITTED
    event_url = event.get_absolute_url()
    calendar_url = f"/events/calendar/{day.year}/{day.month}/"

    # 10:00 and 16:30 in Helsinki, whatever the season, in UTC.
    helsinki = ZoneInfo("Europe/Helsinki")
    starts_utc = datetime(day.year, day.month, day.day, 10, tzinfo=helsinki).astimezone(UTC)
    ends_utc = datetime(day.year, day.month, day.day, 16, 30, tzinfo=helsinki).astimezone(UTC)
    assert (event.starts_at, event.ends_at) == (starts_utc, ends_utc)

    # A visitor sees it nowhere.
    # The visitor's browser runs in New York time.
    visitor = browser.new_context(
        base_url=live_server.url, timezone_id="America/New_York", locale="en-US"
    ).new_page()
    assert visitor.goto(event_url).status == 404
    for url in ["/events/", calendar_url, campaign.get_absolute_url()]:
        visitor.goto(url)
        expect(visitor.get_by_text(TITLE)).to_have_count(0)
    feed = visitor.request.get(f"{live_server.url}/events/feed/ical/")
    assert feed.ok and TITLE not in feed.text()

    # Staff publish it from the one moderation queue.
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    _log_in(staff_page, staff.email)
    staff_page.get_by_role("link", name="Moderation").click()
    staff_page.get_by_role("link", name=TITLE).click()
    staff_page.get_by_role("button", name="Publish").click()
    expect(staff_page.get_by_text("is now “Published”")).to_be_visible()

    # Now it is in the list, the month calendar and the campaign page, in Helsinki time.
    visitor.goto("/events/")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    # The filters update the results in place (htmx) and the address follows them.
    visitor.locator("#id_type").select_option("webinar")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
    expect(visitor).to_have_url(re.compile(r"type=webinar"))
    visitor.locator("#id_type").select_option("matchmaking")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.goto(calendar_url)
    expect(visitor.locator("table.calendar").get_by_role("link", name=TITLE)).to_be_visible()
    visitor.goto(campaign.get_absolute_url())
    expect(visitor.locator("main").get_by_role("link", name=TITLE).first).to_be_visible()
    expect(visitor.locator("table.country-counts")).to_contain_text("1")
    expect(visitor.locator(".leaflet-interactive")).to_have_count(1)
    assert visitor.goto(event_url).status == 200
    expect(visitor.locator("main")).to_contain_text("10:00")
    expect(visitor.locator("main")).to_contain_text("Europe/Helsinki")
    new_york = starts_utc.astimezone(ZoneInfo("America/New_York"))
    expect(visitor.locator(".viewer-time").first).to_contain_text(f"{new_york:%I:%M}")

    # The iCal feed (also filtered like the list) has it with its UTC times.
    for query in ["", "?type=matchmaking&country=fi"]:
        feed = visitor.request.get(f"{live_server.url}/events/feed/ical/{query}").text()
        assert TITLE in feed
        assert f"DTSTART:{starts_utc:%Y%m%dT%H%M%S}Z" in feed
        assert f"DTEND:{ends_utc:%Y%m%dT%H%M%S}Z" in feed
    feed = visitor.request.get(f"{live_server.url}/events/feed/ical/?type=webinar").text()
    assert TITLE not in feed
    staff_context.close()
