"""The publications library: full-text search, filters, pagination, detail and download, and
the good-practice links on organisation and partnership pages."""

from datetime import date

import pytest

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation
from clustercollab.partnering.models import Partnership
from clustercollab.publications.tests.helpers import make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(organisation):
    other = make_organisation(status=ModerationStatus.PUBLISHED, name="Test Pôle Mer")
    return {
        "paper": make_publication(
            authors=[organisation],
            title="Position paper on the Clean Industrial Deal",
            publication_type="position_paper",
            publication_date=date(2025, 2, 26),
            ecosystems=["digital"],
            countries=["FI"],
            language="en",
        ),
        "study": make_publication(
            authors=[other],
            title="Étude sur l'économie bleue",
            publication_type="study",
            publication_date=date(2023, 9, 1),
            ecosystems=["tourism"],
            countries=["FR"],
            language="fr",
            text="Aquaculture and offshore wind in Brittany",
        ),
        "draft": make_publication(
            authors=[organisation], title="Unpublished draft", status=ModerationStatus.DRAFT
        ),
    }


def test_only_published_publications_are_listed(client, library):
    page = client.get("/publications/").content.decode()
    assert library["paper"].title in page
    assert "Unpublished draft" not in page
    assert "2 results" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=clean+industrial", "paper"),
        ("q=ECONOMIE", "study"),  # accents and case do not matter
        ("q=offshore+wind", "study"),  # words of the PDF's text
        ("type=position_paper", "paper"),
        ("ecosystem=tourism", "study"),
        ("country=fi", "paper"),
        ("language=fr", "study"),
        ("year=2025", "paper"),
    ],
)
def test_search_and_filters(client, library, query, expected):
    page = client.get(f"/publications/?{query}").content.decode()
    assert "1 result" in page
    assert library[expected].title.replace("'", "&#x27;") in page


def test_search_for_nothing_found(client, library):
    page = client.get("/publications/?q=quantum+gravity").content.decode()
    assert "0 results" in page and "No publications found." in page


def test_the_library_paginates(client, organisation):
    for _ in range(21):
        make_publication(authors=[organisation])
    first = client.get("/publications/").content.decode()
    second = client.get("/publications/?page=2").content.decode()
    assert first.count('class="card content-card publication-card"') == 20
    assert second.count('class="card content-card publication-card"') == 1


def test_detail_page_and_download(client, library, organisation):
    paper = library["paper"]
    page = client.get(paper.get_absolute_url()).content.decode()
    assert paper.title in page and organisation.name in page
    assert paper.download_url in page
    response = client.get(paper.download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    wrong_slug = client.get(f"/publications/{paper.pk}/wrong-slug/")
    assert wrong_slug.status_code == 302 and wrong_slug["Location"] == paper.get_absolute_url()


def test_a_missing_file_is_not_found_not_an_error(client, library):
    paper = library["paper"]
    paper.file.storage.delete(paper.file.name)
    assert client.get(paper.download_url).status_code == 404
    assert client.get(paper.get_absolute_url()).status_code == 200


def test_good_practices_link_to_where_they_came_from(client, organisation):
    partnership = Partnership.objects.create(
        name="Test Euroclusters partnership",
        programme="euroclusters",
        status=ModerationStatus.PUBLISHED,
    )
    unvalidated = Partnership.objects.create(name="Test partnership in validation")
    practice = make_publication(
        authors=[organisation], publication_type="good_practice", title="Shared testbeds"
    )
    practice.source_organisations.set([organisation])
    practice.source_partnerships.set([partnership, unvalidated])
    authored = make_publication(authors=[organisation], title="Annual report 2024")

    detail = client.get(practice.get_absolute_url()).content.decode()
    assert partnership.get_absolute_url() in detail
    assert organisation.get_absolute_url() in detail
    assert unvalidated.name not in detail

    profile = client.get(organisation.get_absolute_url()).content.decode()
    assert "Good practices from this organisation" in profile
    assert practice.get_absolute_url() in profile
    assert authored.get_absolute_url() in profile

    partnership_page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Good practices from this partnership" in partnership_page
    assert practice.get_absolute_url() in partnership_page
    assert authored.get_absolute_url() not in partnership_page


def test_api_lists_published_publications_with_filters(client, library):
    data = client.get("/api/v1/publications/").json()
    assert data["count"] == 2
    data = client.get("/api/v1/publications/?q=offshore&language=fr").json()
    assert [row["title"] for row in data["results"]] == [library["study"].title]
    row = client.get(f"/api/v1/publications/{library['paper'].pk}/").json()
    assert row["publication_type"] == "position_paper"
    assert row["authors"][0]["name"] == library["paper"].authors.get().name
    assert row["file_url"].endswith(library["paper"].download_url)
    assert client.get(f"/api/v1/publications/{library['draft'].pk}/").status_code == 404
