"""The OpenAPI schema and the documentation pages, with nothing loaded from elsewhere."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in [
        "/api/v1/organisations/:",
        "/api/v1/organisations/{id}/:",
        "/api/v1/countries/:",
        "/api/v1/nuts-regions/:",
        "/api/v1/industrial-ecosystems/:",
        "/api/v1/nace-activities/:",
        "/api/v1/emerging-industries/:",
    ]:
        assert path in schema
    assert "memberToken" in schema


def test_the_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "clustercollab API"


def _external_urls(html):
    return [
        url
        for url in re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", html)
        if not url.startswith(("http://testserver/", "//testserver/"))
    ]


def test_the_docs_page_loads_everything_from_this_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _external_urls(html) == []
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert assets
    for asset in assets:
        assert finders.find(asset), f"{asset} is not a static file of this site"


def test_swagger_ui_does_not_send_the_schema_to_an_outside_validator(client):
    html = client.get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in html


@pytest.mark.parametrize("url", ["/api/", "/api/v1/", "/api/v1/organisationz/", "/api/v2/x/"])
def test_an_unknown_api_address_answers_in_the_error_format(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and "/api/docs/" in body["message"]


def test_a_missing_final_slash_is_still_redirected(client):
    response = client.get("/api/v1/countries")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/countries/"
