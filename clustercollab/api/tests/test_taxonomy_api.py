"""The taxonomy endpoints: countries, NUTS regions, ecosystems, NACE, emerging industries."""

import pytest

pytestmark = pytest.mark.django_db


def _results(client, url, params=None, **headers):
    response = client.get(url, {**(params or {}), "page_size": 1000}, **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_countries_with_their_group_and_local_names(client):
    eu = _results(client, "/api/v1/countries/", {"group": "eu"})
    assert len(eu) == 27
    finland = next(c for c in eu if c["code"] == "FI")
    assert finland == {
        "code": "FI",
        "name": "Finland",
        "group": "eu",
        "is_eu": True,
        "has_nuts": True,
    }
    german = _results(client, "/api/v1/countries/", {"group": "eu"}, HTTP_ACCEPT_LANGUAGE="de")
    assert next(c for c in german if c["code"] == "FI")["name"] == "Finnland"


def test_nuts_regions_by_level_and_parent(client):
    regions = _results(client, "/api/v1/nuts-regions/", {"parent": "FI1D", "level": 3})
    codes = [r["code"] for r in regions]
    assert "FI1DC" in codes and all(code.startswith("FI1D") for code in codes)
    assert {r["level"] for r in regions} == {3}
    level_one = _results(client, "/api/v1/nuts-regions/", {"country": "FI", "level": 1})
    assert [r["code"] for r in level_one] == ["FI1", "FI2"]
    assert "geometry" not in regions[0]


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/v1/nuts-regions/", {"level": "7"}, "level"),
        ("/api/v1/nuts-regions/", {"parent": "XX99"}, "parent"),
        ("/api/v1/nuts-regions/", {"country": "US"}, "country"),
        ("/api/v1/nace-activities/", {"level": "family"}, "level"),
        ("/api/v1/nace-activities/", {"parent": "C10"}, "parent"),
        ("/api/v1/countries/", {"group": "planets"}, "group"),
        ("/api/v1/countries/", {"page": "5"}, "page"),
        ("/api/v1/nuts-regions/", {"levl": "2"}, "levl"),
        ("/api/v1/industrial-ecosystems/", {"slug": "digital"}, "slug"),
    ],
)
def test_bad_taxonomy_parameters_get_a_400(client, url, params, parameter):
    response = client.get(url, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_the_fourteen_ecosystems_in_the_request_language(client):
    ecosystems = _results(client, "/api/v1/industrial-ecosystems/", HTTP_ACCEPT_LANGUAGE="fr")
    assert len(ecosystems) == 14
    assert {"id": 2, "slug": "agri-food", "name": "Agroalimentaire"} in ecosystems


def test_nace_activities_by_level_and_parent(client):
    classes = _results(client, "/api/v1/nace-activities/", {"parent": "10.1"})
    assert [c["code"] for c in classes] == ["10.11", "10.12", "10.13"]
    assert classes[0]["level"] == "class" and classes[0]["section"] == "C"
    assert len(_results(client, "/api/v1/nace-activities/", {"level": "section"})) == 21
    german = _results(
        client, "/api/v1/nace-activities/", {"parent": "10.1"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert german[0]["label"] != classes[0]["label"]


def test_emerging_industries(client):
    industries = _results(client, "/api/v1/emerging-industries/")
    assert len(industries) == 10
    assert {"slug": "blue-growth", "name": "Blue growth"} in industries


def test_taxonomies_are_paginated_too(client):
    body = client.get("/api/v1/nace-activities/").json()
    assert body["count"] > 900 and len(body["results"]) == 100 and body["next"]
