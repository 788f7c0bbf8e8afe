"""The search layer (search.py) on the database the tests run on: SQLite or PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db import connection

from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations.models import Organisation, SearchEntry
from clustercollab.organisations.search import (
    _fts5_query,
    install_search_structures,
    search_organisations,
)
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

PUBLISHED = ModerationStatus.PUBLISHED


def _names(text, queryset=None):
    queryset = Organisation.objects.all() if queryset is None else queryset
    return [o.name for o in search_organisations(queryset, text).order_by("-search_rank", "pk")]


@pytest.fixture
def profiles():
    germany = Country.objects.get(code="DE")
    return {
        "mueller": make_organisation(
            name="Müller Wasserstoff GmbH",
            country=germany,
            city="München",
            about="Elektrolyseure für grünen Wasserstoff.",
            about_language="de",
            status=PUBLISHED,
        ),
        "yhteistyo": make_organisation(
            name="Pohjois-Karjalan Biotalous",
            about="Yhteistyö metsäteollisuuden yritysten kanssa.",
            about_language="fi",
            keywords=["biotalous", "metsä"],
            status=PUBLISHED,
        ),
        "hydrogen_name": make_organisation(
            name="Hydrogen Valley Cluster", about="Regional cluster.", status=PUBLISHED
        ),
        "hydrogen_about": make_organisation(
            name="Energy Transition Network",
            about="Hydrogen storage, hydrogen fuel cells and hydrogen refuelling stations.",
            keywords=["hydrogen"],
            status=PUBLISHED,
        ),
        "draft": make_organisation(name="Hydrogen Draft Consortium", about="Hydrogen."),
    }


@pytest.mark.parametrize("text", ["Müller", "Muller", "müller", "MULLER"])
def test_german_names_are_found_with_or_without_umlauts(profiles, text):
    assert _names(text) == ["Müller Wasserstoff GmbH"]


@pytest.mark.parametrize("text", ["yhteistyö", "yhteistyo", "Yhteistyo", "metsateollisuuden"])
def test_finnish_words_are_found_with_or_without_accents(profiles, text):
    assert _names(text) == ["Pohjois-Karjalan Biotalous"]


def test_german_text_is_found_in_the_city_and_in_stemmed_forms(profiles):
    assert _names("munchen") == ["Müller Wasserstoff GmbH"]
    assert _names("grünen wasserstoff") == ["Müller Wasserstoff GmbH"]


def test_name_hits_rank_before_hits_in_other_fields(profiles):
    assert _names("hydrogen") == ["Hydrogen Valley Cluster", "Energy Transition Network"]


def test_unpublished_profiles_are_never_found(profiles):
    assert "Hydrogen Draft Consortium" not in _names("hydrogen")
    assert "Hydrogen Draft Consortium" not in _names("consortium")


def test_a_partial_last_word_matches(profiles):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL matches whole words, and typos through the trigram fallback")
    assert _names("hydro") == ["Hydrogen Valley Cluster", "Energy Transition Network"]


def test_a_typo_falls_back_to_similar_words_on_postgresql(profiles):
    if connection.vendor != "postgresql":
        pytest.skip("trigram fallback is PostgreSQL only")
    assert _names("hydrogn")[0] == "Hydrogen Valley Cluster"  # the name hit first
    assert "Energy Transition Network" in _names("hydrogn")  # hydrogen among its keywords
    assert _names("hydrogn valey") == ["Hydrogen Valley Cluster"]  # every word must match
    assert _names("Wasserstof") == ["Müller Wasserstoff GmbH"]
    assert _names("hydrogn zzqxv") == []


def test_words_of_a_new_or_renamed_profile_are_found_despite_a_typo(profiles):
    if connection.vendor != "postgresql":
        pytest.skip("trigram fallback is PostgreSQL only")
    newcomer = make_organisation(name="Photonics Karelia Hub", status=PUBLISHED)
    assert _names("Karelai") == ["Photonics Karelia Hub"]
    Organisation.objects.filter(pk=newcomer.pk).update(name="Quantum Savonia Hub")
    assert _names("Savnia") == ["Quantum Savonia Hub"]
    call_command("rebuild_search_index", verbosity=0)
    assert _names("Savnia") == ["Quantum Savonia Hub"]
    assert _names("Karelai") == []  # no profile has the word any longer


def test_punctuation_and_query_syntax_never_break_the_query(profiles):
    for text in ['"', "AND OR NOT", "-", "(", "hydrogen -valley", '"hydrogen valley"', "*", "a:b"]:
        list(search_organisations(Organisation.objects.all(), text))
    assert _names("hydrogen -valley") == ["Energy Transition Network"]
    assert _names('"hydrogen valley"') == ["Hydrogen Valley Cluster"]


def test_blank_text_leaves_the_queryset_alone(profiles):
    assert search_organisations(Organisation.objects.all(), "  ").count() == 5


def test_fts5_query_quotes_every_word():
    assert _fts5_query('hydrogen "fuel cell" -diesel or') == '"hydrogen" "fuel cell" NOT "diesel"'
    assert _fts5_query("hydro") == '"hydro"*'
    assert _fts5_query("NEAR(a b)") == '"NEAR a" "b"*'
    assert _fts5_query("-only") == ""


def test_the_index_follows_edits_publication_and_archiving(profiles):
    staff = make_user(staff=True)
    draft = profiles["draft"]
    moderation_transition(obj=draft, transition="publish", actor=staff)
    assert "Hydrogen Draft Consortium" in _names("consortium")
    draft.name = "Renamed Fuel Alliance"
    draft.save()
    assert _names("consortium") == []
    assert _names("alliance") == ["Renamed Fuel Alliance"]
    moderation_transition(obj=draft, transition="archive", actor=staff)
    assert _names("alliance") == []
    Organisation.objects.filter(pk=profiles["mueller"].pk).update(name="Schmidt Elektrolyse")
    assert _names("schmidt") == ["Schmidt Elektrolyse"]
    profiles["mueller"].delete()
    assert _names("schmidt") == []


def test_bulk_writes_are_indexed(profiles):
    finland = Country.objects.get(code="FI")
    Organisation.objects.bulk_create(
        [
            Organisation(
                kind="company",
                name=f"Bulk Photonics {n}",
                slug="b",
                country=finland,
                status=PUBLISHED,
            )
            for n in range(3)
        ]
    )
    assert len(_names("photonics")) == 3


def test_rebuild_command_restores_the_index(profiles):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organisations_search")
    assert _names("hydrogen") == []
    call_command("rebuild_search_index", verbosity=0)
    assert SearchEntry.objects.count() == 4
    assert _names("hydrogen") == ["Hydrogen Valley Cluster", "Energy Transition Network"]


def test_postgresql_search_indexes_keep_no_pending_list(profiles):
    """A GIN pending list would be read in full by every search until a vacuum merged it."""
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("ALTER INDEX organisations_search_document SET (fastupdate = on)")
        install_search_structures(connection)
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('organisations_search_document', 'organisations_search_vocabulary_trigrams') "
            "ORDER BY relname"
        )
        options = cursor.fetchall()
    assert options == [
        ("organisations_search_document", ["fastupdate=off"]),
        ("organisations_search_vocabulary_trigrams", ["fastupdate=off"]),
    ]
