"""A member follows a funding-call search from the list and an organisation from its page,
manages them on "My follows", gets one digest, and unsubscribes with the e-mail's link."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from clustercollab.content.follows.services import digest_send
from clustercollab.content.tests.helpers import make_call, make_news
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user

PASSWORD = "Joensuu-forest-2026"


def test_a_member_follows_a_search_and_an_organisation_and_unsubscribes(
    page: Page, live_server, taxonomies
):
    member = make_user("follower@cluster.example.org", password=PASSWORD)
    organisation = make_organisation(
        status=ModerationStatus.PUBLISHED, name="Itä-Suomi Bioeconomy Cluster"
    )
    make_call(title="Drones for forest monitoring", programme="European Defence Fund")
    make_call(title="Soil health living labs", programme="Horizon Europe")

    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=member.email)).to_be_visible()

    # Follow the list's current search; the button then says it is followed.
    page.goto("/calls/?programme=defence")
    expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).to_have_attribute(
        "href", "/calls/feed/atom/?programme=defence"
    )
    page.get_by_role("button", name="Follow this search").click()
    expect(page.get_by_role("button", name="Following this search")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/calls/\?programme=defence$"))

    # Follow the organisation from its public page.
    page.goto(organisation.get_absolute_url())
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_role("button", name="Following", exact=True)).to_be_visible()

    page.goto("/follows/")
    expect(page.get_by_text("Funding calls: Programme: defence")).to_be_visible()
    expect(page.get_by_role("link", name="Itä-Suomi Bioeconomy Cluster")).to_be_visible()

    make_news(title="Cluster opens a drone test site", organisation=organisation)
    assert digest_send(user_id=member.pk)
    (message,) = mail.outbox
    assert "Drones for forest monitoring" in message.body
    assert "Cluster opens a drone test site" in message.body
    assert "Soil health living labs" not in message.body

    # The e-mail's unsubscribe link works in a fresh browser context, without logging in.
    link = re.search(r"http\S+/digests/unsubscribe/\S+/", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    anonymous = page.context.browser.new_context(base_url=live_server.url).new_page()
    anonymous.goto(path)
    expect(anonymous.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    anonymous.context.close()

    page.goto("/follows/")
    expect(page.get_by_role("button", name="Receive the weekly digest again")).to_be_visible()
