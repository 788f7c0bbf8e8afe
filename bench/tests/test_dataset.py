"""The benchmark's data generator and naive baseline on a handful of profiles (fast)."""

import pytest

from bench import dataset
from bench.directory import naive_query
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation, Source
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db

PUBLISHED = ModerationStatus.PUBLISHED


def _real_profiles() -> list[Organisation]:
    germany = Country.objects.get(code="DE")
    finland = Country.objects.get(code="FI")
    rows = [
        ("Test Wasserstoff Forschung Zentrum", germany, "Berlin", ["hydrogen", "fuel cells"]),
        ("Test Batterie Technik Institut", germany, "Ulm", ["battery", "recycling"]),
        ("Test Vety Tutkimus Keskus", finland, "Oulu", ["hydrogen", "steel"]),
        ("Test Tekstiili Innovaatio Yhdistys", finland, "Tampere", ["textile", "circularity"]),
    ]
    profiles = []
    for number, (name, country, city, keywords) in enumerate(rows):
        profiles.append(
            make_organisation(
                status=PUBLISHED,
                name=name,
                country=country,
                city=city,
                keywords=keywords,
                source=Source.CORDIS,
                cordis_pic=f"99900000{number}",
                latitude=50.0 + number,
                longitude=10.0 + number,
            )
        )
    return profiles


def _copies() -> list[tuple]:
    return list(
        Organisation.objects.filter(source=Source.CORDIS, cordis_pic__isnull=True)
        .order_by("pk")
        .values_list("name", "country_id", "city", "keywords")
    )


def test_copies_are_deterministic_and_stay_in_their_country():
    real = _real_profiles()
    cities = {"DE": {"Berlin", "Ulm"}, "FI": {"Oulu", "Tampere"}}

    assert dataset._create_copies(12, seed=7, show=False) == 12
    first = _copies()
    dataset._delete_copies()
    assert _copies() == []
    dataset._create_copies(12, seed=7, show=False)

    assert _copies() == first
    assert Organisation.objects.filter(status=PUBLISHED).count() == 16
    real_names = {profile.name for profile in real}
    for name, country, city, keywords in first:
        assert name not in real_names
        assert city in cities[country]
        assert 1 <= len(keywords) <= 10
    agri_food = IndustrialEcosystem.objects.get(name="Agri-food")
    assert agri_food.organisations.count() == 16  # the links are copied too


def test_another_seed_gives_other_copies():
    _real_profiles()
    dataset._create_copies(8, seed=1, show=False)
    first = _copies()
    dataset._delete_copies()
    dataset._create_copies(8, seed=2, show=False)
    assert _copies() != first


def test_naive_baseline_filters_and_counts_facets():
    _real_profiles()
    make_organisation(name="Test Hydrogen Draft", keywords=["hydrogen"])  # not published

    total, page, facets = naive_query({"q": "hydrogen"})

    assert total == 2
    assert len(page) == 2
    assert facets["country"] == {"DE": 1, "FI": 1}
    assert facets["ecosystem"][IndustrialEcosystem.objects.get(name="Agri-food").pk] == 2
    total, _page, facets = naive_query({"q": "hydrogen", "country": "FI"})
    assert (total, facets["country"]) == (1, {"FI": 1})
    assert naive_query({"country": "DE", "kind": "university"})[0] == 0
