"""The directory's in-memory index gives exactly what the ORM FilterSet and SQL facets give.

A fixed, varied data set (deterministic, built from the real taxonomies; every name says it is
a test) and many parameter combinations: for each, the ordered ids, the total and every facet
(values, labels, counts, selection) must be identical both ways. Then the directory stamp:
every kind of write (also those that send no signal) must reach the next request.
"""

import random
from datetime import UTC, datetime, timedelta

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
from clustercollab.organisations.candidates import forget_text_candidates, text_candidates
from clustercollab.organisations.directory_index import (
    directory_index,
    directory_stamp,
    indexed_query,
)
from clustercollab.organisations.facets import SqlFacetCounts, directory_facets
from clustercollab.organisations.filters import OrganisationFilterSet
from clustercollab.organisations.models import Organisation, OrganisationKind
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db

PUBLISHED = ModerationStatus.PUBLISHED
WORDS = ["hydrogen", "battery", "Müller", "yhteistyö", "textile", "énergie", "robotics"]


@pytest.fixture
def varied_directory(settings):
    """60 test profiles (52 published) covering every filter value kind, ties and gaps."""
    settings.DIRECTORY_COUNTS_CACHE_SECONDS = 0
    rng = random.Random(20260401)
    countries = list(Country.objects.filter(code__in=["DE", "FI", "FR", "NO", "SE", "EL"]))
    ecosystems = list(IndustrialEcosystem.objects.order_by("pk")[:6])
    emerging = list(EmergingIndustry.objects.order_by("pk")[:4])
    nace = list(NaceActivity.objects.filter(code__in=["C", "72", "20.1", "26.11", "M", "62"]))
    kinds = [OrganisationKind.CLUSTER, OrganisationKind.COMPANY, OrganisationKind.RESEARCH]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    organisations = []
    for number in range(60):
        country = countries[number % len(countries)]
        regions = list(NutsRegion.objects.filter(country=country, level=3).order_by("code")[:40])
        word = WORDS[number % len(WORDS)]
        labelled = number % 7 == 0
        organisation = make_organisation(
            # Repeated names: the name sort must break ties by id, as the ORM does.
            name=f"Test {word.capitalize()} Organisation {number % 20}",
            country=country,
            kind=kinds[number % len(kinds)],
            status=PUBLISHED if number % 8 else ModerationStatus.SUBMITTED,
            nuts_region=rng.choice(regions) if regions and number % 5 else None,
            about=f"Test profile about {word} and {rng.choice(WORDS)}.",
            keywords=[rng.choice(WORDS)],
            label=rng.choice(["gold", "silver", "bronze"]) if labelled else "",
            label_valid_until=datetime(2030, 1, 1).date() if labelled else None,
            members_smes=rng.choice([None, 0, 3, 40, 120, 300]),
            members_research=rng.choice([None, 2, 60]),
            # Some repeat a language: each occurrence counts, as in the SQL facet.
            languages=rng.choice([[], ["de"], ["fi", "en"], ["fr", "fr"], ["sv", "de", "en"]]),
            # Some published profiles have no publication date: the nulls' place in the
            # "newest" order differs between the databases and must follow each.
            published_at=None if number % 9 == 0 else start + timedelta(days=rng.randrange(400)),
        )
        organisation.ecosystems.set(rng.sample(ecosystems, rng.randint(0, 3)))
        organisation.emerging_industries.set(rng.sample(emerging, rng.randint(0, 2)))
        organisation.nace_activities.set(rng.sample(nace, rng.randint(0, 3)))
        organisations.append(organisation)
    return organisations


