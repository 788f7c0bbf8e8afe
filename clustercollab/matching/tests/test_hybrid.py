"""The "match by meaning" toggle on the lists: before vectors exist, and after."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from clustercollab.content.tests.helpers import make_news
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation
from clustercollab.partnering.tests.factories import make_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedding_on_save")]
PUBLISHED = ModerationStatus.PUBLISHED


@pytest.fixture
def lists(settings):
    settings.MATCHING_EMBED_ON_SAVE = False
    settings.DIRECTORY_COUNTS_CACHE_SECONDS = 0
    energy = make_organisation(
        name="Test Vetyklusteri Oy",
        about="Vihreän vedyn tuotanto ja elektrolyysi.",
        status=PUBLISHED,
    )
    make_organisation(name="Test Dairy Cluster", about="Cheese and milk.", status=PUBLISHED)
    make_news(title="Neue Elektrolyseure für grünen Wasserstoff", summary="Ein Pilotprojekt.")
    make_news(title="Cheese fair opens", summary="Dairy products from the region.")
    make_post(
        energy,
        title="Socio per idrogeno verde",
        summary="Cerchiamo produttori di elettrolizzatori.",
        technology_keywords=["idrogeno"],
    )
    return energy


def _texts(response):
    return response.content.decode()


def test_before_vectors_exist_the_lists_search_words_and_say_so(client, lists):
    for url in (
        "/news/?q=hydrogen&meaning=1",
        "/directory/?q=hydrogen&meaning=1",
        "/partnering/?q=hydrogen&meaning=1",
    ):
        page = _texts(client.get(url))
        assert 'data-meaning="unavailable"' in page, url
    assert "Neue Elektrolyseure" not in _texts(client.get("/news/?q=hydrogen&meaning=1"))
    # Without the toggle there is no notice.
    assert "data-meaning" not in _texts(client.get("/news/?q=hydrogen"))


def test_the_toggle_finds_texts_in_other_languages(client, lists):
    call_command("embed_all", verbosity=0)
    words_only = _texts(client.get("/news/?q=hydrogen+electrolysers"))
    assert "Neue Elektrolyseure" not in words_only
    by_meaning = _texts(client.get("/news/?q=hydrogen+electrolysers&meaning=1"))
    assert "Neue Elektrolyseure" in by_meaning and "Cheese fair" not in by_meaning
    assert 'data-meaning="used"' in by_meaning

    directory = _texts(client.get("/directory/?q=hydrogen+electrolysis&meaning=1"))
    assert "Test Vetyklusteri Oy" in directory and "Test Dairy Cluster" not in directory
    assert 'name="meaning" value="1" checked' in directory
    # Filters apply to the matches by meaning too.
    elsewhere = _texts(client.get("/directory/?q=hydrogen+electrolysis&meaning=1&country=DE"))
    assert "Test Vetyklusteri Oy" not in elsewhere

    posts = _texts(client.get("/partnering/?q=green+hydrogen&meaning=1"))
    assert "Socio per idrogeno verde" in posts
    assert "Socio per idrogeno verde" not in _texts(client.get("/partnering/?q=green+hydrogen"))


def test_the_api_takes_the_toggle(client, lists):
    call_command("embed_all", "--kind", "news", verbosity=0)
    answer = client.get("/api/v1/news/", {"q": "hydrogen electrolysers", "meaning": "true"})
    assert answer.status_code == 200
    titles = [row["title"] for row in answer.json()["results"]]
    assert titles == ["Neue Elektrolyseure für grünen Wasserstoff"]


def test_remembered_directory_answers_by_meaning_follow_new_vectors(client, lists, settings):
    # The directory remembers rendered results and API answers until profiles change; vectors
    # arriving later must still replace a "words only" answer.
    settings.DIRECTORY_FRAGMENT_CACHE_SIZE = 8
    settings.DIRECTORY_API_CACHE_SIZE = 8
    url = "/directory/?q=hydrogen+electrolysis&meaning=1"
    api = {"q": "hydrogen electrolysis", "meaning": "true"}
    assert 'data-meaning="unavailable"' in _texts(client.get(url))
    assert client.get("/api/v1/organisations/", api).json()["count"] == 0
    call_command("embed_all", "--kind", "organisation", verbosity=0)
    page = _texts(client.get(url))
    assert 'data-meaning="used"' in page and "Test Vetyklusteri Oy" in page
    names = [row["name"] for row in client.get("/api/v1/organisations/", api).json()["results"]]
    assert names == ["Test Vetyklusteri Oy"]


def test_crisis_portal_offers_and_forum_posts_are_found_by_meaning(client):
    from clustercollab.organisations.tests.factories import make_user
    from clustercollab.response import services as response_services
    from clustercollab.response.tests.factories import make_listing, make_member_org, make_portal

    staff = make_user(staff=True)
    portal = make_portal(staff=staff)
    organisation, admin = make_member_org(name="Test Kunststoff Cluster")
    make_listing(
        portal,
        user=admin,
        organisation=organisation,
        category="3D-printing capacity",
        item="Gesichtsschilde aus dem 3D-Drucker",
        description="Wir drucken Visiere für Krankenhäuser, 500 Stück pro Woche.",
    )
    make_listing(
        portal,
        user=admin,
        organisation=organisation,
        category="Medical gloves",
        item="Nitrile gloves",
        description="Boxes of 100, sizes S to XL.",
    )
    post = response_services.forum_post_create(
        user=admin,
        portal=portal,
        organisation=organisation,
        category="best_practice",
        title="Brauereien stellen Desinfektionsmittel her",
        body="Wie regionale Brauereien auf Handdesinfektion umgestellt haben.",
    )
    response_services.forum_post_moderate(user=staff, post=post, transition="publish")
    listings = reverse("response:listings", args=[portal.slug])
    forum = reverse("response:forum", args=[portal.slug])
    query = {"q": "face shields", "meaning": "1"}
    assert 'data-meaning="unavailable"' in _texts(client.get(listings, query))

    call_command("embed_all", verbosity=0)
    words_only = _texts(client.get(listings, {"q": "face shields"}))
    assert "Gesichtsschilde" not in words_only
    by_meaning = _texts(client.get(listings, query))
    assert "Gesichtsschilde" in by_meaning and 'data-meaning="used"' in by_meaning
    # Filters apply to the matches by meaning too.
    requests_only = _texts(client.get(listings, {**query, "side": "request"}))
    assert "Gesichtsschilde" not in requests_only

    api = client.get("/api/v1/response/listings/", {**query, "portal": portal.slug}).json()
    assert [row["item"] for row in api["results"]][0] == "Gesichtsschilde aus dem 3D-Drucker"
    api_words = client.get("/api/v1/response/listings/", {"q": "face shields"}).json()
    assert api_words["results"] == []

    question = {"q": "hand sanitiser made by breweries"}
    assert "Brauereien stellen" not in _texts(client.get(forum, question))
    found = _texts(client.get(forum, {**question, "meaning": "1"}))
    assert "Brauereien stellen" in found and 'name="meaning" value="1" checked' in found
    api = client.get("/api/v1/response/forum-posts/", {**question, "meaning": "true"}).json()
    assert [row["title"] for row in api["results"]] == [
        "Brauereien stellen Desinfektionsmittel her"
    ]
