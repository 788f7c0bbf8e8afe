"""The directory: FilterSet, facet counts, page, map GeoJSON and CSV export, on a fixed data set."""

import csv
import io
from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from clustercollab.core.models import (
    Country,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.facets import directory_facets
from clustercollab.organisations.filters import OrganisationFilterSet
from clustercollab.organisations.models import OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db

PUBLISHED = ModerationStatus.PUBLISHED
URL = "/directory/"


@pytest.fixture
def directory():
    """Six published profiles and two unpublished ones with known filter values."""
    de, fi, no = (Country.objects.get(code=code) for code in ("DE", "FI", "NO"))
    energy = IndustrialEcosystem.objects.get(name="Energy-renewables")
    digital = IndustrialEcosystem.objects.get(name="Digital")
    hydrogen_industry = EmergingIndustry.objects.first()
    manufacturing = NaceActivity.objects.get(code="C")
    class_in_c = NaceActivity.objects.filter(section="C", level="class").first()
    research = NaceActivity.objects.get(code="72")
    oberbayern = NutsRegion.objects.filter(code__startswith="DE21", level=3).first()
    berlin = NutsRegion.objects.filter(code__startswith="DE30", level=3).first()

    def org(name, country, **fields):
        ecosystems = fields.pop("ecosystems", [])
        nace = fields.pop("nace", [])
        emerging = fields.pop("emerging", [])
        fields.setdefault("status", PUBLISHED)
        organisation = make_organisation(name=name, country=country, **fields)
        organisation.ecosystems.set(ecosystems)
        organisation.nace_activities.set(nace)
        organisation.emerging_industries.set(emerging)
        return organisation

    return {
        "munich": org(
            "Hydrogen Bavaria Cluster",
            de,
            nuts_region=oberbayern,
            city="München",
            latitude=48.14,
            longitude=11.58,
            ecosystems=[energy],
            nace=[class_in_c],
            emerging=[hydrogen_industry],
            label="gold",
            label_valid_until=date(2030, 1, 1),
            members_smes=40,
            members_research=20,
            languages=["de", "en"],
        ),
        "berlin": org(
            "Berlin Digital Hub",
            de,
            kind=OrganisationKind.COMPANY,
            nuts_region=berlin,
            city="Berlin",
            ecosystems=[digital],
            nace=[research],
            languages=["de"],
            members_smes=5,
        ),
        "oulu": org(
            "Oulu Hydrogen Research",
            fi,
            kind=OrganisationKind.RESEARCH,
            ecosystems=[energy, digital],
            about="Hydrogen and digital twins.",
            languages=["fi", "en"],
        ),
        "joensuu": org("Karelia Forest Cluster", fi, ecosystems=[], members_smes=300),
        "oslo": org(
            "Oslo Hydrogen Network",
            no,
            kind=OrganisationKind.CLUSTER_NETWORK,
            latitude=59.91,
            longitude=10.75,
            ecosystems=[energy],
            nace=[manufacturing],
        ),
        "tampere": org("Tampere Robotics", fi, kind=OrganisationKind.COMPANY, ecosystems=[digital]),
        "draft": org("Hydrogen Secret Draft", de, status=ModerationStatus.DRAFT),
        "archived": org("Hydrogen Archived Cluster", fi, status=ModerationStatus.ARCHIVED),
    }


def _names(query):
    filterset = OrganisationFilterSet(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return sorted(o.name for o in filterset.qs)


def _facet_counts(query):
    filterset = OrganisationFilterSet(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    return {
        facet.name: {value.value: value.count for value in facet.values}
        for facet in directory_facets(filterset)
    }


# --- the FilterSet --------------------------------------------------------------------------


def test_no_filter_gives_every_published_profile_only(directory):
    names = _names("")
    assert len(names) == 6
    assert "Hydrogen Secret Draft" not in names and "Hydrogen Archived Cluster" not in names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=research", ["Oulu Hydrogen Research"]),
        (
            "kind=company&kind=research",
            ["Berlin Digital Hub", "Oulu Hydrogen Research", "Tampere Robotics"],
        ),
        ("country=NO", ["Oslo Hydrogen Network"]),
        ("country=no", ["Oslo Hydrogen Network"]),
        (
            "country=DE&country=NO",
            ["Berlin Digital Hub", "Hydrogen Bavaria Cluster", "Oslo Hydrogen Network"],
        ),
        ("region=DE2", ["Hydrogen Bavaria Cluster"]),
        ("region=DE21", ["Hydrogen Bavaria Cluster"]),
        ("region=DE3", ["Berlin Digital Hub"]),
        ("eu=non_eu", ["Oslo Hydrogen Network"]),
        ("eu=eu&kind=company", ["Berlin Digital Hub", "Tampere Robotics"]),
        (
            "ecosystem=energy-renewables",
            ["Hydrogen Bavaria Cluster", "Oslo Hydrogen Network", "Oulu Hydrogen Research"],
        ),
        (
            "ecosystem=energy-renewables&ecosystem=digital",
            [
                "Berlin Digital Hub",
                "Hydrogen Bavaria Cluster",
                "Oslo Hydrogen Network",
                "Oulu Hydrogen Research",
                "Tampere Robotics",
            ],
        ),
        ("nace=C", ["Hydrogen Bavaria Cluster", "Oslo Hydrogen Network"]),
        ("nace=M", ["Berlin Digital Hub"]),
        ("nace=72", ["Berlin Digital Hub"]),
        ("label=gold", ["Hydrogen Bavaria Cluster"]),
        ("members_min=50", ["Hydrogen Bavaria Cluster", "Karelia Forest Cluster"]),
        ("members_min=1&members_max=100", ["Berlin Digital Hub", "Hydrogen Bavaria Cluster"]),
        ("language=en", ["Hydrogen Bavaria Cluster", "Oulu Hydrogen Research"]),
        (
            "language=fi&language=de",
            ["Berlin Digital Hub", "Hydrogen Bavaria Cluster", "Oulu Hydrogen Research"],
        ),
        (
            "q=hydrogen",
            ["Hydrogen Bavaria Cluster", "Oslo Hydrogen Network", "Oulu Hydrogen Research"],
        ),
        ("q=hydrogen&country=FI", ["Oulu Hydrogen Research"]),
        ("q=hydrogen&eu=eu&ecosystem=energy-renewables&kind=cluster", ["Hydrogen Bavaria Cluster"]),
    ],
)
def test_each_filter(directory, query, expected):
    assert _names(query) == expected


def test_emerging_industry_filter(directory):
    slug = EmergingIndustry.objects.first().slug
    assert _names(f"emerging={slug}") == ["Hydrogen Bavaria Cluster"]


def test_sort_orders(directory):
    def ordered(query):
        return [o.name for o in OrganisationFilterSet(QueryDict(query)).qs]

    assert ordered("")[:2] == ["Berlin Digital Hub", "Hydrogen Bavaria Cluster"]
    assert ordered("sort=size")[:2] == ["Karelia Forest Cluster", "Hydrogen Bavaria Cluster"]
    assert ordered("sort=newest")[0] == "Tampere Robotics"
    assert ordered("q=hydrogen")[0] == "Hydrogen Bavaria Cluster" or ordered("q=hydrogen")[
        0
    ].startswith(("Oslo", "Oulu"))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX", "country"),
        ("members_min=many", "members_min"),
        ("members_max=-3", "members_max"),
        ("region=ZZ999", "region"),
        ("nace=Q99.99", "nace"),
        ("kind=spaceship", "kind"),
        ("sort=random", "sort"),
        ("ecosystem=nope", "ecosystem"),
    ],
)
def test_invalid_values_are_form_errors(directory, query, field):
    filterset = OrganisationFilterSet(QueryDict(query))
    assert not filterset.is_valid()
    assert field in filterset.errors


