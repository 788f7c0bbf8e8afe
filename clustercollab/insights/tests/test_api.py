"""/api/v1/statistics/: the dashboards' figures, the same filters, errors in the API format."""

import pytest

from clustercollab.insights.selectors import INDICATORS, InsightsFilters, compute_figures
from clustercollab.insights.tests.dataset import build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    return build_dataset()


def test_the_overview_gives_the_totals_and_links_every_indicator(client, dataset):
    body = client.get("/api/v1/statistics/", {"country": "DE"}).json()
    assert body["filters"] == {"country": "DE"}
    assert body["totals"] == compute_figures(InsightsFilters(country="DE")).totals
    assert body["totals"]["organisations"] == 3
    assert [i["indicator"] for i in body["indicators"]] == list(INDICATORS)
    assert body["indicators"][0]["url"] == (
        "http://testserver/api/v1/statistics/countries/?country=DE"
    )
    unfiltered = client.get("/api/v1/statistics/").json()
    assert unfiltered["indicators"][1]["url"] == "http://testserver/api/v1/statistics/regions/"


@pytest.mark.parametrize("indicator", INDICATORS)
def test_every_indicator_gives_the_dashboard_rows(client, dataset, indicator):
    params = {"country": "FI", "ecosystem": "energy-renewables"}
    response = client.get(f"/api/v1/statistics/{indicator}/", params)
    assert response.status_code == 200
    body = response.json()
    breakdown = compute_figures(InsightsFilters(**params)).breakdowns[indicator]
    assert body["indicator"] == indicator and body["filters"] == params
    assert [c["key"] for c in body["columns"]] == [c.key for c in breakdown.columns]
    assert [
        [row["code"], row["label"], *row["values"].values()] for row in body["rows"]
    ] == breakdown.value_rows()


def test_the_kinds_of_finnish_energy_organisations(client, dataset):
    body = client.get(
        "/api/v1/statistics/kinds/", {"country": "FI", "ecosystem": "energy-renewables"}
    ).json()
    assert {row["code"]: row["values"]["count"] for row in body["rows"]} == {"cluster": 1}


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"country": "XX"}, "country", "does not exist"),
        ({"ecosystem": "space"}, "ecosystem", "does not exist"),
        ({"country": "\x00"}, "country", "Invalid value"),
        ({"ecosystem": "x" * 300}, "ecosystem", "Invalid value"),
        (
            {"countri": "FI"},
            "countri",
            "Unknown parameter. This endpoint takes: country, ecosystem.",
        ),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(client, params, field, text):
    for url in ("/api/v1/statistics/", "/api/v1/statistics/countries/"):
        response = client.get(url, params)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid" and body["status"] == 400
        assert text in " ".join(body["errors"][field])


def test_an_unknown_indicator_answers_404_listing_the_indicators(client):
    response = client.get("/api/v1/statistics/nope/")
    assert response.status_code == 404
    assert "countries, regions, kinds" in response.json()["message"]


def test_the_statistics_are_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/statistics/" in schema["paths"]
    parameters = schema["paths"]["/api/v1/statistics/{indicator}/"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {"indicator", "country", "ecosystem"}
