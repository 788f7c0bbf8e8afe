"""An organisation applies, is selected, meets another participant on the published agenda.

"Schedule all" is a background task; the tests' immediate task backend runs it during the
request, so the page shows the finished run at once.
"""

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect

from clustercollab.core.moderation import ModerationStatus
from clustercollab.matchmaking import agenda, services
from clustercollab.matchmaking.models import Participant, RequestMode, SchedulingRun
from clustercollab.matchmaking.tests.factories import IN_BOOKING, make_event, make_participant
from clustercollab.organisations.tests.factories import make_organisation, make_user

PASSWORD = "Matchmaking-2026-pw"


def _log_in(browser: Browser, live_server, email: str) -> Page:
    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()
    return page


def test_apply_select_request_accept_schedule_publish_and_see_the_agenda(
    browser: Browser, live_server, taxonomies
):
    staff = make_user("organiser@platform.example.org", staff=True, password=PASSWORD)
    lisbon_user = make_user("manager@lisbon-cluster.example.org", password=PASSWORD)
    helsinki_user = make_user("manager@helsinki-cluster.example.org", password=PASSWORD)
    lisbon = make_organisation(
        admin=lisbon_user,
        name="Test Lisbon Blue Economy Cluster",
        status=ModerationStatus.PUBLISHED,
    )
    helsinki = make_organisation(
        admin=helsinki_user,
        name="Test Helsinki Forest Cluster",
        status=ModerationStatus.PUBLISHED,
    )
    event = make_event(
        request_mode=RequestMode.APPROVAL,
        application_deadline=IN_BOOKING + timedelta(days=1),
        tables=2,
        slots=3,
    )
    # The Helsinki cluster applied earlier; the Lisbon cluster applies in the browser.
    services.application_submit(
        event=event, organisation=helsinki, actor=helsinki_user, motivation="Forest bioeconomy."
    )

    lisbon_page = _log_in(browser, live_server, lisbon_user.email)
    lisbon_page.goto(f"/matchmaking/{event.pk}/")
    lisbon_page.get_by_role("link", name="Apply to take part").click()
    lisbon_page.locator("#id_motivation").fill("We look for partners in blue bioeconomy.")
    lisbon_page.get_by_role("button", name="Send the application").click()
    expect(lisbon_page.get_by_text("Application received.")).to_be_visible()

    # The organiser selects both in one go.
    staff_page = _log_in(browser, live_server, staff.email)
    staff_page.goto(f"/matchmaking/{event.pk}/applications/")
    staff_page.get_by_label("Test Lisbon Blue Economy Cluster").check()
    staff_page.get_by_label("Test Helsinki Forest Cluster").check()
    staff_page.locator("#decision").select_option("selected")
    staff_page.get_by_role("button", name="Apply and e-mail them").click()
    expect(staff_page.get_by_text("2 applications updated.")).to_be_visible()

    # Each participant sets their time zone; Lisbon requests a meeting, Helsinki accepts.
    lisbon_page.goto(f"/matchmaking/{event.pk}/me/")
    lisbon_page.locator("#id_time_zone").fill("Europe/Lisbon")
    lisbon_page.get_by_role("button", name="Save").first.click()
    expect(lisbon_page.get_by_text("Participant profile saved.")).to_be_visible()
    helsinki_page = _log_in(browser, live_server, helsinki_user.email)
    helsinki_page.goto(f"/matchmaking/{event.pk}/me/")
    helsinki_page.locator("#id_time_zone").fill("Europe/Helsinki")
    helsinki_page.get_by_role("button", name="Save").first.click()
    expect(helsinki_page.get_by_text("Participant profile saved.")).to_be_visible()

    lisbon_page.goto(f"/matchmaking/{event.pk}/participants/")
    lisbon_page.get_by_role("link", name="Test Helsinki Forest Cluster").first.click()
    lisbon_page.locator("#id_message").fill("Shall we talk about wood-based packaging?")
    lisbon_page.get_by_role("button", name="Send the request").click()
    expect(lisbon_page.get_by_text("Meeting request sent.")).to_be_visible()

    helsinki_page.goto(f"/matchmaking/{event.pk}/requests/")
    incoming = helsinki_page.get_by_test_id("incoming")
    expect(incoming).to_contain_text("wood-based packaging")
    incoming.get_by_role("button", name="Accept").click()
    expect(helsinki_page.get_by_test_id("incoming")).to_contain_text("Accepted")

    # The organiser schedules all and publishes.
    staff_page.goto(f"/matchmaking/{event.pk}/schedule/")
    staff_page.get_by_role("button", name="Schedule all").click()
    expect(staff_page.get_by_text("Draft agenda ready: 1 meeting.")).to_be_visible()
    expect(staff_page.get_by_test_id("run-status")).to_contain_text("Done")
    expect(staff_page.get_by_test_id("run-result")).to_contain_text("1 of 1 request scheduled.")
    expect(staff_page.get_by_test_id("bound")).to_contain_text("upper bound")
    staff_page.get_by_role("button", name="Publish the draft").click()
    expect(staff_page.get_by_text("Agenda published; 2 participants")).to_be_visible()
    # The organiser's dashboard draws its charts.
    staff_page.goto(f"/matchmaking/{event.pk}/dashboard/")
    staff_page.wait_for_function("() => ['chart-funnel', 'chart-by-country'].every(Chart.getChart)")
    funnel = staff_page.evaluate("() => Chart.getChart('chart-funnel').data.datasets[0].data")
    assert funnel == [2, 2, 1, 1, 1, 0, 0]

    # Both see the meeting at the same UTC instant, each in their own time zone.
    shown = {}
    for page, partner in (
        (lisbon_page, "Test Helsinki Forest Cluster"),
        (helsinki_page, "Test Lisbon Blue Economy Cluster"),
    ):
        page.goto(f"/matchmaking/{event.pk}/agenda/")
        meeting = page.get_by_test_id("meeting")
        expect(meeting).to_have_count(1)
        expect(meeting).to_contain_text(partner)
        time = meeting.locator("time")
        shown[partner] = (time.get_attribute("datetime"), time.inner_text())
    (utc_a, local_a), (utc_b, local_b) = shown.values()
    assert utc_a == utc_b
    assert local_a != local_b  # Lisbon and Helsinki are two hours apart
    slot = Participant.objects.get(organisation=lisbon).bookings.get().slot
    assert utc_a == slot.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    lisbon_hour = slot.start.astimezone(Participant.objects.get(organisation=lisbon).zone)
    assert lisbon_hour.strftime("%H:%M") in local_a

    # The iCal file contains it.
    response = lisbon_page.request.get(f"/matchmaking/{event.pk}/agenda.ics")
    assert response.ok
    calendar = response.text()
    assert "BEGIN:VEVENT" in calendar
    assert f"DTSTART:{slot.start.strftime('%Y%m%dT%H%M%SZ')}" in calendar
    assert "Test Helsinki Forest Cluster" in re.sub(r"\r\n ", "", calendar)
    # And so does the subscription feed, without logging in.
    feed_url = lisbon_page.get_by_test_id("feed-url").inner_text()
    visitor = browser.new_context()
    feed = visitor.request.get(feed_url)
    assert feed.ok and "BEGIN:VEVENT" in feed.text()
    # Close every context before the live server stops, so no request outlives it.
    for context in (visitor, lisbon_page.context, helsinki_page.context, staff_page.context):
        context.close()