# --- facet counts -------------------------------------------------------------------------


def test_facet_counts_without_filters(directory):
    counts = _facet_counts("")
    assert counts["kind"] == {"cluster": 2, "company": 2, "research": 1, "cluster_network": 1}
    assert counts["country"] == {"DE": 2, "FI": 3, "NO": 1}
    assert counts["eu"] == {"eu": 5, "non_eu": 1}
    assert counts["ecosystem"] == {"energy-renewables": 3, "digital": 3}
    assert counts["nace"] == {"C": 2, "M": 1}
    assert counts["label"] == {"gold": 1}
    assert counts["language"] == {"de": 2, "en": 2, "fi": 1}
    assert counts["members"] == {"1-49": 1, "50-249": 1, "250-": 1}


def test_each_facet_is_counted_with_the_other_filters_only(directory):
    counts = _facet_counts("country=FI&kind=company")
    # Countries: counted with kind=company only, so choosing another country adds to the results.
    assert counts["country"] == {"DE": 1, "FI": 1}
    # Kinds: counted with country=FI only.
    assert counts["kind"] == {"cluster": 1, "company": 1, "research": 1}
    assert counts["ecosystem"] == {"digital": 1}


def test_facet_counts_follow_the_text_search(directory):
    counts = _facet_counts("q=hydrogen")
    assert counts["country"] == {"DE": 1, "FI": 1, "NO": 1}
    assert counts["ecosystem"] == {"energy-renewables": 3, "digital": 1}


