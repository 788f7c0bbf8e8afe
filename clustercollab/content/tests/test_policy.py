import datetime

import pytest

from clustercollab.content.models import PolicyFactsheet

pytestmark = pytest.mark.django_db


def test_policy_factsheets_one_per_country_sanitised_and_public_when_published(client):
    factsheet = PolicyFactsheet.objects.create(
        country_id="FI",
        programmes="<p>Regional innovation ecosystems</p><script>x()</script>",
        last_reviewed=datetime.date(2026, 5, 1),
    )
    PolicyFactsheet.objects.create(
        country_id="SE", last_reviewed=datetime.date(2026, 5, 1), is_published=False
    )
    assert "<script>" not in factsheet.programmes
    listing = client.get("/policy/").content.decode()
    assert "/policy/fi/" in listing and "/policy/se/" not in listing
    assert client.get("/policy/fi/").status_code == 200
    assert client.get("/policy/FI/").status_code == 301
    assert client.get("/policy/se/").status_code == 404
    assert client.get("/api/v1/factsheets/fi/").json()["country"] == "FI"
    assert client.get("/api/v1/factsheets/se/").status_code == 404