def _combinations() -> list[str]:
    ecosystem = IndustrialEcosystem.objects.order_by("pk")[1].slug
    other_ecosystem = IndustrialEcosystem.objects.order_by("pk")[3].slug
    emerging = EmergingIndustry.objects.order_by("pk")[0].slug
    region = NutsRegion.objects.filter(country_id="DE", level=1).order_by("code")[0].code
    return [
        "",
        "sort=name",
        "sort=size",
        "sort=newest",
        "sort=relevance",
        "q=hydrogen",
        "q=hydrogen&sort=name",
        "q=hydrogen&sort=newest",
        "q=Muller",
        "q=yhteistyo&country=FI",
        "q=energie",
        "q=test organisation&sort=size",
        "q=!!!",
        "q=nothing-matches-this",
        "kind=cluster",
        "kind=cluster&kind=company&sort=size",
        "country=DE",
        "country=DE&country=FI&sort=newest",
        "country=EL",
        f"region={region}",
        f"region={region}&country=DE",
        "region=FI1&region=DE",
        "eu=eu",
        "eu=non_eu&kind=research",
        f"ecosystem={ecosystem}",
        f"ecosystem={ecosystem}&ecosystem={other_ecosystem}&country=FR",
        "nace=C",
        "nace=C&nace=72",
        "nace=20&sort=size",
        "nace=M&country=DE",
        f"emerging={emerging}",
        f"emerging={emerging}&q=battery",
        "label=gold",
        "label=gold&label=silver&eu=eu",
        "members_min=50",
        "members_max=49",
        "members_min=1&members_max=249&sort=size",
        "members_min=250&members_max=",
        "language=de",
        "language=fr&language=sv",
        "q=textile&country=FR&kind=company&language=fr",
        f"q=robotics&ecosystem={ecosystem}&members_min=10&sort=newest",
        # Invalid values are ignored, the valid ones still apply.
        "country=XX&kind=cluster",
        "members_min=lots&country=SE",
        "region=ZZ9&region=DE1",
    ]


def _facet_rows(facets: list) -> list:
    return [
        (facet.name, str(facet.label), [vars(value) for value in facet.values]) for facet in facets
    ]


def test_index_results_and_facets_equal_the_orm_for_many_combinations(varied_directory):
    combinations = _combinations()
    for query in combinations:
        filterset = OrganisationFilterSet(QueryDict(query))
        filterset.is_valid()
        indexed = indexed_query(filterset)
        expected_ids = list(filterset.qs.values_list("pk", flat=True))
        assert list(indexed.ordered_ids()) == expected_ids, query
        assert indexed.total == filterset.result_set.count() == len(expected_ids), query
        sql_facets = directory_facets(filterset, SqlFacetCounts(filterset))
        assert _facet_rows(directory_facets(filterset, indexed)) == _facet_rows(sql_facets), query
    # The data set really exercises the filters: most combinations narrow the results.
    totals = {
        query: indexed_query(OrganisationFilterSet(QueryDict(query))).total
        for query in combinations
    }
    assert totals[""] == 52
    assert sum(0 < total < 52 for total in totals.values()) >= 30


def test_the_page_api_map_and_csv_all_answer_from_the_index(client, varied_directory):
    query = {"q": "hydrogen", "eu": "eu", "sort": "name"}
    filterset = OrganisationFilterSet(QueryDict(mutable=True) | query)
    expected = list(filterset.qs.values_list("pk", flat=True))
    page = client.get(reverse("organisations:directory"), query).context["page"]
    assert [organisation.pk for organisation in page.object_list] == expected
    api = client.get("/api/v1/organisations/", {**query, "page_size": 100}).json()
    assert [row["id"] for row in api["results"]] == expected
    geojson = client.get(reverse("organisations:directory_geojson"), query).json()
    assert geojson["total"] == len(expected)
    csv_lines = b"".join(
        client.get(reverse("organisations:directory_csv"), query).streaming_content
    ).decode()
    assert [int(line.split(",")[0]) for line in csv_lines.splitlines()[1:]] == expected


def test_the_index_is_reused_until_the_directory_changes(varied_directory):
    first = directory_index()
    assert directory_index() is first
    Organisation.objects.filter(pk=varied_directory[1].pk).update(city="Test City")
    assert directory_index() is not first


@pytest.mark.parametrize(
    "write",
    [
        "queryset_update",
        "bulk_create",
        "link_added",
        "link_removed",
        "delete",
        "save",
    ],
)
def test_every_write_to_profiles_or_their_links_renews_the_stamp(varied_directory, write):
    organisation = varied_directory[1]
    before = directory_stamp()
    if write == "queryset_update":
        Organisation.objects.filter(pk=organisation.pk).update(status=ModerationStatus.ARCHIVED)
    elif write == "bulk_create":
        Organisation.objects.bulk_create(
            [Organisation(name="Test Bulk", slug="test-bulk", kind="company", country_id="FI")]
        )
    elif write == "link_added":
        Organisation.ecosystems.through.objects.create(
            organisation=organisation, industrialecosystem=IndustrialEcosystem.objects.last()
        )
    elif write == "link_removed":
        Organisation.ecosystems.through.objects.filter(organisation=organisation).delete()
    elif write == "delete":
        Organisation.objects.filter(pk=organisation.pk).delete()
    else:
        organisation.city = "Test City"
        organisation.save()
    assert directory_stamp() != before


