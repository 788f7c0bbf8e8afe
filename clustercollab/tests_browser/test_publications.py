"""An editor posts a position paper with its PDF; it is not in the library until staff publish
it from the moderation queue; then a visitor finds it by a word of the PDF and downloads it."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.publications.models import Publication
from clustercollab.publications.tests.helpers import pdf_bytes

PASSWORD = "Kuopio-lakes-2026"
TITLE = "Joint recommendations for cluster internationalisation"


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def test_a_publication_is_in_the_library_after_staff_publish_it(
    browser: Browser, page: Page, live_server, taxonomies, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = make_user("papers@alliance.example.org", password=PASSWORD)
    staff = make_user("moderator@platform.example.org", staff=True, password=PASSWORD)
    network = make_organisation(
        editors=[editor],
        status=ModerationStatus.PUBLISHED,
        kind="cluster_network",
        name="Test European Clusters Network",
    )

    _log_in(page, editor.email)
    page.goto("/publications/")
    page.get_by_role("link", name="Post a publication").click()
    page.locator("#id_posting_organisation").select_option(str(network.pk))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_publication_type").select_option("joint_recommendation")
    page.locator("#id_publication_date").fill("2025-06-30")
    page.locator("#id_authors").fill(network.get_absolute_url())
    page.locator("#id_summary").fill("What public administrations can do for clusters abroad.")
    # First a file that is not a PDF: refused with a clear message.
    page.locator("#id_file").set_input_files(
        {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"plain notes"}
    )
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.locator(".errors")).to_contain_text("This file is not a PDF")
    assert Publication.objects.count() == 0
    page.locator("#id_file").set_input_files(
        {
            "name": "recommendations.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes("Export readiness vouchers for cluster SMEs"),
        }
    )
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text("Submitted for validation.")).to_be_visible()
    publication = Publication.objects.get(title=TITLE)
    assert publication.status == ModerationStatus.SUBMITTED

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/publications/?q=vouchers")
    expect(visitor.get_by_text("No publications found.")).to_be_visible()

    staff_page = browser.new_context(base_url=live_server.url).new_page()
    _log_in(staff_page, staff.email)
    staff_page.get_by_role("link", name="Moderation").click()
    staff_page.get_by_role("link", name=TITLE).click()
    staff_page.get_by_role("button", name="Publish").click()
    expect(staff_page.get_by_text("is now “Published”")).to_be_visible()

    # A visitor finds it by a word of the PDF's text, opens it and downloads the file.
    visitor.goto("/publications/")
    visitor.locator("#id_q").fill("VOUCHERS")
    visitor.locator("#id_q").press("Enter")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.locator("#id_type").select_option("study")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
    visitor.locator("#id_type").select_option("joint_recommendation")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.locator("main")).to_contain_text("Test European Clusters Network")
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Download the PDF").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF-")
