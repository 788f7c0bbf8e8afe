"""The taxonomies loaded by load_taxonomies (once per test session, see conftest.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from clustercollab.core import geo
from clustercollab.core.models import (
    Country,
    CountryGroup,
    EmergingIndustry,
    IndustrialEcosystem,
    NaceActivity,
    NutsRegion,
)
from clustercollab.core.services import nace_label_clean, taxonomies_load
from clustercollab.core.taxonomy import country_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_nuts_cache():
    geo.clear_nuts_cache()
    yield
    geo.clear_nuts_cache()


def test_it_loads_the_14_industrial_ecosystems():
    assert IndustrialEcosystem.objects.count() == 14
    assert IndustrialEcosystem.objects.get(id=1).slug == "aerospace-defence"
    assert IndustrialEcosystem.objects.get(id=11).name == (
        "Proximity, social economy and civil society"
    )


def test_it_loads_the_emerging_industries():
    assert EmergingIndustry.objects.count() == 10
    assert EmergingIndustry.objects.get(slug="blue-growth").name == "Blue growth"


def test_it_loads_996_nace_activities_with_german_and_finnish_labels():
    activities = list(NaceActivity.objects.all())
    assert len(activities) == 996
    assert all(a.labels.get("de") and a.labels.get("fi") for a in activities)
    levels = {
        level: sum(a.level == level for a in activities)
        for level in ("section", "division", "group", "class")
    }
    assert levels == {"section": 21, "division": 88, "group": 272, "class": 615}


def test_it_links_nace_activities_to_their_parents():
    assert NaceActivity.objects.get(code="A").parent is None
    assert NaceActivity.objects.get(code="01").parent_id == "A"
    assert NaceActivity.objects.get(code="01.11").parent_id == "01.1"
    assert NaceActivity.objects.get(code="62.01").section == "J"


def test_it_strips_the_upstream_junk_from_nace_labels():
    labels = NaceActivity.objects.get(code="A").labels
    assert labels["es"] == "AGRICULTURA, GANADERÍA, SILVICULTURA Y PESCA"
    assert NaceActivity.objects.get(code="08.12").labels["es"] == "Extracción de gravas y arenas"
    assert NaceActivity.objects.get(code="74").labels["es"] == (
        "Otras actividades profesionales, científicas y técnicas"
    )
    assert NaceActivity.objects.get(code="26.11").labels["el"] == (
        "Κατασκευή ηλεκτρονικών εξαρτημάτων"
    )
    assert NaceActivity.objects.get(code="11").labels["el"] == "Ποτοποιία"
    # Empty upstream labels are left out; the English one is the fallback.
    assert "no" not in NaceActivity.objects.get(code="98").labels


def test_it_keeps_latin_words_that_belong_to_a_greek_label():
    assert nace_label_clean(
        language="el", label="Χρηματοδοτική μίσθωση (leasing)", norwegian_label="Finansiell leasing"
    ) == ("Χρηματοδοτική μίσθωση (leasing)")
    assert (
        nace_label_clean(language="el", label="Υλοτομίαng", norwegian_label="Avvirkning")
        == "Υλοτομία"
    )
    assert nace_label_clean(language="fi", label="Sahatavaran,,,,") == "Sahatavaran,,,,"


def test_it_loads_nuts_2024_levels_1_to_3():
    counts = {level: NutsRegion.objects.filter(level=level).count() for level in (1, 2, 3)}
    assert counts == {1: 114, 2: 296, 3: 1345}
    assert not NutsRegion.objects.filter(level=1, parent__isnull=False).exists()
    assert NutsRegion.objects.get(code="FI1B1").parent_id == "FI1B"
    assert NutsRegion.objects.filter(geometry__isnull=False).count() == 1345
    assert not NutsRegion.objects.filter(level__lt=3, geometry__isnull=False).exists()


def test_it_maps_the_eu_country_codes_of_nuts_to_iso():
    assert NutsRegion.objects.get(code="EL303").country_id == "GR"
    assert Country.objects.get(code="GR").has_nuts
    assert not Country.objects.get(code="GB").has_nuts  # NUTS 2024 has no UK regions
    assert not Country.objects.filter(code__in=["EL", "UK"]).exists()


def test_it_loads_every_iso_country_and_kosovo():
    assert Country.objects.count() == 250
    kosovo = Country.objects.get(code="XK")
    assert (kosovo.name, kosovo.group, kosovo.has_nuts) == ("Kosovo", CountryGroup.ASSOCIATED, True)


def test_it_sets_the_country_groups():
    groups = dict(
        Country.objects.filter(code__in=["FI", "NO", "JP", "GB"]).values_list("code", "group")
    )
    assert groups == {"FI": "eu", "NO": "associated", "JP": "other", "GB": "associated"}


def test_it_keeps_the_country_names_the_catalogues_translate():
    germany = Country.objects.get(code="DE")
    assert country_name("DE", germany.name, "fi") == "Saksa"
    assert Country.objects.get(code="KR").name == "Korea, Republic of"


def test_it_changes_nothing_on_a_second_load():
    before = list(
        NutsRegion.objects.order_by("code").values_list("code", "name_latin", "parent_id")
    )
    results = taxonomies_load()
    assert all(not counts.created and not counts.updated for counts in results.values())
    assert results["NACE activities"].unchanged == 996
    assert (
        list(NutsRegion.objects.order_by("code").values_list("code", "name_latin", "parent_id"))
        == before
    )


def test_it_prints_one_line_per_taxonomy():
    out = StringIO()
    call_command("load_taxonomies", stdout=out)
    assert out.getvalue().splitlines() == [
        "countries: 0 created, 0 updated, 250 unchanged",
        "NUTS regions: 0 created, 0 updated, 1755 unchanged",
        "industrial ecosystems: 0 created, 0 updated, 14 unchanged",
        "NACE activities: 0 created, 0 updated, 996 unchanged",
        "emerging industries: 0 created, 0 updated, 10 unchanged",
    ]


def test_it_repairs_a_changed_row_on_the_next_load():
    NutsRegion.objects.filter(code="FI1B1").update(name_latin="Changed", geometry=None)
    results = taxonomies_load()
    assert results["NUTS regions"].updated == 1
    region = NutsRegion.objects.get(code="FI1B1")
    assert region.name_latin == "Helsinki-Uusimaa"
    assert region.geometry["type"] in {"Polygon", "MultiPolygon"}


def test_it_finds_the_nuts_region_of_a_point(fresh_nuts_cache):
    assert geo.nuts_region_for_point(latitude=60.17, longitude=24.94).code == "FI1B1"
    assert geo.nuts_region_for_point(latitude=40.4168, longitude=-3.7038).code == "ES300"
    # The 1:60M outline of Rome (ITI43) misses central Rome; the nearest region is taken.
    assert geo.nuts_region_for_point(latitude=41.9007644, longitude=12.5125083).code == "ITI43"


def test_it_finds_no_region_in_the_middle_of_the_atlantic(fresh_nuts_cache):
    assert geo.nuts_region_for_point(latitude=40.0, longitude=-35.0) is None
    assert geo.nuts_region_for_point(latitude=35.68, longitude=139.69) is None  # Tokyo


def test_it_matches_nuts_2021_codes_to_nuts_2024(fresh_nuts_cache):
    assert geo.nuts_region_for_code("FI1B1").code == "FI1B1"
    assert geo.nuts_region_for_code("el303").code == "EL303"
    # Changed in 2024: fall back to the longest code that still exists.
    assert geo.nuts_region_for_code("NO082").code == "NO08"
    assert geo.nuts_region_for_code("PT170").code == "PT1"
    assert geo.nuts_region_for_code("UKI31") is None
    assert geo.nuts_region_for_code("FR") is None
    assert geo.nuts_region_for_code("") is None


def test_it_caches_lookups_until_cleared(fresh_nuts_cache, django_assert_num_queries):
    geo.nuts_region_for_code("FI1B1")
    with django_assert_num_queries(0):
        geo.nuts_region_for_code("FI1B1")
        geo.nuts_region_for_point(latitude=60.17, longitude=24.94)
    geo.clear_nuts_cache()
    with django_assert_num_queries(2):
        geo.nuts_region_for_code("FI1B1")


def test_country_names_are_the_ones_people_use():
    from clustercollab.core.taxonomy import country_name

    assert country_name("KR", "Korea, Republic of", "en") == "South Korea"
    assert country_name("DE", "Germany", "fi") == "Saksa"
    assert country_name("FR", "France", "de") == "Frankreich"
    assert country_name("FI", "Finland", "en") == "Finland"