def test_a_profile_changed_without_signals_shows_on_the_next_request(client, varied_directory):
    """What another process (or a bulk update) writes reaches this process's index at once."""
    url = reverse("organisations:directory")
    total = client.get(url, {"country": "DE"}).context["results"].total
    target = Organisation.objects.filter(status=PUBLISHED, country_id="DE").first()
    Organisation.objects.filter(pk=target.pk).update(status=ModerationStatus.ARCHIVED)
    assert client.get(url, {"country": "DE"}).context["results"].total == total - 1
    Organisation.objects.filter(pk=target.pk).update(country_id="FI", status=PUBLISHED)
    response = client.get(url, {"country": "FI", "sort": "name"})
    assert target.pk in [org.pk for org in response.context["page"].object_list]


def test_remembered_page_fragments_and_api_answers_end_with_the_stamp(
    client, varied_directory, settings, django_assert_max_num_queries
):
    settings.DIRECTORY_FRAGMENT_CACHE_SIZE = 8
    url = reverse("organisations:directory")
    query = {"q": "battery", "sort": "name"}
    first = client.get(url, query).content
    with django_assert_max_num_queries(1):  # the stamp only
        fragment = client.get(url, query, HTTP_HX_REQUEST="true").content
    assert b"Test Battery" in fragment and fragment in first
    with django_assert_max_num_queries(1):
        assert fragment in client.get(url, query).content  # around it: this request's token
    first_api = client.get("/api/v1/organisations/", query).json()
    with django_assert_max_num_queries(1):
        assert client.get("/api/v1/organisations/", query).json() == first_api

    renamed = Organisation.objects.get(pk=first_api["results"][0]["id"])
    Organisation.objects.filter(pk=renamed.pk).update(name="Test Battery Renamed Zzz")
    assert b"Test Battery Renamed Zzz" in client.get(url, query).content
    names = [row["name"] for row in client.get("/api/v1/organisations/", query).json()["results"]]
    assert "Test Battery Renamed Zzz" in names


def test_text_candidates_are_remembered_per_stamp(varied_directory):
    forget_text_candidates()
    stamp = directory_stamp()
    found = text_candidates("hydrogen", stamp=stamp)
    assert text_candidates("hydrogen", stamp=stamp) is found
    assert text_candidates("hydrogen", ranked=False, stamp=stamp) is found
    assert len(found.ids) == len(found.scores) > 0
    make_organisation(name="Test Hydrogen Newcomer", status=PUBLISHED)
    later = text_candidates("hydrogen", stamp=directory_stamp())
    assert len(later.ids) == len(found.ids) + 1


@pytest.mark.parametrize(
    "write", ["country_added", "region_renamed", "ecosystem_renamed", "nace_relabelled", "emerging"]
)
def test_every_write_to_a_taxonomy_renews_the_stamp(write):
    """The per-process taxonomy lookups (taxonomies.py) are kept per stamp."""
    before = directory_stamp()
    if write == "country_added":
        Country.objects.create(code="XQ", name="Test Country")
    elif write == "region_renamed":
        assert NutsRegion.objects.filter(code="FI1D").update(name_latin="Test Region") == 1
    elif write == "ecosystem_renamed":
        ecosystem = IndustrialEcosystem.objects.order_by("pk").first()
        ecosystem.name = "Test Ecosystem"
        ecosystem.save()
    elif write == "nace_relabelled":
        assert NaceActivity.objects.filter(code="C").update(labels={"en": "Test making"}) == 1
    else:
        EmergingIndustry.objects.create(slug="test-industry", name="Test Industry")
    assert directory_stamp() != before


def _card(organisation) -> tuple:
    return (
        organisation.pk,
        organisation.name,
        organisation.acronym,
        organisation.get_absolute_url(),
        organisation.get_kind_display(),
        organisation.city,
        str(organisation.country),
        organisation.nuts_region.name_latin if organisation.nuts_region else None,
        [str(ecosystem) for ecosystem in organisation.ecosystems.all()],
    )


