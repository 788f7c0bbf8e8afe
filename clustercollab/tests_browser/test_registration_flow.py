"""A cluster registers, staff request changes, the cluster fixes them, staff publish."""

import re

from django.core import mail
from playwright.sync_api import Browser, Page, expect

from clustercollab.organisations.tests.factories import make_user

PASSWORD = "Joensuu-forest-2026"


def _banner(page: Page):
    return page.get_by_test_id("next-step")


def _log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def test_register_validate_and_publish_a_cluster_profile(
    browser: Browser, page: Page, live_server, taxonomies
):
    staff = make_user("moderator@platform.example.org", staff=True, password=PASSWORD)

    # Sign up and verify the e-mail address with the link from the outbox.
    page.goto("/accounts/signup/")
    main = page.locator("main")
    main.locator("#id_email").fill("manager@bioeconomy.example.org")
    main.locator("#id_password1").fill(PASSWORD)
    main.locator("#id_password2").fill(PASSWORD)
    main.locator("form button[type=submit]").click()
    expect(page.get_by_text("Verify Your Email Address")).to_be_visible()
    confirmation = next(m for m in mail.outbox if "manager@bioeconomy.example.org" in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="My dashboard")).to_be_visible()

    # Create the cluster profile: country first.
    page.get_by_role("link", name="Register an organisation").first.click()
    page.locator("#id_country").select_option("FI")
    page.locator("#id_kind").select_option("cluster")
    page.locator("#id_name").fill("Itä-Suomi Bioeconomy Cluster")
    page.get_by_role("button", name="Create draft profile").click()
    expect(_banner(page)).to_contain_text("This profile is a draft")
    expect(_banner(page)).to_contain_text("about us")

    page.locator("#id_about").fill("Metsä-, puu- ja biotalouden yritysten klusteri Itä-Suomessa.")
    page.locator("#id_city").fill("Joensuu")
    page.locator("#id_contact_email").fill("office@bioeconomy.example.org")
    page.get_by_label("Agri-food").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(_banner(page)).to_contain_text("Everything required is filled in")
    page.get_by_role("button", name="Submit for validation").click()
    expect(_banner(page)).to_contain_text("Submitted for validation")
    profile_url = page.url

    # A visitor cannot see it.
    visitor = browser.new_page()
    assert visitor.goto(profile_url).status == 404

    # Staff ask for changes.
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    _log_in(staff_page, staff.email, PASSWORD)
    staff_page.goto("/moderation/")
    staff_page.get_by_role("link", name="Itä-Suomi Bioeconomy Cluster").click()
    staff_page.locator("#id_reason").fill("Please give your member counts and management staff.")
    staff_page.get_by_role("button", name="Request changes").click()
    expect(staff_page.get_by_text("is now “Changes requested”")).to_be_visible()

    # The member sees the reason, fixes the profile and resubmits.
    page.goto(profile_url)
    expect(_banner(page)).to_contain_text("Staff asked for changes")
    expect(_banner(page)).to_contain_text("Please give your member counts")
    page.get_by_role("link", name="Edit profile").click()
    page.locator("#id_members_smes").fill("96")
    page.locator("#id_members_research").fill("6")
    page.locator("#id_management_fte").fill("2.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    page.get_by_role("button", name="Resubmit for validation").click()
    expect(_banner(page)).to_contain_text("Submitted for validation")
    assert visitor.goto(profile_url).status == 404

    # Staff publish; now everyone sees it and the banner is gone.
    staff_page.goto("/moderation/")
    staff_page.get_by_role("link", name="Itä-Suomi Bioeconomy Cluster").click()
    expect(staff_page.get_by_text("✓ At least 15 members")).to_be_visible()
    staff_page.get_by_role("button", name="Publish").click()
    expect(staff_page.get_by_text("is now “Published”")).to_be_visible()

    page.goto(profile_url)
    expect(_banner(page)).to_have_count(0)
    response = visitor.goto(profile_url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", name="Itä-Suomi Bioeconomy Cluster")).to_be_visible()
    staff_context.close()
    visitor.close()
