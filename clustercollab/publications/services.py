"""Writes on publications and transition resources.

Both are ContentItems, so the content app's services create, update, submit and moderate them
(permissions, moderation steps, audit log, the poster's e-mails). What is added here is the
publication's file: a new upload is checked (a PDF within the size limit, at least one author)
before anything is saved, its text is kept for search, a file stored by a save that then fails
is deleted again, and a replaced file is deleted once the change commits.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clustercollab.content import services as content_services
from clustercollab.content.models import ContentItem
from clustercollab.organisations.models import Organisation
from clustercollab.publications.files import pdf_text, validate_pdf
from clustercollab.publications.models import Publication

# The content services, unchanged for transition resources and for publications' other steps.
item_submit = content_services.content_submit
item_moderate = content_services.content_moderate


def _check_publication(item: ContentItem, m2m: dict[str, Iterable]) -> None:
    """Authors are given and a newly uploaded file is a PDF within the limit."""
    if not isinstance(item, Publication):
        return
    errors: dict[str, list] = {}
    if "authors" in m2m and not list(m2m["authors"]):
        errors["authors"] = [_("Name at least one author organisation.")]
    if not item.file:
        errors["file"] = [_("Attach the publication as a PDF file.")]
    elif not item.file._committed:
        try:
            validate_pdf(item.file)
        except ValidationError as error:
            errors["file"] = error.messages
        else:
            item.file_text = pdf_text(item.file)
    if errors:
        raise ValidationError(errors)


def _is_new_upload(item: ContentItem) -> bool:
    return isinstance(item, Publication) and bool(item.file) and not item.file._committed


def _discard_stored_upload(item: ContentItem, was_new_upload: bool) -> None:
    """Delete the file a failed save stored: the rollback removes the row, not the file."""
    if was_new_upload and item.file._committed and item.file.name:
        item.file.storage.delete(item.file.name)


def item_create(
    *,
    item: ContentItem,
    actor: Any,
    organisation: Organisation | None,
    m2m: dict[str, Iterable] | None = None,
    submit: bool = False,
) -> ContentItem:
    """Save a new publication or resource built from a form or the API (see content_create:
    members post for their organisations, drafts or submitted; staff items publish at once)."""
    m2m = dict(m2m or {})
    if isinstance(item, Publication):
        m2m.setdefault("authors", [])
    new_upload = _is_new_upload(item)
    try:
        with transaction.atomic():
            _check_publication(item, m2m)
            return content_services.content_create(
                item=item, actor=actor, organisation=organisation, m2m=m2m, submit=submit
            )
    except Exception:
        _discard_stored_upload(item, new_upload)
        raise


def item_update(
    *,
    item: ContentItem,
    actor: Any,
    changed_fields: list[str],
    m2m: dict[str, Iterable] | None = None,
    replaced_file: str = "",
) -> ContentItem:
    """Save an item edited through a form (see content_update: a member's edit of published
    content goes back to review). ``replaced_file`` is the stored name of the file a new
    upload replaces; it is deleted once the change commits."""
    m2m = dict(m2m or {})
    new_upload = _is_new_upload(item)
    try:
        with transaction.atomic():
            _check_publication(item, m2m)
            item = content_services.content_update(
                item=item, actor=actor, changed_fields=changed_fields, m2m=m2m
            )
            if new_upload and replaced_file and replaced_file != item.file.name:
                storage = item.file.storage
                transaction.on_commit(lambda: storage.delete(replaced_file))
            return item
    except Exception:
        _discard_stored_upload(item, new_upload)
        raise
