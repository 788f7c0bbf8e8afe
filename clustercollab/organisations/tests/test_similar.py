"""The "similar organisations" box: ranking, reasons and what is never shown."""

import pytest
from django.core.cache import cache
from django.utils import translation

from clustercollab.core.models import Country, IndustrialEcosystem, NaceActivity, NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching.recommend import partner_graph
from clustercollab.organisations.directory_index import directory_index
from clustercollab.organisations.models import (
    Organisation,
    OrganisationKind,
    Participation,
    Project,
)
from clustercollab.organisations.similar import similar_organisations
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.organisations.warm_up import warm_up

pytestmark = pytest.mark.django_db
PUBLISHED = ModerationStatus.PUBLISHED


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _profile(name, *, country="FI", region=None, ecosystems=(), nace=(), status=PUBLISHED, **f):
    organisation = make_organisation(
        name=name,
        country=Country.objects.get(code=country),
        nuts_region=NutsRegion.objects.get(code=region) if region else None,
        status=status,
        **f,
    )
    # The factory gives every profile Agri-food; these profiles state their own ecosystems.
    organisation.ecosystems.set(IndustrialEcosystem.objects.filter(slug__in=ecosystems))
    organisation.nace_activities.set(NaceActivity.objects.filter(code__in=nace))
    return organisation


@pytest.fixture
def profiles():
    return {
        "viewed": _profile(
            "Hydrogen Valley Kuopio",
            region="FI1DB",
            ecosystems=["energy-renewables", "mobility-transport-automotive"],
            nace=["35.11"],
            keywords=["hydrogen", "Electrolysis", "fuel cells"],
            latitude=62.89,
            longitude=27.68,
        ),
        "twin": _profile(
            "Savo Hydrogen Cluster",
            region="FI1DB",
            ecosystems=["energy-renewables", "mobility-transport-automotive"],
            nace=["35.11"],
            keywords=["electrolysis", "Hydrogen"],
            latitude=62.6,
            longitude=27.5,
        ),
        "same_division": _profile(
            "Baltic Power Grid Oy",
            region="FI1B1",
            ecosystems=["energy-renewables"],
            nace=["35.13"],
            kind=OrganisationKind.COMPANY,
        ),
        "abroad": _profile(
            "Bavarian Fuel Cell Network",
            country="DE",
            region="DE212",
            ecosystems=["mobility-transport-automotive"],
            keywords=["fuel cells"],
            latitude=48.14,
            longitude=11.58,
        ),
        "only_nearby": _profile(
            "Kuopio Bakery", region="FI1DB", ecosystems=["agri-food"], latitude=62.9, longitude=27.7
        ),
        "unpublished": _profile(
            "Hydrogen Twin Draft",
            region="FI1DB",
            ecosystems=["energy-renewables", "mobility-transport-automotive"],
            nace=["35.11"],
            keywords=["hydrogen", "electrolysis", "fuel cells"],
            status=ModerationStatus.SUBMITTED,
        ),
    }


def _names(results):
    return [result.organisation.name for result in results]


def test_profiles_are_ranked_by_what_they_share_and_how_close_they_are(profiles):
    results = similar_organisations(profiles["viewed"], limit=5)
    # Twin: everything shared, same NUTS 3 region. Baltic: an ecosystem, the NACE division and
    # mainland Finland (NUTS 1). Bavarian: an ecosystem and a keyword, far away.
    assert _names(results) == [
        "Savo Hydrogen Cluster",
        "Baltic Power Grid Oy",
        "Bavarian Fuel Cell Network",
    ]
    scores = [result.score for result in results]
    assert scores == sorted(scores, reverse=True)


def test_it_never_shows_the_profile_itself_an_unpublished_one_or_one_sharing_nothing(profiles):
    names = _names(similar_organisations(profiles["viewed"], limit=10))
    assert "Hydrogen Valley Kuopio" not in names
    assert "Hydrogen Twin Draft" not in names
    assert "Kuopio Bakery" not in names  # close by, but nothing in common


def test_each_result_says_why(profiles):
    with translation.override("en"):
        twin, division, abroad = similar_organisations(profiles["viewed"], limit=5)
    assert twin.reasons == [
        "Shared ecosystems: Energy-renewables, Mobility-Transport-Automotive",
        "Same NACE sector: 35.11 Production of electricity",
        "Shared keywords: Electrolysis, hydrogen",
        "Same region: Pohjois-Savo",
    ]
    assert abroad.reasons == [
        "Shared ecosystem: Mobility-Transport-Automotive",
        "Shared keyword: fuel cells",
    ]
    assert division.reasons[0] == "Shared ecosystem: Energy-renewables"
    assert division.reasons[1].startswith("Same NACE division: 35 ")
    assert division.reasons[2] == "Same region: Manner-Suomi"


def test_a_profile_unpublished_after_the_ranking_was_cached_disappears(profiles):
    assert "Savo Hydrogen Cluster" in _names(similar_organisations(profiles["viewed"]))
    twin = profiles["twin"]
    twin.status = ModerationStatus.ARCHIVED
    twin.save()
    assert "Savo Hydrogen Cluster" not in _names(similar_organisations(profiles["viewed"]))