def test_the_schedule_page_follows_a_background_run_until_it_is_done(
    browser: Browser, live_server, taxonomies
):
    staff = make_user("organiser@platform.example.org", staff=True, password=PASSWORD)
    event = make_event(request_mode=RequestMode.AUTOMATIC, tables=2, slots=3)
    a, b = make_participant(event), make_participant(event)
    services.meeting_request_create(
        event=event, requester=a, recipient=b, actor=a.user, message="Meet?", now=IN_BOOKING
    )
    # Queued as with the database task backend before a worker picks it up.
    run = SchedulingRun.objects.create(event=event, created_by=staff, time_limit=1)

    page = _log_in(browser, live_server, staff.email)
    page.goto(f"/matchmaking/{event.pk}/schedule/")
    expect(page.get_by_test_id("run-status")).to_contain_text("Waiting for a worker")
    expect(page.get_by_role("button", name="Schedule all")).to_be_disabled()

    agenda.scheduling_run_execute(run_id=run.pk)  # the worker
    # The page polls, sees the run finished and reloads with the new draft and its figures.
    expect(page.get_by_test_id("run-status")).to_contain_text("Done")
    expect(page.get_by_test_id("run-result")).to_contain_text("1 of 1 request scheduled.")
    expect(page.get_by_test_id("bound")).to_contain_text("upper bound")
    expect(page.get_by_role("button", name="Publish the draft")).to_be_enabled()
    page.context.close()
