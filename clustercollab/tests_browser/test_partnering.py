"""A posts a technology request → staff publish → B expresses interest → A accepts → both see
the contact details and exchange messages; C sees neither the interest nor the thread."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering.models import ContactThread, ExpressionOfInterest

PASSWORD = "Partner-search-2026"


def _log_in(browser: Browser, live_server, email: str) -> Page:
    page = browser.new_context(base_url=live_server.url).new_page()
    page.context.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()
    return page


def test_technology_request_interest_acceptance_and_conversation(
    browser: Browser, page: Page, live_server, taxonomies
):
    a_user = make_user("manager@forest-a.example.org", password=PASSWORD)
    b_user = make_user("manager@wood-b.example.org", password=PASSWORD)
    c_user = make_user("manager@outsider-c.example.org", password=PASSWORD)
    staff = make_user("moderator@platform.example.org", staff=True, password=PASSWORD)
    make_organisation(
        admin=a_user,
        status="published",
        name="Test Forest Cluster A",
        contact_email="office@forest-a.example.org",
    )
    b = make_organisation(
        admin=b_user,
        status="published",
        name="Test Wood Cluster B",
        contact_email="office@wood-b.example.org",
    )
    make_organisation(admin=c_user, status="published", name="Test Outsider Cluster C")

    # A posts a technology request and submits it.
    a = _log_in(browser, live_server, a_user.email)
    a.get_by_role("link", name="Partner search").first.click()
    a.get_by_role("link", name="New post").click()
    a.locator("#id_post_type").select_option("TR")
    a.locator("#id_title").fill("Lignin-based fire retardant for CLT panels")
    a.locator("#id_summary").fill("We seek a partner with a bio-based fire retardant for CLT.")
    a.get_by_label("R&D cooperation").check()
    a.locator("#id_technology_keywords").fill("lignin, fire retardant, CLT")
    deadline = timezone.localdate() + timedelta(days=45)
    a.locator("#id_deadline").fill(deadline.isoformat())
    a.get_by_role("button", name="Save").click()
    expect(a.get_by_text("Draft saved.")).to_be_visible()
    a.get_by_role("button", name="Submit for validation").click()
    expect(a.get_by_text("Submitted for validation.")).to_be_visible()
    expect(a.get_by_text("Reference TRFI")).to_be_visible()
    post_url = a.url

    # Staff publish it.
    s = _log_in(browser, live_server, staff.email)
    s.goto("/partnering/moderation/")
    s.get_by_role("link", name="Lignin-based fire retardant").click()
    s.locator("#id_action").select_option("publish")
    s.get_by_role("button", name="Save decision").click()
    expect(s.get_by_text("Decision saved.")).to_be_visible()

    # B finds it in the public list and expresses interest.
    bp = _log_in(browser, live_server, b_user.email)
    bp.goto("/partnering/?q=lignin")
    bp.get_by_role("link", name="Lignin-based fire retardant for CLT panels").click()
    bp.get_by_role("link", name="Express interest").click()
    bp.locator("#id_who_we_are").fill("A Swedish cluster of 60 wood-product companies.")
    bp.locator("#id_what_we_offer").fill("A fire lab in Växjö with CLT test rigs.")
    bp.locator("#id_why_we_fit").fill("We certified three bio-based retardants last year.")
    bp.get_by_role("button", name="Send").click()
    expect(bp.get_by_text("Your expression of interest was sent.")).to_be_visible()
    expect(bp.get_by_test_id("interest-status")).to_have_text("Waiting for an answer")
    expect(bp.get_by_text("office@forest-a.example.org")).to_have_count(0)
    interest_url = bp.url

    # A sees it on the post and accepts it.
    a.goto(post_url)
    a.get_by_role("link", name="Test Wood Cluster B").click()
    expect(a.get_by_text("A fire lab in Växjö")).to_be_visible()
    a.get_by_role("button", name="Accept").click()
    expect(a.get_by_text("Accepted: a conversation is open.")).to_be_visible()
    expect(a.get_by_text("office@wood-b.example.org")).to_be_visible()

    # Both see each other's contact details and exchange messages in the thread.
    bp.goto(interest_url)
    expect(bp.get_by_text("office@forest-a.example.org")).to_be_visible()
    bp.get_by_role("link", name="Open the conversation").click()
    thread_url = bp.url
    bp.locator("#id_body").fill("When could we visit your pilot line?")
    bp.get_by_role("button", name="Send").click()
    expect(bp.get_by_test_id("messages")).to_contain_text("When could we visit your pilot line?")
    a.goto(thread_url)
    expect(a.get_by_test_id("messages")).to_contain_text("When could we visit your pilot line?")
    expect(a.get_by_text("office@wood-b.example.org")).to_be_visible()
    a.locator("#id_body").fill("Any week in March works for us.")
    a.get_by_role("button", name="Send").click()
    bp.goto(thread_url)
    expect(bp.get_by_test_id("messages")).to_contain_text("Any week in March works for us.")

    # C sees neither the interest nor the thread: not on pages, not in the API.
    interest = ExpressionOfInterest.objects.get()
    thread = ContactThread.objects.get()
    assert interest.organisation == b
    c = _log_in(browser, live_server, c_user.email)
    assert c.goto(interest_url).status == 404
    assert c.goto(thread_url).status == 404
    c.goto(post_url)
    expect(c.get_by_text("Test Wood Cluster B")).to_have_count(0)
    expect(c.get_by_text("Interest from")).to_have_count(0)
    c.goto("/partnering/threads/")
    expect(c.get_by_text("Lignin-based fire retardant")).to_have_count(0)
    assert c.request.get(f"/api/v1/expressions-of-interest/{interest.pk}/").status == 404
    assert c.request.get("/api/v1/expressions-of-interest/").json()["count"] == 0
    assert c.request.get(f"/api/v1/contact-threads/{thread.pk}/").status == 404
    assert c.request.get("/api/v1/contact-threads/").json()["count"] == 0
    # While A, the owner, sees the interest in the API.
    assert a.request.get("/api/v1/expressions-of-interest/").json()["count"] == 1


def test_the_network_graph_draws_partners(page: Page, taxonomies):
    from clustercollab.partnering.models import Partnership, PartnershipMember

    partnership = Partnership.objects.create(
        name="Test Timber Partnership", programme="escp_4x", status="published"
    )
    for name in ("Test Cluster North", "Test Cluster South"):
        organisation = make_organisation(status="published", name=name)
        PartnershipMember.objects.create(partnership=partnership, organisation=organisation)
    page.goto("/partnering/graph/")
    expect(page.locator("#graph-status")).to_have_text("Organisations: 2 · Links: 1")
    expect(page.locator("#graph canvas").first).to_be_visible()


def test_a_partnership_proposed_invited_accepted_and_validated(
    browser: Browser, live_server, taxonomies
):
    coordinator_user = make_user("manager@north.example.org", password=PASSWORD)
    partner_user = make_user("manager@south.example.org", password=PASSWORD)
    staff = make_user("moderator@platform.example.org", staff=True, password=PASSWORD)
    make_organisation(
        admin=coordinator_user,
        status="published",
        name="Test Cluster North",
        latitude=65.01,
        longitude=25.47,
    )
    south = make_organisation(
        admin=partner_user,
        status="published",
        name="Test Cluster South",
        latitude=60.17,
        longitude=24.94,
    )

    # The coordinator's admin proposes the partnership and invites the partner.
    a = _log_in(browser, live_server, coordinator_user.email)
    a.goto("/partnering/partnerships/")
    a.get_by_role("link", name="Propose a partnership").click()
    a.locator("#id_name").fill("Test Arctic Mining Partnership")
    a.locator("#id_programme").select_option("escp_s3")
    a.get_by_role("button", name="Save").click()
    expect(a.get_by_text("Draft saved.")).to_be_visible()
    partnership_url = a.url
    a.locator("#id_organisations").fill(f"{live_server.url}{south.get_absolute_url()}")
    a.get_by_role("button", name="Invite", exact=True).click()
    expect(a.get_by_text("Invitations sent.")).to_be_visible()

    # The partner's admin finds the invitation on the dashboard and accepts it.
    b = _log_in(browser, live_server, partner_user.email)
    b.goto("/dashboard/")
    b.get_by_role("link", name="Test Arctic Mining Partnership").first.click()
    b.get_by_role("button", name="Accept the invitation").click()
    expect(b.get_by_text("Welcome to the partnership.")).to_be_visible()

    # Submitted, then validated by staff: now public, with both members on the map.
    a.goto(partnership_url)
    a.get_by_role("button", name="Submit for validation").click()
    expect(a.get_by_text("Submitted for validation.")).to_be_visible()
    s = _log_in(browser, live_server, staff.email)
    s.goto("/partnering/moderation/")
    s.get_by_role("link", name="Test Arctic Mining Partnership").click()
    s.locator("#id_action").select_option("publish")
    s.get_by_role("button", name="Save decision").click()
    expect(s.get_by_text("Decision saved.")).to_be_visible()
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(partnership_url)
    expect(visitor.locator("#partnership-map .leaflet-interactive")).to_have_count(2)


def test_the_funding_call_is_suggested_while_typing(browser: Browser, live_server, taxonomies):
    from clustercollab.content.tests.factories import post_call

    user = make_user("manager@battery.example.org", password=PASSWORD)
    make_organisation(admin=user, status="published", name="Test Battery Cluster")
    post_call(
        actor=make_user(staff=True),
        organisation=None,
        title="Test call: battery recycling",
        topic_identifier="HORIZON-CL5-2027-D2-01-07",
    )
    page = _log_in(browser, live_server, user.email)
    page.goto("/partnering/posts/new/")
    page.locator("#id_funding_call").press_sequentially("cl5-2027", delay=30)
    expect(page.locator("#funding-call-options option")).to_have_attribute(
        "value", "HORIZON-CL5-2027-D2-01-07"
    )
