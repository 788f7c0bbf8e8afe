"""A regional supporter sees a draft cluster of its region with its registration step, sends it an
offer of help, and cannot open the cluster's edit form."""

from django.core import mail
from playwright.sync_api import Browser, Page, expect

from clustercollab.core.models import NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.regional.models import SupportMessage
from clustercollab.regional.services import supporter_grant

PASSWORD = "Oulu-office-2026"


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def test_a_regional_supporter_helps_a_draft_cluster_of_its_region(
    browser: Browser, page: Page, live_server, taxonomies
):
    staff = make_user("moderator@platform.example.org", staff=True, password=PASSWORD)
    supporter_member = make_user("advisor@eu-office.example.org", password=PASSWORD)
    office = make_organisation(
        admin=supporter_member,
        kind=OrganisationKind.PUBLIC_BODY,
        name="Test EU Office of East and North Finland",
        status=ModerationStatus.PUBLISHED,
    )
    supporter_grant(organisation=office, codes="FI1D", actor=staff)
    cluster_admin = make_user("manager@karelia-cluster.example.org", password=PASSWORD)
    draft = make_organisation(
        admin=cluster_admin,
        name="Test Karelia Wood Cluster",
        about="",
        nuts_region=NutsRegion.objects.get(code="FI1DC"),
    )
    make_organisation(
        name="Test Turku Draft Cluster", nuts_region=NutsRegion.objects.get(code="FI1C1")
    )

    # The supporter finds the draft from the dashboard, with the step it is at.
    _log_in(page, supporter_member.email)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Clusters of the regions of Test EU Office").click()
    row = page.get_by_test_id("area-row").filter(has_text="Test Karelia Wood Cluster")
    expect(row).to_contain_text("Draft")
    expect(row).to_contain_text("This profile is a draft and not visible to the public.")
    expect(row).to_contain_text("Fill in about us")
    expect(page.get_by_text("Test Turku Draft Cluster")).to_have_count(0)

    # An empty message is refused with a clear error; then the offer of help is sent.
    row.get_by_role("link", name="Test Karelia Wood Cluster").click()
    expect(page.get_by_test_id("registration-step")).to_contain_text("This profile is a draft")
    page.get_by_label("Offer of help").check()
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Write a message first.")).to_be_visible()
    assert not SupportMessage.objects.exists()
    page.get_by_label("Message").fill("We can help you write the profile: call us on Tuesday.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message sent to Test Karelia Wood Cluster.")).to_be_visible()
    message = SupportMessage.objects.get()
    assert message.kind == "help_offer" and message.recipient == draft
    assert [m.to for m in mail.outbox] == [[cluster_admin.email]]

    # The supporter cannot open the cluster's edit form.
    response = page.goto(f"/organisations/{draft.pk}/edit/")
    assert response is not None and response.status == 404
    expect(page.locator("#id_name")).to_have_count(0)

    # The cluster's manager sees the offer on the dashboard and in the inbox.
    cluster_context = browser.new_context(base_url=live_server.url)
    cluster_page = cluster_context.new_page()
    _log_in(cluster_page, cluster_admin.email)
    cluster_page.goto("/dashboard/")
    expect(cluster_page.get_by_test_id("regional-dashboard")).to_contain_text(
        "received 1 message from a regional supporter"
    )
    cluster_page.get_by_role("link", name="Read the messages").click()
    expect(cluster_page.get_by_test_id("support-message")).to_contain_text(
        "We can help you write the profile"
    )
    cluster_context.close()