def test_a_change_saved_by_another_process_shows_on_the_next_request(profiles):
    viewed, bakery = profiles["viewed"], profiles["only_nearby"]
    assert "Kuopio Bakery" not in _names(similar_organisations(viewed))
    # As another process would: no signal reaches this one, only the database changes.
    Organisation.ecosystems.through.objects.create(
        organisation=bakery, industrialecosystem=IndustrialEcosystem.objects.get(slug="tourism")
    )
    assert "Kuopio Bakery" not in _names(similar_organisations(viewed))
    Organisation.ecosystems.through.objects.create(
        organisation=bakery,
        industrialecosystem=IndustrialEcosystem.objects.get(slug="energy-renewables"),
    )
    assert "Kuopio Bakery" in _names(similar_organisations(viewed))
    Organisation.objects.filter(pk=bakery.pk).update(status=ModerationStatus.ARCHIVED)
    assert "Kuopio Bakery" not in _names(similar_organisations(viewed))


def test_a_new_shared_partner_shows_on_the_next_request(profiles):
    viewed, abroad = profiles["viewed"], profiles["abroad"]
    partner = _profile("Test Research Partner", country="DE")

    def reasons_of_abroad():
        with translation.override("en"):
            return next(
                r.reasons
                for r in similar_organisations(viewed)
                if r.organisation.name == "Bavarian Fuel Cell Network"
            )

    assert reasons_of_abroad()[0] == "Shared ecosystem: Mobility-Transport-Automotive"
    # Projects are not profiles: the partner graph's stamp, not the directory's, tells.
    project = Project.objects.create(id="101099999", title="Test hydrogen project")
    for member in (viewed, abroad, partner):
        Participation.objects.create(project=project, organisation=member, role="participant")
    assert reasons_of_abroad()[0] == "Shared partner: Test Research Partner"


def test_a_profile_sharing_nothing_gets_no_suggestions(profiles):
    loner = _profile("Lonely Textile Mill", country="PT", ecosystems=["textiles"])
    assert similar_organisations(loner) == []


def test_the_limit_is_kept(profiles):
    assert len(similar_organisations(profiles["viewed"], limit=2)) == 2


def test_it_takes_a_bounded_number_of_queries(profiles, django_assert_max_num_queries):
    viewed = profiles["viewed"]
    for number in range(30):
        _profile(f"Renewables Company {number}", country="SE", ecosystems=["energy-renewables"])
    # What every process keeps (the directory index, the partner graph) is built once.
    directory_index()
    partner_graph()
    # The directory stamp, the partner graph's stamp and the vectors' version (the cache
    # key), the viewed profile's ecosystems and NACE codes, the vectors, the candidates' rows,
    # the names in the reasons and the published profiles shown: never one per candidate.
    with django_assert_max_num_queries(11):
        similar_organisations(viewed)
    # Cached: the key's three parts and the published profiles shown.
    with django_assert_max_num_queries(4):
        similar_organisations(viewed)


def test_a_worker_warmed_up_builds_nothing_on_its_first_profile_page(
    profiles, django_assert_max_num_queries
):
    warm_up()
    # The box's own queries only (see above): no directory index or partner graph to build.
    with django_assert_max_num_queries(11):
        similar_organisations(profiles["viewed"])


def test_the_profile_page_shows_the_box_with_links(client, profiles):
    page = client.get(profiles["viewed"].get_absolute_url()).content.decode()
    assert "Similar organisations" in page
    assert profiles["twin"].get_absolute_url() in page
    assert "Shared keywords: Electrolysis, hydrogen" in page
    assert "Hydrogen Twin Draft" not in page


def test_a_profile_that_is_not_public_has_no_box(client, profiles):
    member = make_user()
    draft = profiles["unpublished"]
    draft.memberships.create(user=member, role="admin")
    client.force_login(member)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Hydrogen Twin Draft" in page
    assert "Similar organisations" not in page


def test_closeness_is_told_by_country_or_distance(profiles):
    helsinki = _profile(
        "Helsinki Mobility Lab",
        region="FI1B1",
        ecosystems=["tourism"],
        latitude=60.17,
        longitude=24.94,
    )
    _profile(
        "Tallinn Travel Cluster",
        country="EE",
        ecosystems=["tourism"],
        latitude=59.44,
        longitude=24.75,
    )
    _profile("Finnish Tourism Board", ecosystems=["tourism"])  # no region, no coordinates
    with translation.override("en"):
        reasons = {r.organisation.name: r.reasons[-1] for r in similar_organisations(helsinki)}
    assert reasons == {
        "Tallinn Travel Cluster": "82 km away",
        "Finnish Tourism Board": "Same country: Finland",
    }


def test_a_profile_without_ecosystems_still_finds_neighbours_by_keywords(profiles):
    water = _profile("Loire Water Cluster", country="FR", keywords=["water technology"])
    _profile(
        "Nantes Water Lab", country="FR", ecosystems=["construction"], keywords=["Water technology"]
    )
    _profile("Lyon Bakery", country="FR", ecosystems=["agri-food"], keywords=["bread"])
    assert _names(similar_organisations(water)) == ["Nantes Water Lab"]
