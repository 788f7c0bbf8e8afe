"""Anonymous clients get a lower request rate than members with a token."""

import pytest

from clustercollab.accounts.services import api_token_create
from clustercollab.organisations.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "member": "6/minute"},
    }


def test_anonymous_clients_are_throttled_with_a_clear_answer(client, low_rates):
    for _ in range(3):
        assert client.get("/api/v1/industrial-ecosystems/").status_code == 200
    response = client.get("/api/v1/industrial-ecosystems/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 429 and body["code"] == "throttled" and body["message"]


def test_members_with_a_token_get_the_higher_rate(client, low_rates):
    _token, secret = api_token_create(user=make_user(), name="script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    statuses = [client.get("/api/v1/countries/", **headers).status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    # Anonymous requests from the same address are counted apart.
    assert client.get("/api/v1/countries/").status_code == 200


def test_a_limit_can_be_switched_off(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "off", "member": "off"},
    }
    assert all(client.get("/api/v1/countries/").status_code == 200 for _ in range(5))
