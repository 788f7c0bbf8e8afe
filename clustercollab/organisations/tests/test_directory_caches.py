"""What the directory keeps per process: taxonomy lookups and remembered API answers.

Each must give what the database gives, and stop being used as soon as what it depends on
changes: the directory stamp (profiles and taxonomies), and for the API, who is asking.
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_filters.fields import ModelMultipleChoiceField

from clustercollab.accounts.services import api_token_create
from clustercollab.core.models import Country, IndustrialEcosystem, NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.filters import OrganisationFilterSet, TaxonomyChoiceField
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations/"
PUBLISHED = ModerationStatus.PUBLISHED


@pytest.fixture
def profiles(settings):
    settings.DIRECTORY_API_CACHE_SIZE = 16
    ecosystems = list(IndustrialEcosystem.objects.order_by("pk")[:3])
    created = []
    for number, country in enumerate(["FI", "FI", "DE", "FR"]):
        organisation = make_organisation(
            name=f"Test Hydrogen Cluster {number}",
            country=Country.objects.get(code=country),
            nuts_region=NutsRegion.objects.filter(country_id=country, level=3).first(),
            status=PUBLISHED,
        )
        organisation.ecosystems.set(ecosystems[: number % 3 + 1])
        created.append(organisation)
    return created


# --- taxonomy lookups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        ["DE"],
        ["FI", "SE", "DE"],
        ["FI", "FI"],
        ["XX"],
        ["FI", "XX"],
        ["de"],
        ["D\x00E"],
        [],
        [""],
        "DE",
    ],
)
def test_taxonomy_values_clean_like_django_filters_field(data):
    """Same cleaned rows (in the same order) or the same error as the field that queries."""
    taxonomy_field = TaxonomyChoiceField(
        queryset=Country.objects.all(), to_field_name="code", taxonomy="countries", required=False
    )
    reference = ModelMultipleChoiceField(
        queryset=Country.objects.all(), to_field_name="code", required=False
    )

    def outcome(field):
        try:
            return list(field.clean(data))
        except Exception as error:  # noqa: BLE001 - the error itself is compared
            return (type(error), error.messages)

    assert outcome(taxonomy_field) == outcome(reference)


def test_taxonomy_values_are_checked_without_a_query(profiles, django_assert_num_queries):
    OrganisationFilterSet(QueryDict("country=DE")).is_valid()  # the lookups are read once
    filterset = OrganisationFilterSet(
        QueryDict("country=DE&country=FI&region=FI1&ecosystem=digital&nace=C"), stamp=None
    )
    with django_assert_num_queries(1):  # the directory stamp
        assert filterset.is_valid(), filterset.errors


def test_a_new_country_is_known_on_the_next_request(client, profiles):
    assert client.get(API, {"country": "XQ"}).status_code == 400
    page = client.get(reverse("organisations:directory"), {"country": "XQ"})
    assert page.context["results"].notices
    Country.objects.create(code="XQ", name="Test Country")
    assert client.get(API, {"country": "XQ"}).json()["count"] == 0
    page = client.get(reverse("organisations:directory"), {"country": "XQ"})
    assert not page.context["results"].notices


def test_a_renamed_ecosystem_shows_on_the_next_request(client, profiles):
    url = reverse("organisations:directory")
    ecosystem = IndustrialEcosystem.objects.order_by("pk").first()
    assert b"Test Renamed Ecosystem" not in client.get(url).content
    IndustrialEcosystem.objects.filter(pk=ecosystem.pk).update(name="Test Renamed Ecosystem")
    body = client.get(url).content.decode()
    # On the result cards and as a facet value.
    assert body.count("Test Renamed Ecosystem") >= 2


# --- remembered API answers ---------------------------------------------------------------------


def _member_headers() -> dict:
    _token, secret = api_token_create(user=make_user(), name="test tool")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _headers(response) -> dict:
    return dict(response.headers.items())


def test_a_remembered_answer_is_the_same_bytes_and_headers(client, profiles):
    params = {"country": "FI", "page_size": 1}
    first = client.get(API, params)
    again = client.get(API, params)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert _headers(again) == _headers(first)
    assert first.json()["next"].startswith("http://testserver/api/v1/organisations/?")


def test_an_anonymous_repeat_is_answered_from_memory(
    client, profiles, django_assert_max_num_queries
):
    client.get(API, {"country": "FI"})
    with django_assert_max_num_queries(1):  # the directory stamp only
        assert client.get(API, {"country": "FI"}).json()["count"] == 2
    # Another page is another answer.
    assert _reads_rows(client, {"country": "FI", "page_size": 1, "page": 2})


def _reads_rows(client, params: dict, **headers) -> bool:
    """Whether answering reads the page's rows (False: a remembered answer)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API, params, **headers)
    assert response.status_code == 200
    table = Organisation._meta.db_table
    return any(f'FROM "{table}"' in query["sql"] for query in queries.captured_queries)


def test_members_never_get_a_remembered_answer_nor_leave_one(client, profiles):
    member = _member_headers()
    assert _reads_rows(client, {"country": "FI"})
    assert not _reads_rows(client, {"country": "FI"})  # remembered for anonymous callers
    assert _reads_rows(client, {"country": "FI"}, **member)
    assert _reads_rows(client, {"country": "DE"}, **member)
    assert _reads_rows(client, {"country": "DE"}, **member)
    # What the member asked is not remembered for anonymous callers either.
    assert _reads_rows(client, {"country": "DE"})


def test_a_logged_in_member_is_not_served_the_anonymous_answer(client, profiles):
    assert _reads_rows(client, {"country": "FR"})
    client.force_login(make_user())
    assert _reads_rows(client, {"country": "FR"})
    assert _reads_rows(client, {"country": "FR"})


def test_another_media_type_gets_its_own_answer(client, profiles):
    plain = client.get(API, {"country": "FI"}).content
    indented = client.get(API, {"country": "FI"}, HTTP_ACCEPT="application/json; indent=2").content
    assert b"\n" not in plain and b'\n  "count": 2' in indented
    assert client.get(API, {"country": "FI"}).content == plain
