"""A crisis portal end to end: supply meets demand across regions, and allocation holds."""

from playwright.sync_api import Page, expect

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.response import services
from clustercollab.response.models import ResponsePortal, SupplyListing

PASSWORD = "Respond-fast-2020"


def _log_in(page: Page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _post_listing(page: Page, portal_slug: str, side: str, **values: str) -> None:
    page.goto(f"/response/{portal_slug}/supplies/new/{side}/")
    page.locator("#id_category").select_option(label="FFP2 masks")
    page.locator("#id_item").fill(values["item"])
    page.locator("#id_quantity").fill(values["quantity"])
    page.locator("#id_unit").select_option("pieces")
    page.locator("#id_certification").fill("EN 149")
    page.locator("#id_country").select_option("FI")
    page.locator("#id_region_code").fill(values["region"])
    if side == "request":
        page.locator("#id_needed_by").fill(values["needed_by"])
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=values["item"])).to_be_visible()


def test_supply_meets_demand_and_allocation_never_exceeds_the_offer(page: Page, taxonomies):
    staff = make_user("moderator@clustercollab.example.org", staff=True, password=PASSWORD)
    a_admin = make_user("supply@uusimaa-health.example.org", password=PASSWORD)
    a = make_organisation(
        admin=a_admin, name="Uusimaa Health Tech Cluster", status=ModerationStatus.PUBLISHED
    )
    b_admin = make_user("care@south-finland.example.org", password=PASSWORD)
    make_organisation(
        admin=b_admin, name="South Finland Care Cluster", status=ModerationStatus.PUBLISHED
    )
    far_admin = make_user("textiles@norte.example.org", password=PASSWORD)
    far = make_organisation(
        admin=far_admin, name="Norte Textile Cluster", status=ModerationStatus.PUBLISHED
    )
    c_admin = make_user("beds@lakeland.example.org", password=PASSWORD)
    c = make_organisation(
        admin=c_admin, name="Lakeland Hospitals Network", status=ModerationStatus.PUBLISHED
    )

    # Staff open the portal; the pandemic categories are the form's default.
    _log_in(page, staff)
    page.goto("/response/new/")
    page.locator("#id_title").fill("Covid-19 industrial clusters response")
    page.locator("#id_slug").fill("covid-19")
    page.locator("#id_summary").fill("Masks, protective equipment, ventilators and capacity.")
    page.locator("#id_started_on").fill("2020-03-16")
    page.get_by_role("button", name="Open the portal").click()
    expect(page.get_by_text("The response portal is open.")).to_be_visible()
    portal = ResponsePortal.objects.get(slug="covid-19")

    # A offers 10,000 FFP2 masks in Helsinki-Uusimaa; a bigger offer far away competes.
    _log_in(page, a_admin)
    _post_listing(
        page, "covid-19", "offer", item="FFP2 masks from Vantaa", quantity="10000", region="FI1B"
    )
    offer = SupplyListing.objects.get(organisation=a)
    far_offer = services.listing_create(
        user=far_admin,
        portal=portal,
        organisation=far,
        side="offer",
        category=portal.categories.get(name="FFP2 masks"),
        item="FFP2 masks from Porto",
        quantity=50_000,
        unit="pieces",
        certification="EN 149",
        country_id="PT",
        nuts_region_id="PT11",
    )

    # B requests 4,000 in the neighbouring region; the request page ranks A's offer first.
    _log_in(page, b_admin)
    _post_listing(
        page,
        "covid-19",
        "request",
        item="Masks for Lahti hospitals",
        quantity="4000",
        region="FI1C",
        needed_by="2099-12-31",
    )
    ranked = page.locator("[data-testid=ranked] li")
    expect(ranked.first).to_have_attribute("data-listing", str(offer.pk))
    expect(ranked.nth(1)).to_have_attribute("data-listing", str(far_offer.pk))

    # C asks for 7,000 and proposes a match with A's offer while 10,000 are still there.
    c_request = services.listing_create(
        user=c_admin,
        portal=portal,
        organisation=c,
        side="request",
        category=portal.categories.get(name="FFP2 masks"),
        item="Masks for Kuopio",
        quantity=7_000,
        unit="pieces",
        country_id="FI",
        nuts_region_id="FI1D",
    )
    c_match = services.match_propose(user=c_admin, own=c_request, counterpart=offer, quantity=7_000)

    # B proposes 4,000 from A's offer; A confirms; 6,000 remain.
    page.goto(offer.get_absolute_url())
    page.locator("#id_quantity").fill("4000")
    page.locator("#id_message").fill("Can you deliver to Lahti next week?")
    page.get_by_role("button", name="Propose a match").click()
    expect(page.get_by_text("Match proposed.")).to_be_visible()
    b_match_url = page.url

    _log_in(page, a_admin)
    page.goto(b_match_url)
    expect(page.get_by_text("Can you deliver to Lahti next week?")).to_be_visible()
    page.get_by_role("button", name="Confirm the match").click()
    expect(page.get_by_text("Confirmed by both sides")).to_be_visible()
    page.goto(offer.get_absolute_url())
    expect(page.locator("[data-testid=remaining]")).to_have_text("6,000")

    # Confirming C's 7,000 now fails with a clear message, and nothing changes.
    page.goto(c_match.get_absolute_url())
    page.get_by_role("button", name="Confirm the match").click()
    expect(page.get_by_text("Only 6000 pieces remain of “FFP2 masks from Vantaa”")).to_be_visible()
    offer.refresh_from_db()
    c_request.refresh_from_db()
    assert (offer.remaining, c_request.allocated_quantity) == (6_000, 0)