def test_page_rows_show_what_the_orm_reads(varied_directory, django_assert_num_queries):
    """directory_rows fills country, region and ecosystems from the taxonomy lookups."""
    from clustercollab.organisations.selectors import DIRECTORY_CARD_COLUMNS, directory_rows
    from clustercollab.organisations.taxonomies import directory_taxonomies

    ids = [organisation.pk for organisation in varied_directory]
    expected = {
        organisation.pk: _card(organisation)
        for organisation in Organisation.objects.filter(pk__in=ids, status=PUBLISHED)
        .select_related("country", "nuts_region")
        .prefetch_related("ecosystems")
    }
    taxonomies = directory_taxonomies()
    with django_assert_num_queries(2):  # the rows and their ecosystems
        rows = directory_rows(ids, columns=DIRECTORY_CARD_COLUMNS, taxonomies=taxonomies)
    with django_assert_num_queries(0):
        cards = {pk: _card(organisation) for pk, organisation in rows.items()}
    assert cards == expected
    assert len(cards) == 52  # the unpublished ones are left out
    assert sum(bool(card[-1]) for card in cards.values()) > 20
    assert sum(card[-2] is not None for card in cards.values()) > 20


@pytest.mark.django_db(False)
@pytest.mark.parametrize("density", [0.0, 0.02, 0.1, 0.3, 0.7, 1.0])
def test_link_counts_are_the_same_whichever_way_they_are_counted(density):
    """Few selected profiles are counted through their own links, many by one keyed count, all
    from a remembered count: each must equal testing every link against the mask."""
    import numpy as np

    from clustercollab.organisations.directory_index import LinkColumn, Selection

    rng = np.random.default_rng(7)
    size = 2000
    # Unsorted pairs, profiles without links, repeated values (a language listed twice).
    positions = rng.integers(0, size, 5000)
    values = [f"value-{n}" for n in rng.integers(0, 12, 5000)]
    column = LinkColumn.from_pairs(positions, values)
    mask = rng.random(size) < density
    expected = {}
    for position, value in zip(positions, values, strict=True):
        if mask[position]:
            expected[value] = expected.get(value, 0) + 1
    selection = Selection(mask, everything=False)
    assert column.counts(selection) == expected
    assert selection.is_small == (density <= 0.1)
    if density == 1.0:
        assert column.counts(Selection(mask, everything=True)) == expected


# The result cards as the directory template wrote them before directory_cards took over.
CARDS_TEMPLATE = """{% for organisation in page.object_list %}
            <li class="card">
              <a href="{{ organisation.get_absolute_url }}"><strong>{{ organisation.name }}</strong>{% if organisation.acronym %} <span class="muted">({{ organisation.acronym }})</span>{% endif %}</a>
              <div class="muted">{{ organisation.get_kind_display }} · {% if organisation.city %}{{ organisation.city }}, {% endif %}{% if organisation.nuts_region %}{{ organisation.nuts_region.name_latin }}, {% endif %}{{ organisation.country }}</div>
              {% with ecosystems=organisation.ecosystems.all %}{% if ecosystems %}<div>{% for ecosystem in ecosystems %}<span class="badge">{{ ecosystem }}</span>{% endfor %}</div>{% endif %}{% endwith %}
            </li>
          {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "de", "fi"])
def test_the_result_cards_are_what_the_template_wrote(varied_directory, language):
    from django.template import Context, Template
    from django.utils import translation

    from clustercollab.organisations.selectors import DIRECTORY_CARD_COLUMNS, directory_rows
    from clustercollab.organisations.taxonomies import directory_taxonomies
    from clustercollab.organisations.templatetags.organisations import directory_cards

    odd = varied_directory[3]
    Organisation.objects.filter(pk=odd.pk).update(
        name='Test <Müller> & "Söhne"', acronym="T&S", city=""
    )
    ids = [organisation.pk for organisation in varied_directory]
    with translation.override(language):
        by_orm = (
            Organisation.objects.filter(pk__in=ids, status=PUBLISHED)
            .select_related("country", "nuts_region")
            .prefetch_related("ecosystems")
            .order_by("pk")
        )
        expected = Template(CARDS_TEMPLATE).render(Context({"page": {"object_list": by_orm}}))
        taxonomies = directory_taxonomies()
        rows = directory_rows(ids, columns=DIRECTORY_CARD_COLUMNS, taxonomies=taxonomies)
        cards = directory_cards([rows[pk] for pk in sorted(rows)])
    assert cards == expected
    assert "Test &lt;Müller&gt; &amp; &quot;Söhne&quot;" in cards and "(T&amp;S)" in cards