def test_region_facet_drills_down(directory):
    assert set(_facet_counts("country=DE")["region"]) == {"DE2", "DE3"}
    assert set(_facet_counts("region=DE2")["region"]) == {"DE2", "DE21"}
    assert set(_facet_counts("nace=C")["nace"]) >= {"C"}


# --- the page -----------------------------------------------------------------------------


def test_the_page_lists_results_with_facets(client, directory):
    response = client.get(URL, {"q": "hydrogen", "country": "FI"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Oulu Hydrogen Research" in body
    assert "Hydrogen Bavaria Cluster" not in body
    assert 'data-total="1"' in body
    assert "<html" in body


def test_htmx_requests_get_only_the_results_partial(client, directory):
    response = client.get(URL, {"q": "hydrogen"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="directory"' in body and 'data-total="3"' in body


def test_unpublished_profiles_never_appear_on_page_map_or_csv(client, directory):
    for query in ({}, {"q": "hydrogen"}, {"q": "secret"}, {"q": "archived"}):
        page = client.get(URL, query).content.decode()
        geojson = client.get(reverse("organisations:directory_geojson"), query).json()
        export = b"".join(
            client.get(reverse("organisations:directory_csv"), query).streaming_content
        )
        for text in (page, str(geojson), export.decode()):
            assert "Secret Draft" not in text and "Archived Cluster" not in text


def test_a_zero_result_combination_shows_a_helpful_message(client, directory):
    response = client.get(URL, {"q": "hydrogen", "country": "FI", "kind": "company"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "No organisations match all of this." in body
    assert "Try removing a filter" in body
    # Each suggestion drops one filter and keeps the others.
    assert "q=hydrogen&amp;kind=company" in body
    assert "q=hydrogen&amp;country=FI" in body


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"country": "XX"}, "XX"),
        ({"members_min": "lots"}, "lots"),
        ({"page": "abc"}, "abc"),
        ({"page_size": "big"}, "big"),
        ({"page": "999"}, "There is no page 999"),
        ({"region": "'; DROP TABLE"}, "DROP"),
    ],
)
def test_bad_input_gives_a_clear_notice_never_a_500(client, directory, query, notice):
    response = client.get(URL, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="banner warning directory-notice"' in body
    assert notice in body


def test_bad_input_is_ignored_but_valid_filters_still_apply(client, directory):
    response = client.get(URL, {"country": ["XX", "NO"], "kind": "cluster_network"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "directory-notice" in body


def test_pagination_keeps_the_filters(client, directory):
    response = client.get(URL, {"q": "hydrogen", "page_size": "1"})
    body = response.content.decode()
    assert "q=hydrogen&amp;page_size=1&amp;page=2" in body
    second = client.get(URL, {"q": "hydrogen", "page_size": "1", "page": "2"})
    assert second.status_code == 200


# --- map and CSV ----------------------------------------------------------------------------


def test_geojson_follows_the_filters_and_counts_like_the_list(client, directory):
    data = client.get(reverse("organisations:directory_geojson"), {"q": "hydrogen"}).json()
    assert data["total"] == 3
    assert data["countries"] == {"DE": 1, "FI": 1, "NO": 1}
    # Oulu has no coordinates and no region: counted, not drawn.
    assert sorted(f["properties"]["name"] for f in data["features"]) == [
        "Hydrogen Bavaria Cluster",
        "Oslo Hydrogen Network",
    ]
    assert (
        client.get(reverse("organisations:directory_geojson"), {"country": "XX"}).status_code == 400
    )


def test_map_page_renders_with_the_same_query(client, directory):
    response = client.get(reverse("organisations:directory_map"), {"q": "hydrogen"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "vendor/leaflet/leaflet.js" in body
    assert "q=hydrogen" in body


def test_csv_export_streams_the_result_set(client, directory):
    response = client.get(
        reverse("organisations:directory_csv"), {"q": "hydrogen", "country": "DE"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "clustercollab-directory-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "name", "acronym"]
    assert [row[1] for row in rows[1:]] == ["Hydrogen Bavaria Cluster"]
    assert rows[1][8] == "Energy-renewables"


def test_csv_export_with_bad_input_goes_back_to_the_page_with_a_notice(client, directory):
    response = client.get(reverse("organisations:directory_csv"), {"country": "XX"}, follow=True)
    assert response.status_code == 200
    assert "XX" in response.content.decode()


def test_the_page_speaks_the_visitors_language(client, directory):
    response = client.get(URL, {"q": "hydrogen"}, headers={"Accept-Language": "fi"})
    body = response.content.decode()
    assert "Organisaatiohakemisto" in body
    assert "3 organisaatiota" in body
