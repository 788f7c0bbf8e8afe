"""/api/v1/organisations/: the directory's filters, pagination, errors and the detail view."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from clustercollab.core.models import (
    Country,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db
PUBLISHED = ModerationStatus.PUBLISHED


def _profile(
    name, *, country, region=None, ecosystems=(), nace=(), emerging=(), days_ago=0, **fields
):
    organisation = make_organisation(
        name=name,
        country=Country.objects.get(code=country),
        nuts_region=NutsRegion.objects.get(code=region) if region else None,
        status=PUBLISHED,
        published_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )
    organisation.ecosystems.add(*IndustrialEcosystem.objects.filter(slug__in=ecosystems))
    organisation.nace_activities.add(*NaceActivity.objects.filter(code__in=nace))
    organisation.emerging_industries.add(*EmergingIndustry.objects.filter(slug__in=emerging))
    return organisation


@pytest.fixture
def directory():
    """A fixed set of profiles that every filter of the page splits differently."""
    label_until = date.today() + timedelta(days=365)
    return [
        _profile(
            "Hydrogen Valley Kuopio",
            country="FI",
            region="FI1DB",
            kind=OrganisationKind.CLUSTER,
            ecosystems=["energy-renewables"],
            nace=["35.11"],
            emerging=["environmental-industries"],
            keywords=["hydrogen", "electrolysis"],
            languages=["fi", "en"],
            members_smes=40,
            members_research=5,
            label="gold",
            label_valid_until=label_until,
            days_ago=3,
        ),
        _profile(
            "Pohjois-Karjalan Biotalous",
            country="FI",
            region="FI1DC",
            kind=OrganisationKind.CLUSTER,
            ecosystems=["agri-food"],
            nace=["02.10"],
            emerging=["blue-growth"],
            keywords=["biotalous", "metsä"],
            languages=["fi"],
            members_smes=12,
            members_universities=2,
            label="silver",
            label_valid_until=label_until,
            days_ago=30,
        ),
        _profile(
            "Müller Wasserstoff GmbH",
            country="DE",
            region="DE212",
            kind=OrganisationKind.COMPANY,
            ecosystems=["energy-renewables", "mobility-transport-automotive"],
            nace=["28.11"],
            about="Elektrolyseure für grünen Wasserstoff (hydrogen).",
            languages=["de", "en"],
            days_ago=10,
        ),
        _profile(
            "Bavarian Digital Health Network",
            country="DE",
            region="DE21H",
            kind=OrganisationKind.CLUSTER_NETWORK,
            ecosystems=["digital", "health"],
            nace=["62.01", "86.10"],
            emerging=["medical-devices", "digital-industries"],
            languages=["de"],
            members_smes=150,
            members_large_companies=20,
            members_research=10,
            label="bronze",
            label_valid_until=label_until,
            days_ago=1,
        ),
        _profile(
            "Université de Lorraine",
            country="FR",
            kind=OrganisationKind.UNIVERSITY,
            ecosystems=["digital", "energy-intensive-industries-eii"],
            nace=["85.42"],
            keywords=["hydrogen storage"],
            languages=["fr"],
            days_ago=60,
        ),
        _profile(
            "Oslo Ocean Cluster",
            country="NO",
            kind=OrganisationKind.CLUSTER,
            ecosystems=["energy-renewables"],
            nace=["03.11"],
            emerging=["blue-growth"],
            keywords=["offshore wind", "hydrogen"],
            languages=["no", "en"],
            members_smes=30,
            members_public_bodies=3,
            days_ago=7,
        ),
        _profile(
            "Helsinki Public Mobility",
            country="FI",
            region="FI1B1",
            kind=OrganisationKind.PUBLIC_BODY,
            ecosystems=["mobility-transport-automotive"],
            nace=["84.13"],
            emerging=["mobility-technologies"],
            languages=["fi", "sv"],
            days_ago=15,
        ),
        make_organisation(
            name="Hydrogen Draft Consortium",
            about="Hydrogen.",
            country=Country.objects.get(code="FI"),
            kind=OrganisationKind.CLUSTER,
        ),
    ]


# Every filter of the page (alone and in combinations), each sort order and the text search.
PAGE_FILTERS = [
    {},
    {"q": "hydrogen"},
    {"q": "wasserstoff"},
    {"q": "Muller"},
    {"kind": "cluster"},
    {"kind": ["company", "university"]},
    {"country": "FI"},
    {"country": ["de", "no"]},
    {"region": "FI1D"},
    {"region": "DE2"},
    {"region": ["FI1B1", "DE212"]},
    {"eu": "eu"},
    {"eu": "non_eu"},
    {"ecosystem": "energy-renewables"},
    {"ecosystem": ["digital", "agri-food"]},
    {"nace": "C"},
    {"nace": "62"},
    {"nace": ["02.10", "03"]},
    {"emerging": "blue-growth"},
    {"emerging": ["medical-devices", "mobility-technologies"]},
    {"label": "gold"},
    {"label": ["silver", "bronze"]},
    {"members_min": "40"},
    {"members_max": "44"},
    {"members_min": "10", "members_max": "50"},
    {"language": "en"},
    {"language": ["sv", "fr"]},
    {"sort": "name"},
    {"sort": "size"},
    {"sort": "newest"},
    {"q": "hydrogen", "sort": "relevance"},
    {"q": "hydrogen", "country": "FI", "ecosystem": "energy-renewables"},
    {"q": "hydrogen", "eu": "non_eu", "kind": "cluster"},
    {"country": "DE", "nace": "62", "language": "de", "sort": "size"},
    {"kind": "cluster", "members_min": "1", "label": ["gold", "silver"], "sort": "newest"},
    {"q": "nothing-matches-this"},
]


def _page_ids(client, params):
    response = client.get("/directory/", params)
    assert response.status_code == 200
    page = response.context["page"]
    ids = [organisation.pk for organisation in page.object_list]
    assert page.paginator.count == len(ids)  # all on one page
    return ids


def _api_ids(client, params):
    response = client.get("/api/v1/organisations/", {**params, "page_size": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return [row["id"] for row in body["results"]]


@pytest.mark.parametrize(
    "params", PAGE_FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all"
)
def test_every_filter_of_the_page_gives_the_same_results_through_the_api(client, directory, params):
    page_ids = _page_ids(client, params)
    assert _api_ids(client, params) == page_ids


def test_the_filters_really_split_the_fixed_data_set(client, directory):
    """Guards the comparison above against a data set where every filter returns everything."""
    counts = {len(_api_ids(client, params)) for params in PAGE_FILTERS}
    assert len(counts) >= 4
    assert len(_api_ids(client, {})) == 7  # the draft is never listed


def test_anonymous_clients_can_read_the_list_and_a_profile(client, directory):
    response = client.get("/api/v1/organisations/", {"country": "FI", "sort": "name"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["name"] == "Helsinki Public Mobility"
    assert first["country"] == "FI"
    assert first["nuts_region"] == "FI1B1"
    assert first["profile_url"].startswith("http://testserver/organisations/")

    detail = client.get(f"/api/v1/organisations/{directory[0].pk}/").json()
    assert detail["name"] == "Hydrogen Valley Kuopio"
    assert sorted(detail["ecosystems"]) == ["agri-food", "energy-renewables"]
    assert detail["nace_activities"] == ["35.11"]
    assert detail["members"] == 45
    assert detail["members_by_type"]["smes"] == 40
    assert detail["label"] == "gold"


def test_pages_follow_each_other(client, directory):
    first = client.get("/api/v1/organisations/", {"page_size": 3, "sort": "name"}).json()
    assert (first["count"], first["pages"], first["previous"]) == (7, 3, None)
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [
        r["id"]
        for r in client.get("/api/v1/organisations/", {"sort": "name"}).json()["results"][3:6]
    ]


def test_a_profile_that_is_not_public_is_not_found(client, directory):
    draft = directory[-1]
    member = make_user()
    draft.memberships.create(user=member, role="admin")
    client.force_login(member)  # even its own members only see it on the site, not in the API
    response = client.get(f"/api/v1/organisations/{draft.pk}/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": response.json()["message"],
        "errors": {},
    }
    assert client.get("/api/v1/organisations/999999/").status_code == 404


@pytest.mark.parametrize(
    ("params", "parameter", "text"),
    [
        ({"country": "XX"}, "country", "XX"),
        ({"country": ["FI", "ZZ"]}, "country", "ZZ"),
        ({"members_min": "many"}, "members_min", "whole number"),
        ({"members_max": "1e3"}, "members_max", "whole number"),
        ({"members_min": "-5"}, "members_min", "0"),
        ({"region": "FI9Z"}, "region", "FI9Z"),
        ({"ecosystem": "space-tourism"}, "ecosystem", "space-tourism"),
        ({"nace": "99.99"}, "nace", "99.99"),
        ({"kind": "spaceship"}, "kind", "spaceship"),
        ({"eu": "maybe"}, "eu", "maybe"),
        ({"language": "xx"}, "language", "xx"),
        ({"sort": "random"}, "sort", "random"),
        ({"page": "99"}, "page", "past the end"),
        ({"page": "two"}, "page", "whole number"),
        ({"page": "0"}, "page", "whole number"),
        ({"page_size": "lots"}, "page_size", "whole number"),
        ({"page_size": "1000"}, "page_size", "100"),
        ({"countri": "FI"}, "countri", "Unknown parameter"),
        ({"country": "F\x00"}, "country", "Null characters"),
        ({"q": "hydrogen\x00"}, "q", "Null characters"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
        ({"members_max": "10000001"}, "members_max", "10000000"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, directory, params, parameter, text):
    response = client.get("/api/v1/organisations/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [parameter]
    assert text in " ".join(body["errors"][parameter])
    assert parameter in body["message"] and text in body["message"]


def test_a_page_past_the_end_says_how_many_pages_there_are(client, directory):
    body = client.get("/api/v1/organisations/", {"page": 4, "page_size": 3}).json()
    assert re.search(r"Page 4 is past the end: there (is|are) 3 pages", body["message"])
    # An empty result still has its one (empty) first page.
    empty = client.get("/api/v1/organisations/", {"q": "nothing-matches-this"})
    assert empty.status_code == 200
    assert empty.json()["results"] == []


def test_error_messages_follow_the_request_language(client, directory):
    response = client.get("/api/v1/organisations/", {"members_min": "x"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert response.json()["message"].startswith("Ungültige Anfrage. members_min: ")
    assert "ganze Zahl" in response.json()["message"]
    finnish = client.get("/api/v1/organisations/", {"page": "9"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert "Sivua 9 ei ole" in finnish.json()["message"]


def test_the_count_of_a_filter_combination_is_not_recomputed_for_every_page(
    client, directory, django_assert_num_queries
):
    params = {"country": "FI", "page_size": 1}
    client.get("/api/v1/organisations/", params)
    # The directory stamp, the page, its ecosystems: no COUNT, and the country is checked
    # against the taxonomy lookups held by the process.
    with django_assert_num_queries(3):
        body = client.get("/api/v1/organisations/", {**params, "page": 2, "sort": "newest"})
    assert body.json()["count"] == 3


def test_the_list_rows_have_exactly_the_documented_fields(client, directory):
    from clustercollab.organisations.api import OrganisationListSerializer

    documented = OrganisationListSerializer()
    row = client.get("/api/v1/organisations/", {"sort": "name"}).json()["results"][0]
    assert list(row) == list(documented.fields)
    # The hand-built rows say the same as DRF's own representation would.
    organisation = next(o for o in directory if o.pk == row["id"])
    organisation.member_total = organisation.total_members
    drf_row = dict(super(OrganisationListSerializer, documented).to_representation(organisation))
    assert row == {**drf_row, "profile_url": row["profile_url"]}
    assert row["profile_url"] == f"http://testserver{organisation.get_absolute_url()}"


def test_the_detail_lists_every_member_count():
    from clustercollab.organisations.api import MemberCountsSerializer
    from clustercollab.organisations.models import MEMBER_COUNT_FIELDS

    sources = {field.source for field in MemberCountsSerializer().fields.values()}
    assert sources == {name for name, _label in MEMBER_COUNT_FIELDS}
