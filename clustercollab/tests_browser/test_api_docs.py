"""The API documentation renders in the browser from this site alone."""

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect


def test_swagger_ui_renders_the_schema_without_outside_requests(page: Page, live_server):
    own_host = urlsplit(live_server.url).netloc
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).netloc not in (own_host, "")
            else None
        ),
    )
    page.goto("/api/docs/")
    expect(page.get_by_text("clustercollab API").first).to_be_visible()
    expect(page.locator("#operations-organisations-organisations_list")).to_be_visible()
    page.locator("#operations-organisations-organisations_list").click()
    expect(page.get_by_text("sort").first).to_be_visible()
    assert outside == []
