"""Who may write: posting, editing, submitting, moderating and downloading, in pages and API."""

import pytest

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.publications.models import Publication, TransitionResource
from clustercollab.publications.tests.helpers import make_publication, make_resource, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_editor(db):
    user = make_user("someone@elsewhere.example.org")
    make_organisation(editors=[user], status=ModerationStatus.PUBLISHED)
    return user


@pytest.fixture
def draft(organisation, editor):
    return make_publication(
        authors=[organisation],
        status=ModerationStatus.DRAFT,
        organisation=organisation,
        author=editor,
    )


def _publication_data(organisation, **extra) -> dict:
    return {
        "posting_organisation": organisation.pk,
        "title": "Study on cluster excellence",
        "publication_type": "study",
        "publication_date": "2025-02-01",
        "authors": str(organisation.pk),
        "summary": "Findings.",
        "language": "en",
        "file": pdf_upload(),
        **extra,
    }


@pytest.mark.parametrize("url", ["/publications/new/", "/transition/new/"])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/publications/new/", "/transition/new/"])
def test_members_without_an_organisation_cannot_post(client, url):
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("/dashboard/")


def test_an_editor_cannot_post_for_another_organisation(client, editor, organisation):
    stranger = make_organisation(status=ModerationStatus.PUBLISHED)
    client.force_login(editor)
    response = client.post("/publications/new/", _publication_data(stranger))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Publication.objects.count() == 0


def test_an_editor_posts_for_their_organisation(client, editor, organisation):
    client.force_login(editor)
    response = client.post("/publications/new/", _publication_data(organisation))
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.organisation, publication.author) == (organisation, editor)
    assert publication.status == ModerationStatus.DRAFT


def test_staff_publications_publish_directly(client, staff, organisation):
    client.force_login(staff)
    data = _publication_data(organisation, posting_organisation="")
    response = client.post("/publications/new/", data)
    assert response.status_code == 302
    assert Publication.objects.get().status == ModerationStatus.PUBLISHED


@pytest.mark.parametrize("action", ["edit", "submit"])
def test_other_members_cannot_touch_a_draft(client, other_editor, draft, action):
    client.force_login(other_editor)
    response = client.post(f"/publications/{draft.pk}/{action}/", {"title": "Taken over"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == ModerationStatus.DRAFT and draft.title != "Taken over"


def test_the_editor_and_staff_may_edit(client, editor, staff, draft):
    for user in (editor, staff):
        client.force_login(user)
        assert client.get(f"/publications/{draft.pk}/edit/").status_code == 200


def test_drafts_and_their_files_are_hidden_from_others(client, other_editor, editor, draft):
    for path in (draft.get_absolute_url(), draft.download_url, f"/api/v1/publications/{draft.pk}/"):
        assert client.get(path).status_code == 404
    client.force_login(other_editor)
    assert client.get(draft.download_url).status_code == 404
    client.force_login(editor)
    response = client.get(draft.download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_only_staff_moderate(client, editor, draft):
    draft.status = ModerationStatus.SUBMITTED
    draft.save()
    client.force_login(editor)
    url = f"/moderation/library/publication/{draft.pk}/"
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == ModerationStatus.SUBMITTED


def test_members_propose_resources_for_their_organisation_only(client, editor, organisation):
    stranger = make_organisation(status=ModerationStatus.PUBLISHED)
    client.force_login(editor)
    data = {
        "title": "Circular procurement guide",
        "kind": "guide",
        "theme": "circular_economy",
        "language": "en",
        "submit": "1",
    }
    response = client.post("/transition/new/", {**data, "posting_organisation": stranger.pk})
    assert response.status_code == 200
    assert TransitionResource.objects.count() == 0
    response = client.post("/transition/new/", {**data, "posting_organisation": organisation.pk})
    assert response.status_code == 302
    assert TransitionResource.objects.get().status == ModerationStatus.SUBMITTED


def test_other_members_cannot_edit_a_resource(client, other_editor, organisation):
    resource = make_resource(status=ModerationStatus.PUBLISHED, organisation=organisation)
    client.force_login(other_editor)
    assert client.get(f"/transition/{resource.pk}/edit/").status_code == 404


def test_api_writes_need_a_member_of_the_organisation(client, other_editor, organisation):
    payload = {
        "organisation": organisation.pk,
        "title": "Tool",
        "kind": "tool",
        "theme": "digitalisation",
    }
    response = client.post(
        "/api/v1/transition-resources/", payload, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    client.force_login(other_editor)
    response = client.post(
        "/api/v1/transition-resources/", payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert TransitionResource.objects.count() == 0


def test_api_creates_a_publication_for_a_member(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        "/api/v1/publications/?submit=1",
        {
            "organisation": organisation.pk,
            "title": "Position paper on the Single Market",
            "publication_type": "position_paper",
            "publication_date": "2025-05-01",
            "authors": [organisation.pk],
            "summary": "Barriers clusters meet.",
            "file": pdf_upload("Single Market barriers"),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == ModerationStatus.SUBMITTED
    publication = Publication.objects.get()
    assert "single market barriers" in publication.search_text
