"""The directory in a real browser: htmx updates, URL state, back button, map and CSV agree."""

import csv
import io
import re

from django.core.management import call_command
from playwright.sync_api import Page, expect

from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation


def _profiles() -> None:
    energy = IndustrialEcosystem.objects.get(name="Energy-renewables")
    rows = [
        ("Hydrogen Bavaria Cluster", "DE", 48.14, 11.58),
        ("Hamburg Hydrogen Network", "DE", 53.55, 9.99),
        ("Oulu Hydrogen Research", "FI", 65.01, 25.47),
        ("Tampere Hydrogen Valley", "FI", None, None),
        ("Oslo Hydrogen Network", "NO", 59.91, 10.75),
        ("Karelia Forest Cluster", "FI", 62.6, 29.76),
    ]
    for name, country, lat, lon in rows:
        organisation = Organisation.objects.create(
            kind="cluster",
            name=name,
            slug=name.lower().replace(" ", "-"),
            country=Country.objects.get(code=country),
            latitude=lat,
            longitude=lon,
            status=ModerationStatus.PUBLISHED,
        )
        organisation.ecosystems.add(energy)
    Organisation.objects.create(
        kind="cluster",
        name="Hydrogen Draft Finland",
        slug="draft",
        country=Country.objects.get(code="FI"),
    )


def _facet_count(page: Page, facet: str, value: str) -> str:
    item = page.locator(
        f'fieldset[data-facet="{facet}"] li', has=page.locator(f'input[value="{value}"]')
    )
    return item.locator(".count").inner_text()


def test_search_filter_back_button_map_and_csv_agree(page: Page, live_server, taxonomies):
    _profiles()
    call_command("rebuild_search_index", verbosity=0)
    page.goto("/directory/")
    expect(page.locator("#result-total")).to_have_attribute("data-total", "6")
    page.evaluate("window.__no_reload = true")

    page.fill("#directory-q", "hydrogen")
    page.press("#directory-q", "Enter")
    expect(page.locator("#result-total")).to_have_attribute("data-total", "5")
    expect(page).to_have_url(re.compile(r"q=hydrogen"))
    assert _facet_count(page, "country", "FI") == "2"
    assert _facet_count(page, "country", "DE") == "2"

    page.check('fieldset[data-facet="country"] input[value="FI"]')
    expect(page.locator("#result-total")).to_have_attribute("data-total", "2")
    expect(page).to_have_url(re.compile(r"country=FI"))
    # Counted with the other filters only: Germany still offers its two results.
    assert _facet_count(page, "country", "DE") == "2"
    cards = page.locator(".directory-cards .card")
    expect(cards).to_have_count(2)
    expect(page.locator(".directory-cards")).not_to_contain_text("Draft")
    # No full reload happened: the marker set on the window survived.
    assert page.evaluate("window.__no_reload") is True

    page.go_back()
    expect(page.locator("#result-total")).to_have_attribute("data-total", "5")
    expect(page).not_to_have_url(re.compile(r"country=FI"))
    page.go_forward()
    expect(page.locator("#result-total")).to_have_attribute("data-total", "2")

    csv_url = page.locator("#csv-link").get_attribute("href")
    page.click("#map-link")
    expect(page.locator("#map-total")).to_have_attribute("data-total", "2")
    expect(page.locator("#directory-map")).to_have_attribute("data-total", "2")
    # One of the two has no coordinates and no region: counted, not drawn.
    expect(page.locator("#directory-map")).to_have_attribute("data-drawn", "1")

    response = page.request.get(csv_url)
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.text())))
    assert sorted(row[1] for row in rows[1:]) == [
        "Oulu Hydrogen Research",
        "Tampere Hydrogen Valley",
    ]
