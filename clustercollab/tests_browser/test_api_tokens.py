"""A member creates an API token on the account page, uses it, and revokes it."""

import json
import urllib.request
from urllib.error import HTTPError

from playwright.sync_api import Page, expect

from clustercollab.organisations.tests.factories import make_user

PASSWORD = "Tampere-cluster-2026"


def _api_status(base_url, secret):
    request = urllib.request.Request(
        f"{base_url}/api/v1/industrial-ecosystems/",
        headers={"Authorization": f"Bearer {secret}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except HTTPError as error:
        return error.code, json.load(error)


def test_a_member_creates_uses_and_revokes_a_token(page: Page, live_server, taxonomies):
    member = make_user("data@tampere.example.org", password=PASSWORD)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto("/accounts/email/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    page.locator("#id_name").fill("Regional dashboard")
    page.get_by_role("button", name="Create token").click()

    secret = page.locator("#new-token-secret").inner_text().strip()
    assert secret.startswith("cc_")
    expect(page.locator("table.api-tokens")).to_contain_text("Regional dashboard")
    status, body = _api_status(live_server.url, secret)
    assert status == 200 and body["count"] == 14

    page.goto("/accounts/api-tokens/")
    expect(page.locator("#new-token-secret")).to_have_count(0)  # shown only once
    expect(page.locator("table.api-tokens")).to_contain_text("Regional dashboard")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token “Regional dashboard” revoked.")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    status, body = _api_status(live_server.url, secret)
    assert status == 401 and body["code"] == "authentication_failed"
