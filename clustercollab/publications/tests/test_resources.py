"""Transition resources: the section (also empty), and "resources for you" on the dashboard,
matched on shared ecosystems and keywords with the reason shown."""

import pytest

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.publications.selectors import resources_for_organisation
from clustercollab.publications.tests.helpers import make_publication, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_organisation(editor):
    # The factory gives every organisation the Agri-food ecosystem.
    return make_organisation(
        editors=[editor],
        status=ModerationStatus.PUBLISHED,
        name="Test Bio-based Materials Cluster",
        keywords=["Industrial symbiosis", "IoT", "ai"],
    )


def test_the_section_looks_right_when_empty(client):
    page = client.get("/transition/").content.decode()
    assert "No resources have been published yet." in page
    assert "No good-practice cases in the library yet." in page
    assert "Circular economy" in page  # the theme links


def test_matching_on_ecosystem_and_keyword_with_reasons(member_organisation):
    by_ecosystem = make_resource(title="Food waste valorisation guide", ecosystems=["agri-food"])
    by_keyword = make_resource(
        title="Symbiosis matchmaking tool",
        kind="tool",
        keywords="industrial symbiosis, by-products",
        ecosystems=["construction"],
    )
    both = make_resource(
        title="Digital twins for farms", keywords="IoT, sensors", ecosystems=["agri-food"]
    )
    practice = make_publication(
        authors=[member_organisation],
        publication_type="good_practice",
        ecosystems=["agri-food"],
        title="Good practice: shared biorefinery",
    )
    make_resource(title="Unrelated tourism guide", ecosystems=["tourism"], keywords="hotels")
    make_resource(
        title="Draft symbiosis guide",
        keywords="industrial symbiosis",
        status=ModerationStatus.SUBMITTED,
    )
    # "ai" is too short to match inside words such as "chain".
    make_resource(title="Supply chain guide", ecosystems=["retail"], keywords="value chain")

    recommendations = resources_for_organisation(member_organisation, limit=10)
    found = {r.item.title: r for r in recommendations}
    assert set(found) == {by_ecosystem.title, by_keyword.title, both.title, practice.title}
    assert recommendations[0].item == both  # two reasons first
    assert found[both.title].ecosystems == ["Agri-food"]
    assert found[both.title].keywords == ["IoT"]
    assert found[by_keyword.title].ecosystems == []
    assert found[by_keyword.title].keywords == ["Industrial symbiosis"]
    assert found[by_ecosystem.title].keywords == []


def test_no_ecosystems_or_keywords_means_no_recommendations():
    organisation = make_organisation(status=ModerationStatus.PUBLISHED)
    organisation.ecosystems.clear()
    make_resource(ecosystems=["agri-food"], keywords="anything")
    assert resources_for_organisation(organisation) == []


def test_the_dashboard_shows_resources_for_you_with_the_reason(client, editor, member_organisation):
    make_resource(
        title="Digital twins for farms", keywords="IoT, sensors", ecosystems=["agri-food"]
    )
    client.force_login(editor)
    page = client.get("/dashboard/").content.decode()
    assert "Resources for you" in page
    assert "Digital twins for farms" in page
    assert "Shared ecosystem: Agri-food" in page
    assert "Keyword: IoT" in page


def test_the_dashboard_says_when_nothing_matches(client, editor, member_organisation):
    client.force_login(editor)
    page = client.get("/dashboard/").content.decode()
    assert "Nothing matches this organisation's ecosystems or keywords yet." in page


def test_members_without_organisations_see_no_section(client):
    client.force_login(make_user())
    assert "Resources for you" not in client.get("/dashboard/").content.decode()


def test_section_filters_and_good_practices(client, organisation):
    circular = make_resource(title="Circular design guide", theme="circular_economy")
    digital = make_resource(title="Digital maturity tool", theme="digitalisation", kind="tool")
    practice = make_publication(
        authors=[organisation],
        publication_type="good_practice",
        transition_theme="digitalisation",
        title="Good practice: data spaces for SMEs",
    )
    page = client.get("/transition/?theme=digitalisation").content.decode()
    assert digital.title in page and circular.title not in page
    assert practice.title in page
    page = client.get("/transition/?theme=circular_economy").content.decode()
    assert practice.title not in page
    assert "No good-practice cases in the library yet." in page
    page = client.get("/transition/?q=maturity&kind=tool").content.decode()
    assert "1 result" in page and digital.title in page


def test_api_lists_resources(client):
    resource = make_resource(title="Resource efficiency checklist", keywords="energy, water")
    make_resource(title="Hidden", status=ModerationStatus.DRAFT)
    data = client.get("/api/v1/transition-resources/").json()
    assert [row["title"] for row in data["results"]] == [resource.title]
    row = client.get(f"/api/v1/transition-resources/{resource.pk}/").json()
    assert row["keywords"] == ["energy", "water"]
    assert row["theme"] == "circular_economy"


def test_api_member_proposes_a_resource(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        "/api/v1/transition-resources/?submit=1",
        {
            "organisation": organisation.pk,
            "title": "Guide to industrial symbiosis",
            "kind": "guide",
            "theme": "resource_efficiency",
            "ecosystems": ["agri-food"],
            "link": "https://example.org/guide",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == ModerationStatus.SUBMITTED


@pytest.fixture
def superuser(staff):
    staff.is_superuser = True
    staff.save()
    return staff


def test_staff_add_resources_in_the_admin_and_they_are_published(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/publications/transitionresource/add/").status_code == 200
    response = client.post(
        "/admin/publications/transitionresource/add/",
        {
            "title": "Resource efficiency self-assessment",
            "slug": "resource-efficiency-self-assessment",
            "kind": "tool",
            "theme": "resource_efficiency",
            "language": "en",
            "link": "https://example.org/self-assessment",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get("/transition/").content.decode()
    assert "Resource efficiency self-assessment" in page


def test_staff_see_publications_in_the_admin(client, superuser, organisation):
    publication = make_publication(authors=[organisation])
    client.force_login(superuser)
    assert client.get("/admin/publications/publication/").status_code == 200
    url = f"/admin/publications/publication/{publication.pk}/change/"
    assert client.get(url).status_code == 200


def test_the_admin_also_refuses_a_non_pdf(client, superuser, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    publication = make_publication(authors=[organisation])
    stored = publication.file.name
    client.force_login(superuser)
    url = f"/admin/publications/publication/{publication.pk}/change/"
    response = client.post(
        url,
        {
            "title": publication.title,
            "slug": publication.slug,
            "publication_type": "report",
            "publication_date": "2025-03-01",
            "authors": [organisation.pk],
            "language": "en",
            "file": SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "This file is not a PDF" in response.content.decode()
    publication.refresh_from_db()
    assert publication.file.name == stored
