import re

from playwright.sync_api import Page, Response, expect


def test_healthz_answers_ok(page: Page, live_server) -> None:
    response = page.request.get(f"{live_server.url}/healthz")
    assert response.status == 200
    assert response.json()["status"] == "ok"


def test_home_page_loads_with_its_assets(page: Page, live_server, taxonomies) -> None:
    broken: list[str] = []

    def note_broken(response: Response) -> None:
        if response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    page.on("response", note_broken)
    response = page.goto(live_server.url)
    assert response is not None
    assert response.status == 200
    expect(page).to_have_title(re.compile("clustercollab", re.IGNORECASE))
    page.wait_for_load_state("networkidle")
    assert broken == [], "the home page refers to files the server cannot deliver"
