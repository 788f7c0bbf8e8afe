"""The dashboard pages, their filters in the URL, the table views and the CSV downloads."""

import csv
import io
import math
import re

import pytest
from django.urls import reverse

from clustercollab.insights import views
from clustercollab.insights.selectors import INDICATORS, InsightsFilters, compute_figures
from clustercollab.insights.tests.dataset import build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    return build_dataset()


def _table(html: str, key: str) -> dict[str, list[str]]:
    """The table view of one indicator: row code → the cells' exact values."""
    table = re.search(rf'<table[^>]*data-testid="table-{key}".*?</table>', html, re.S).group(0)
    return {
        code: re.findall(r'data-value="([^"]*)"', row)
        for code, row in re.findall(r'<tr data-code="([^"]*)">(.*?)</tr>', table, re.S)
    }


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_dashboard_shows_every_indicator_with_its_table_and_csv_link(client, dataset):
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in INDICATORS:
        assert f'id="chart-{key}"' in html
        assert reverse("insights:csv", args=[key]) in html
    assert _table(html, "countries") == {"FI": ["5"], "DE": ["3"], "FR": ["1"]}
    assert 'data-testid="total-organisations">9<' in html
    assert 'id="map-countries"' in html and 'id="map-regions"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "vendor/leaflet/leaflet.js" in html


def test_the_filters_are_held_in_the_url_and_kept_in_every_link(client, dataset):
    response = client.get(reverse("insights:dashboard"), {"country": "FI", "ecosystem": "digital"})
    html = response.content.decode()
    assert _table(html, "countries") == {"FI": ["1"]}
    assert '<option value="FI" selected>' in html
    assert '<option value="digital" selected>' in html
    assert f"{reverse('insights:csv', args=['kinds'])}?country=FI&amp;ecosystem=digital" in html
    assert (
        f"{reverse('insights:indicator', args=['kinds'])}?country=FI&amp;ecosystem=digital" in html
    )


def test_a_bad_filter_is_named_and_ignored(client, dataset):
    response = client.get(reverse("insights:dashboard"), {"country": "XX", "ecosystem": "digital"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Country “XX” was ignored: There is no country with this code." in html
    # The valid filter still applies.
    assert _table(html, "countries") == {"FI": ["1"], "DE": ["1"]}


def test_the_csv_equals_the_table_and_the_figures(client, dataset):
    params = {"country": "FI"}
    html = client.get(reverse("insights:indicator", args=["members"]), params).content.decode()
    response = client.get(reverse("insights:csv", args=["members"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="clustercollab-members-FI-' in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header == ["code", "Type of member", "Members", "Organisations reporting"]
    assert {row[0]: row[2:] for row in rows} == _table(html, "members")
    figures = compute_figures(InsightsFilters(country="FI")).breakdowns["members"]
    assert rows == [[str(v) for v in row] for row in figures.value_rows()]
    assert rows[0][:3] == ["members_smes", "SMEs", "52"]


def test_every_indicator_page_and_csv_answers(client, dataset):
    for key in INDICATORS:
        assert client.get(reverse("insights:indicator", args=[key])).status_code == 200
        response = client.get(reverse("insights:csv", args=[key]), {"ecosystem": "digital"})
        assert response.status_code == 200
        assert len(_csv(response)) == 1 + len(
            compute_figures(InsightsFilters(ecosystem="digital")).breakdowns[key].rows
        )


@pytest.mark.parametrize("value", ["\x00", "F" * 300, "fi"])
def test_odd_filter_values_never_fail(client, value):
    for url in ("/statistics/", "/statistics/countries/", "/statistics/countries.csv"):
        response = client.get(url, {"country": value, "ecosystem": value})
        assert response.status_code in (200, 400)


def test_a_csv_with_a_bad_filter_is_refused_with_the_reason(client, dataset):
    response = client.get(reverse("insights:csv", args=["countries"]), {"ecosystem": "nope"})
    assert response.status_code == 400
    assert "There is no industrial ecosystem with this name." in response.content.decode()


@pytest.mark.parametrize("url", ["/statistics/nope/", "/statistics/nope.csv"])
def test_an_unknown_indicator_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_the_indicator_page_lists_every_row_by_page(client, dataset, monkeypatch):
    monkeypatch.setattr(views, "INDICATOR_PAGE_SIZE", 5)
    url = reverse("insights:indicator", args=["growth"])
    rows = compute_figures(InsightsFilters()).breakdowns["growth"].rows
    pages = math.ceil(len(rows) / 5)
    assert pages >= 3  # from 2024-12 to the month the test profiles were registered
    html = client.get(url).content.decode()
    assert list(_table(html, "growth")) == [row["code"] for row in rows[:5]]
    assert f"Page 1 of {pages}" in html
    last = client.get(url, {"page": str(pages)}).content.decode()
    assert list(_table(last, "growth")) == [row["code"] for row in rows[(pages - 1) * 5 :]]
    # A page that is not a number or past the end shows a page, never an error.
    assert client.get(url, {"page": "x"}).status_code == 200
    assert client.get(url, {"page": "999"}).status_code == 200


def test_the_dashboard_works_on_an_empty_database(client):
    response = client.get(reverse("insights:dashboard"), {"country": "FI"})
    assert response.status_code == 200
    assert "Nothing to count yet." in response.content.decode()


def test_the_navigation_and_the_home_page_link_the_dashboard(client):
    html = client.get(reverse("home")).content.decode()
    assert html.count(f'href="{reverse("insights:dashboard")}"') == 2


def test_a_cached_dashboard_needs_few_queries(client, dataset, django_assert_max_num_queries):
    client.get(reverse("insights:dashboard"), {"country": "DE"})
    with django_assert_max_num_queries(3):  # the country filter's lookup, the session
        client.get(reverse("insights:dashboard"), {"country": "DE"})
