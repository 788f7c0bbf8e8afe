"""Bad publication input gets a clear message, saves nothing and leaves no file behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clustercollab.organisations.models import Organisation
from clustercollab.publications import services
from clustercollab.publications.models import Publication
from clustercollab.publications.tests.conftest import stored_files
from clustercollab.publications.tests.helpers import pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def _post(client, organisation, *, file, authors=None, **extra):
    data = {
        "posting_organisation": organisation.pk,
        "title": "Joint recommendations on cluster internationalisation",
        "publication_type": "joint_recommendation",
        "publication_date": "2025-06-30",
        "authors": str(organisation.pk) if authors is None else authors,
        "summary": "What public administrations can do for clusters going abroad.",
        "language": "en",
        "submit": "1",
        **extra,
    }
    if file is not None:
        data["file"] = file
    return client.post("/publications/new/", data)


def _assert_rejected(response, settings, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Publication.objects.count() == 0
    assert stored_files(settings) == []


def test_a_valid_pdf_is_accepted(client, editor, organisation, settings):
    client.force_login(editor)
    response = _post(client, organisation, file=pdf_upload("Cluster internationalisation"))
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.status == "submitted"
    assert list(publication.authors.all()) == [organisation]
    assert "cluster internationalisation" in publication.search_text
    assert len(stored_files(settings)) == 1


def test_a_text_file_is_not_a_pdf(client, editor, organisation, settings):
    client.force_login(editor)
    upload = SimpleUploadedFile("notes.pdf", b"Just some notes", content_type="application/pdf")
    response = _post(client, organisation, file=upload)
    _assert_rejected(response, settings, "This file is not a PDF")


def test_a_pdf_with_wrong_magic_bytes_is_refused(client, editor, organisation, settings):
    client.force_login(editor)
    broken = b"%PDX-" + pdf_bytes()[5:]
    upload = SimpleUploadedFile("paper.pdf", broken, content_type="application/pdf")
    response = _post(client, organisation, file=upload)
    _assert_rejected(response, settings, "This file is not a PDF")


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7\nnot really", b"%PDF-1.7\nnot really\nstartxref\n9\n%%EOF\n"]
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(
    client, editor, organisation, settings, content
):
    client.force_login(editor)
    upload = SimpleUploadedFile("paper.pdf", content, content_type="application/pdf")
    response = _post(client, organisation, file=upload)
    _assert_rejected(response, settings, "This PDF cannot be read")


def test_a_word_document_is_refused(client, editor, organisation, settings):
    client.force_login(editor)
    upload = SimpleUploadedFile("paper.docx", pdf_bytes(), content_type="application/msword")
    response = _post(client, organisation, file=upload)
    _assert_rejected(response, settings, "Upload a PDF file")


def test_an_oversize_file_is_refused(client, editor, organisation, settings):
    settings.PUBLICATION_FILE_MAX_BYTES = 1000
    client.force_login(editor)
    upload = SimpleUploadedFile("paper.pdf", pdf_bytes("x" * 2000), content_type="application/pdf")
    response = _post(client, organisation, file=upload)
    _assert_rejected(response, settings, "the limit is 1000")


def test_missing_authors_are_refused(client, editor, organisation, settings):
    client.force_login(editor)
    response = _post(client, organisation, file=pdf_upload(), authors="")
    _assert_rejected(response, settings, "Name at least one author organisation.")


def test_an_unknown_author_is_refused(client, editor, organisation, settings):
    client.force_login(editor)
    response = _post(client, organisation, file=pdf_upload(), authors="999999")
    _assert_rejected(response, settings, "No public organisation has the number 999999")


def test_a_missing_file_is_refused(client, editor, organisation, settings):
    client.force_login(editor)
    response = _post(client, organisation, file=None)
    _assert_rejected(response, settings, "This field is required.")


def test_a_file_stored_before_a_failure_is_deleted(editor, organisation, settings):
    """The row is rolled back by the database; the service removes the stored file itself."""
    publication = Publication(
        title="Study", publication_type="study", publication_date="2025-01-01", summary="S"
    )
    publication.file = pdf_upload()
    with pytest.raises(ValueError):
        services.item_create(
            item=publication,
            actor=editor,
            organisation=organisation,
            # An author that is not in the database: setting the relation fails after the
            # publication row and its file were saved.
            m2m={"authors": [Organisation(name="Not saved")]},
        )
    assert Publication.objects.count() == 0
    assert stored_files(settings) == []


def test_api_refuses_a_non_pdf(client, editor, organisation, settings):
    client.force_login(editor)
    upload = SimpleUploadedFile("paper.pdf", b"<html>no</html>", content_type="application/pdf")
    response = client.post(
        "/api/v1/publications/",
        {
            "organisation": organisation.pk,
            "title": "Position paper",
            "publication_type": "position_paper",
            "publication_date": "2025-01-01",
            "authors": [organisation.pk],
            "file": upload,
        },
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"] or "file" in str(response.json())
    assert Publication.objects.count() == 0
    assert stored_files(settings) == []


def test_api_refuses_missing_authors(client, editor, organisation, settings):
    client.force_login(editor)
    response = client.post(
        "/api/v1/publications/",
        {
            "organisation": organisation.pk,
            "title": "Position paper",
            "publication_type": "position_paper",
            "publication_date": "2025-01-01",
            "file": pdf_upload(),
        },
    )
    assert response.status_code == 400
    assert "authors" in str(response.json())
    assert Publication.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=99999",
        "?type=novel",
        "?ecosystem=nope&country=zz&language=xx&page=999",
        "?q=%00",
        "?author=-1",
    ],
)
def test_bad_filters_do_not_break_the_library(client, query):
    response = client.get(f"/publications/{query}")
    assert response.status_code == 200
    response = client.get(f"/api/v1/publications/{query}")
    assert response.status_code in (200, 400, 404)
