"""The statistics dashboard in a real browser: charts drawn from the same figures as the table
views and the CSV downloads, the choropleth map, filters kept in the URL."""

import csv
import io
import re

from playwright.sync_api import Page, expect

from clustercollab.insights.tests.dataset import build_dataset


def _table(page: Page, key: str) -> dict[str, list[int]]:
    rows = page.locator(f'[data-testid="table-{key}"] tbody tr')
    return {
        rows.nth(i).get_attribute("data-code"): [
            int(v)
            for v in rows.nth(i)
            .locator("td")
            .evaluate_all("cells => cells.map(c => c.dataset.value)")
        ]
        for i in range(rows.count())
    }


def _chart(page: Page, key: str) -> dict:
    return page.locator(f"#chart-{key}").evaluate(
        "c => ({labels: c.chart.data.labels, data: c.chart.data.datasets.map(d => d.data)})"
    )


def test_charts_tables_csv_and_map_agree(page: Page, live_server, taxonomies):
    build_dataset()
    page.goto("/statistics/")
    for key in ("countries", "kinds", "members", "growth", "content", "activity"):
        expect(page.locator(f"#chart-{key}")).to_have_attribute("data-drawn", "true")
    countries = _table(page, "countries")
    assert countries == {"FI": [5], "DE": [3], "FR": [1]}
    chart = _chart(page, "countries")
    labels = page.locator('[data-testid="table-countries"] tbody th').all_inner_texts()
    assert chart == {"labels": labels, "data": [[5, 3, 1]]}
    members = _table(page, "members")
    assert _chart(page, "members")["data"] == [
        [values[0] for values in members.values()],
        [values[1] for values in members.values()],
    ]

    csv_url = page.get_by_test_id("csv-members").get_attribute("href")
    response = page.request.get(csv_url)
    assert response.ok
    _header, *rows = csv.reader(io.StringIO(response.text()))
    assert {row[0]: [int(v) for v in row[2:]] for row in rows} == members

    # The map colours the countries that have organisations, from the shipped outlines.
    expect(page.locator("#map-countries")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#map-countries")).to_have_attribute("data-shaded", "3")
    expect(page.locator("#map-regions")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#map-regions")).to_have_attribute("data-shaded", "3")  # FI1D FI1B DE21

    # Filters are a plain form: their values land in the URL and every figure follows.
    page.locator("#id_country").select_option("FI")
    page.locator("#id_ecosystem").select_option("digital")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"country=FI&ecosystem=digital"))
    expect(page.locator("#chart-kinds")).to_have_attribute("data-drawn", "true")
    assert _table(page, "countries") == {"FI": [1]}
    assert _chart(page, "countries")["data"] == [[1]]
    csv_url = page.get_by_test_id("csv-kinds").get_attribute("href")
    assert "country=FI" in csv_url and "ecosystem=digital" in csv_url
    _header, *rows = csv.reader(io.StringIO(page.request.get(csv_url).text()))
    assert {row[0]: [int(v) for v in row[2:]] for row in rows} == _table(page, "kinds")
