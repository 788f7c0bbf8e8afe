"""Writes on publications and transition resources: create, update, submit, moderate.

The steps follow the content app's: members post for an organisation they are an admin or
editor of, items start as drafts or are submitted, staff publish, request changes, reject or
archive; every step is audited and the poster gets the content app's status e-mail. A new
publication file is checked (a PDF within the size limit) before anything is saved, and a
stored file is removed again when the save fails.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clustercollab.content.models import ContentItem
from clustercollab.content.selectors import can_edit, posting_organisations
from clustercollab.core.audit import audit_log
from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations.models import Organisation
from clustercollab.publications import tasks
from clustercollab.publications.files import pdf_text, validate_pdf
from clustercollab.publications.models import Publication
from clustercollab.publications.selectors import kind_of

S = ModerationStatus
MODERATION_ACTIONS = ("publish", "request_changes", "reject", "archive")


def _action(item: ContentItem, verb: str) -> str:
    return f"{item._meta.app_label}.{item._meta.model_name}.{verb}"


def _require_poster(organisation: Organisation | None, actor: Any) -> None:
    if getattr(actor, "is_staff", False):
        return
    if organisation is None or not posting_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only admins and editors of the organisation can post for it."))


def _require_editor(item: ContentItem, actor: Any) -> None:
    if not can_edit(user=actor, item=item):
        raise PermissionDenied(_("Only admins and editors of the organisation can change this."))


def _notify_poster(item: ContentItem, action: str, reason: str = "") -> None:
    kind = kind_of(item)
    transaction.on_commit(
        lambda: tasks.send_library_status_email.enqueue(
            kind=kind, item_id=item.pk, action=action, reason=reason
        )
    )


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


def _save(item: ContentItem, m2m: dict[str, Iterable]) -> None:
    item.full_clean(exclude=["file"] if _is_new_upload(item) else None)
    item.save()
    for name, values in m2m.items():
        getattr(item, name).set(values)


def item_create(
    *,
    item: ContentItem,
    actor: Any,
    organisation: Organisation | None,
    m2m: dict[str, Iterable] | None = None,
    submit: bool = False,
) -> ContentItem:
    """Save a new publication or resource built from a form or the API.

    Members post for an organisation they are an admin or editor of; the item starts as a
    draft (or is submitted at once when ``submit``). Staff items are published directly.
    """
    m2m = dict(m2m or {})
    if isinstance(item, Publication):
        m2m.setdefault("authors", [])
    new_upload = _is_new_upload(item)
    try:
        with transaction.atomic():
            _require_poster(organisation, actor)
            item.organisation = organisation
            item.author = actor
            item.status = S.DRAFT
            item.slug = slugify(item.title)[:80] or kind_of(item)
            _check_publication(item, m2m)
            _save(item, m2m)
            audit_log(actor=actor, action=_action(item, "created"), target=item)
            if actor.is_staff:
                moderation_transition(obj=item, transition="publish", actor=actor)
            elif submit:
                action = moderation_transition(obj=item, transition="submit", actor=actor)
                _notify_poster(item, action)
    except Exception:
        _discard_stored_upload(item, new_upload)
        raise
    return item


def item_update(
    *,
    item: ContentItem,
    actor: Any,
    changed_fields: list[str],
    m2m: dict[str, Iterable] | None = None,
    replaced_file: str = "",
) -> ContentItem:
    """Save an item edited through a form or the API (fields already set on the instance).

    A member's edit of published content sends it back to staff review. ``replaced_file`` is
    the stored name of the file a new upload replaces; it is deleted once the change commits.
    """
    m2m = dict(m2m or {})
    new_upload = _is_new_upload(item)
    try:
        with transaction.atomic():
            _require_editor(item, actor)
            if "title" in changed_fields:
                item.slug = slugify(item.title)[:80] or kind_of(item)
            _check_publication(item, m2m)
            back_to_review = (
                item.status in (S.PUBLISHED, S.ARCHIVED)
                and not actor.is_staff
                and bool(changed_fields)
            )
            previous = item.status
            if back_to_review:
                item.status = S.SUBMITTED
                item.submitted_at = timezone.now()
            _save(item, m2m)
            if changed_fields:
                audit_log(
                    actor=actor,
                    action=_action(item, "edited"),
                    target=item,
                    data={"fields": sorted(changed_fields), "status": item.status},
                )
            if back_to_review:
                action = _action(item, "resubmitted")
                audit_log(
                    actor=actor,
                    action=action,
                    target=item,
                    data={"from": previous, "to": item.status},
                )
                _notify_poster(item, action)
            if new_upload and replaced_file and replaced_file != item.file.name:
                storage = item.file.storage
                transaction.on_commit(lambda: storage.delete(replaced_file))
    except Exception:
        _discard_stored_upload(item, new_upload)
        raise
    return item


@transaction.atomic
def item_submit(*, item: ContentItem, actor: Any) -> ContentItem:
    """Send a draft (or an item with requested changes) to staff; staff publish at once."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    _require_editor(item, actor)
    if actor.is_staff:
        moderation_transition(obj=item, transition="publish", actor=actor)
        return item
    action = moderation_transition(obj=item, transition="submit", actor=actor)
    _notify_poster(item, action)
    return item


@transaction.atomic
def item_moderate(
    *, item: ContentItem, actor: Any, transition: str, reason: str = ""
) -> ContentItem:
    """Apply a staff decision: publish, request_changes, reject (with a reason) or archive.

    Rejecting archives a submitted item for good; the reason is sent to the poster.
    """
    if transition not in MODERATION_ACTIONS:
        raise ValidationError(_("Unknown moderation action."))
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only platform staff can do this."))
    item = type(item).objects.select_for_update().get(pk=item.pk)
    reason = reason.strip()
    if transition != "reject":
        action = moderation_transition(obj=item, transition=transition, actor=actor, reason=reason)
        _notify_poster(item, action, reason)
        return item
    if item.status != S.SUBMITTED:
        raise ValidationError(
            _("This cannot be done while the status is “%(status)s”.")
            % {"status": item.get_status_display()}
        )
    if not reason:
        raise ValidationError({"reason": _("Tell the poster why it is rejected.")})
    item.status = S.ARCHIVED
    item.moderation_reason = reason
    item.save(update_fields=["status", "moderation_reason", "updated_at"])
    action = _action(item, "rejected")
    audit_log(
        actor=actor,
        action=action,
        target=item,
        reason=reason,
        data={"from": S.SUBMITTED, "to": item.status},
    )
    _notify_poster(item, action, reason)
    return item
