"""The profile form adapts to the country and kind in place (htmx), keeping what was typed."""

from playwright.sync_api import Page, expect

from clustercollab.core.models import Country
from clustercollab.organisations.tests.factories import make_organisation, make_user

PASSWORD = "Kobe-cluster-2026"
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def test_the_form_shows_the_questions_that_apply_to_country_and_kind(page: Page, taxonomies):
    member = make_user("manager@kansai.example.org", password=PASSWORD)
    organisation = make_organisation(
        admin=member, country=Country.objects.get(code="JP"), name="Kansai Life Science Cluster"
    )
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"/organisations/{organisation.pk}/edit/")

    expect(page.locator("#id_nuts_region")).to_have_count(0)  # Japan has no NUTS regions
    expect(page.locator("#id_members_smes")).to_be_visible()
    page.locator("#id_offers").fill("Clinical trial networks in Osaka and Kobe")

    page.locator("#id_country").select_option("FI")
    expect(page.locator("#id_nuts_region")).to_be_visible()
    # The swapped-in form listens for changes once htmx has settled it.
    page.wait_for_function(HTMX_IDLE)
    page.locator("#id_kind").select_option("company")
    expect(page.locator("#id_members_smes")).to_have_count(0)
    expect(page.locator("#id_offers")).to_have_value("Clinical trial networks in Osaka and Kobe")
    expect(page.locator("#id_country")).to_have_value("FI")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    organisation.refresh_from_db()
    assert (organisation.country_id, organisation.kind) == ("FI", "company")
    assert organisation.offers == "Clinical trial networks in Osaka and Kobe"
