"""The moderation flow: submit, the unified staff queue, publish, request changes, reject,
re-review after a member's edit; audit log and e-mails to the poster."""

import pytest
from django.core import mail

from clustercollab.core.models import AuditLogEntry
from clustercollab.core.moderation import ModerationStatus
from clustercollab.publications.models import Publication
from clustercollab.publications.tests.helpers import make_publication, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(organisation, editor):
    publication = make_publication(
        authors=[organisation],
        status=ModerationStatus.DRAFT,
        organisation=organisation,
        author=editor,
        title="Good practice: shared testbeds",
        publication_type="good_practice",
    )
    return publication


def _submit(client, editor, publication) -> None:
    client.force_login(editor)
    response = client.post(f"/publications/{publication.pk}/submit/")
    assert response.status_code == 302
    publication.refresh_from_db()


def test_a_submitted_publication_waits_in_the_unified_queue(client, editor, staff, submitted):
    _submit(client, editor, submitted)
    assert submitted.status == ModerationStatus.SUBMITTED
    assert mail.outbox[-1].to == [editor.email]
    assert "Submitted for validation" in mail.outbox[-1].subject
    assert client.get("/publications/").content.decode().count(submitted.title) == 0

    client.force_login(staff)
    queue = client.get("/moderation/all/").content.decode()
    review_url = f"/moderation/library/publication/{submitted.pk}/"
    assert submitted.title in queue and review_url in queue
    assert "Publication" in queue
    review = client.get(review_url)
    assert review.status_code == 200
    assert "Download the PDF" in review.content.decode()


def test_staff_publish_and_the_poster_is_told(client, editor, staff, submitted):
    _submit(client, editor, submitted)
    client.force_login(staff)
    response = client.post(
        f"/moderation/library/publication/{submitted.pk}/", {"action": "publish"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ModerationStatus.PUBLISHED and submitted.published_at
    assert "Now public" in mail.outbox[-1].subject
    assert AuditLogEntry.objects.filter(action="publications.publication.published").exists()
    client.logout()
    assert submitted.title in client.get("/publications/").content.decode()
    assert submitted.title not in client.get("/moderation/all/").content.decode()


def test_requesting_changes_needs_a_reason(client, editor, staff, submitted):
    _submit(client, editor, submitted)
    client.force_login(staff)
    url = f"/moderation/library/publication/{submitted.pk}/"
    response = client.post(url, {"action": "request_changes", "reason": ""})
    assert response.status_code == 200
    assert "Tell the organisation what to change." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ModerationStatus.SUBMITTED
    client.post(url, {"action": "request_changes", "reason": "Add the authors' network."})
    submitted.refresh_from_db()
    assert submitted.status == ModerationStatus.CHANGES_REQUESTED
    assert "Add the authors' network." in mail.outbox[-1].body


def test_reject_archives_with_the_reason(client, editor, staff, submitted):
    _submit(client, editor, submitted)
    client.force_login(staff)
    url = f"/moderation/library/publication/{submitted.pk}/"
    response = client.post(url, {"action": "reject", "reason": ""})
    assert "Tell the poster why it is rejected." in response.content.decode()
    client.post(url, {"action": "reject", "reason": "Advertising, not a study."})
    submitted.refresh_from_db()
    assert submitted.status == ModerationStatus.ARCHIVED
    assert submitted.moderation_reason == "Advertising, not a study."
    assert "Not published" in mail.outbox[-1].subject
    assert AuditLogEntry.objects.filter(action="publications.publication.rejected").exists()


def test_a_members_edit_of_a_published_item_goes_back_to_review(client, editor, organisation):
    publication = make_publication(authors=[organisation], organisation=organisation, author=editor)
    client.force_login(editor)
    response = client.post(
        f"/publications/{publication.pk}/edit/",
        {
            "title": "A new title",
            "publication_type": publication.publication_type,
            "publication_date": "2025-03-01",
            "authors": str(organisation.pk),
            "summary": publication.summary,
            "language": "en",
        },
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "A new title"
    assert publication.status == ModerationStatus.SUBMITTED
    assert publication.file.name  # the stored file was kept
    client.logout()
    assert client.get(publication.get_absolute_url()).status_code == 404


def test_replacing_the_file_deletes_the_old_one(client, editor, organisation, settings):
    from clustercollab.publications.tests.conftest import stored_files
    from clustercollab.publications.tests.helpers import pdf_upload

    publication = make_publication(authors=[organisation], organisation=organisation)
    old_name = publication.file.name
    client.force_login(editor)
    client.post(
        f"/publications/{publication.pk}/edit/",
        {
            "title": publication.title,
            "publication_type": publication.publication_type,
            "publication_date": "2025-03-01",
            "authors": str(organisation.pk),
            "summary": publication.summary,
            "language": "en",
            "file": pdf_upload("Second edition"),
        },
    )
    publication.refresh_from_db()
    assert publication.file.name != old_name
    assert "second edition" in publication.search_text
    assert [path.name for path in stored_files(settings)] == [publication.file.name.split("/")[-1]]


def test_a_resource_is_moderated_the_same_way(client, editor, staff, organisation):
    resource = make_resource(status=ModerationStatus.SUBMITTED, organisation=organisation)
    resource.submitted_at = resource.created_at
    resource.save()
    client.force_login(staff)
    queue = client.get("/moderation/all/").content.decode()
    assert f"/moderation/library/resource/{resource.pk}/" in queue
    client.post(f"/moderation/library/resource/{resource.pk}/", {"action": "publish"})
    resource.refresh_from_db()
    assert resource.status == ModerationStatus.PUBLISHED
    assert resource.title in client.get("/transition/").content.decode()


def test_unknown_moderation_kind_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get("/moderation/library/story/1/").status_code == 404
    assert client.get("/moderation/library/publication/999999/").status_code == 404
    assert Publication.objects.count() == 0


def test_the_posters_dashboard_lists_their_publications(client, editor, submitted, other_user):
    client.force_login(editor)
    page = client.get("/dashboard/").content.decode()
    assert "My publications" in page
    assert submitted.title in page and "Draft" in page
    client.force_login(other_user)
    assert submitted.title not in client.get("/dashboard/").content.decode()


@pytest.fixture
def other_user(db):
    from clustercollab.organisations.tests.factories import make_user

    return make_user()
