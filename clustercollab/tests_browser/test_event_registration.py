"""Registration on the platform: a member says they are interested before registration opens;
the organiser opens it; the member registers online and sees the join link; a second member
goes to the waiting list and gets the place when the first cancels."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clustercollab.organisations.tests.factories import make_user
from clustercollab.registrations.models import Registration
from clustercollab.registrations.tests.factories import make_event

PASSWORD = "Joensuu-forest-2026"
JOIN_LINK = "https://meet.example.org/cluster-conference-room"


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def _new_page(browser: Browser, live_server, email: str) -> Page:
    page = browser.new_context(base_url=live_server.url).new_page()
    _log_in(page, email)
    return page


def test_interest_then_registration_online_then_the_waiting_list_moves_up(
    browser: Browser, page: Page, live_server, taxonomies
):
    organiser = make_user("events@cluster-conference.example.org", password=PASSWORD)
    first = make_user("first@member.example.org", password=PASSWORD)
    second = make_user("second@member.example.org", password=PASSWORD)
    event, _ = make_event(organiser=organiser, title="Test European Cluster Conference")
    zone = event.zone

    def local(value) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")

    # The organiser opens registration for tomorrow: one online place, with the join link.
    _log_in(page, organiser.email)
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Open registration on the platform").click()
    page.locator("#id_on_site_capacity").fill("0")
    page.locator("#id_online_capacity").fill("1")
    page.locator("#id_opens_at").fill(local(timezone.now() + timedelta(days=1)))
    page.locator("#id_closes_at").fill(local(event.starts_at))
    page.locator("#id_join_link").fill(JOIN_LINK)
    page.get_by_role("button", name="Open registration").click()
    expect(page.get_by_text("Registration settings saved.")).to_be_visible()

    # Before it opens, the first member says they would attend online.
    member = _new_page(browser, live_server, first.email)
    member.goto(event.get_absolute_url())
    panel = member.get_by_test_id("registration-panel")
    expect(panel).to_contain_text("Registration opens")
    expect(panel.get_by_role("button", name="Register")).to_have_count(0)
    panel.locator("#interest-mode").select_option("online")
    panel.get_by_role("button", name="I am interested").click()
    expect(member.get_by_test_id("my-interest")).to_contain_text("online")

    # The organiser sees one person interested online, then opens registration now.
    page.goto(f"/events/{event.pk}/registration/manage/")
    expect(
        page.get_by_test_id("registration-figures").locator("tr", has_text="Online")
    ).to_contain_text("1")
    page.get_by_role("link", name="Registration settings").click()
    page.locator("#id_opens_at").fill(local(timezone.now() - timedelta(minutes=5)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Registration settings saved.")).to_be_visible()

    # The first member registers online and sees the join link.
    member.goto(event.get_absolute_url())
    expect(member.get_by_test_id("join-link")).to_have_count(0)
    member.locator("#register-mode").select_option("online")
    member.get_by_role("button", name="Register").click()
    expect(member.get_by_text("You are registered.")).to_be_visible()
    expect(member.get_by_test_id("join-link").get_by_role("link")).to_have_attribute(
        "href", JOIN_LINK
    )

    # The second member gets the waiting list, and no link.
    other = _new_page(browser, live_server, second.email)
    other.goto(event.get_absolute_url())
    other.locator("#register-mode").select_option("online")
    other.get_by_role("button", name="Register").click()
    expect(other.get_by_test_id("my-registration")).to_contain_text("waiting list")
    expect(other.get_by_test_id("my-registration")).to_contain_text("number 1")
    expect(other.locator("main")).not_to_contain_text(JOIN_LINK)

    # The first cancels; the second is promoted and now sees the link.
    member.get_by_role("button", name="Cancel my registration").click()
    expect(member.get_by_text("Your registration is cancelled.")).to_be_visible()
    expect(member.locator("main")).not_to_contain_text(JOIN_LINK)
    other.reload()
    expect(other.get_by_test_id("my-registration")).to_contain_text("You are registered")
    expect(other.get_by_test_id("join-link")).to_contain_text(JOIN_LINK)
    assert Registration.objects.get(user=second).promoted_at is not None
