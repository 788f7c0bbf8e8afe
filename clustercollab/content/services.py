"""Writes on member content: create, update, submit, moderate; every step audited.

They serve every moderated ContentItem, also other apps' (the publications library).
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clustercollab.content import tasks
from clustercollab.content.models import Campaign, ContentItem, Event
from clustercollab.content.selectors import POSTING_ROLES, can_edit, kind_of
from clustercollab.core.audit import audit_log
from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations.models import Membership, Organisation

S = ModerationStatus


def _action(item: ContentItem, verb: str) -> str:
    return f"{item._meta.app_label}.{item._meta.model_name}.{verb}"


def _require_poster(organisation: Organisation | None, actor: Any) -> None:
    if getattr(actor, "is_staff", False):
        return
    if (
        organisation is None
        or not Membership.objects.filter(
            user=actor, organisation=organisation, role__in=POSTING_ROLES
        ).exists()
    ):
        raise PermissionDenied(_("Only admins and editors of the organisation can post for it."))


def _require_editor(item: ContentItem, actor: Any) -> None:
    if not can_edit(user=actor, item=item):
        raise PermissionDenied(_("Only admins and editors of the organisation can change this."))


def _set_m2m(item: ContentItem, m2m: dict[str, Iterable] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(item, name).set(values)


def _notify_poster(item: ContentItem, action: str, reason: str = "") -> None:
    model_label = item._meta.label_lower
    transaction.on_commit(
        lambda: tasks.send_content_status_email.enqueue(
            model_label=model_label, item_id=item.pk, action=action, reason=reason
        )
    )


def _check_campaign(item: ContentItem, *, joining: bool) -> None:
    """An event in a campaign falls in its window; it joins while the call for events is open."""
    if not isinstance(item, Event) or item.campaign_id is None:
        return
    campaign: Campaign = item.campaign
    if joining and not campaign.accepts_events():
        raise ValidationError({"campaign": _("The call for events of this campaign has closed.")})
    start, end = campaign.window()
    if item.starts_at and item.ends_at and (item.ends_at < start or item.starts_at >= end):
        raise ValidationError(
            {
                "starts_at": _("The event must take place between %(start)s and %(end)s.")
                % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()}
            }
        )


@transaction.atomic
def content_create(
    *,
    item: ContentItem,
    actor: Any,
    organisation: Organisation | None,
    m2m: dict[str, Iterable] | None = None,
    submit: bool = False,
) -> ContentItem:
    """Save a new item built from a form or the API.

    Members post for an organisation they are an admin or editor of; the item starts as a
    draft (or is submitted at once when ``submit``). Staff content is published directly.
    """
    _require_poster(organisation, actor)
    item.organisation = organisation
    item.author = actor
    item.status = S.DRAFT
    item.slug = slugify(item.title)[:80] or kind_of(item)
    _check_campaign(item, joining=not actor.is_staff)
    item.full_clean()
    item.save()
    _set_m2m(item, m2m)
    audit_log(actor=actor, action=_action(item, "created"), target=item)
    if actor.is_staff:
        moderation_transition(obj=item, transition="publish", actor=actor)
    elif submit:
        action = moderation_transition(obj=item, transition="submit", actor=actor)
        _notify_poster(item, action)
    return item


@transaction.atomic
def content_update(
    *,
    item: ContentItem,
    actor: Any,
    changed_fields: list[str],
    m2m: dict[str, Iterable] | None = None,
) -> ContentItem:
    """Save an item edited through a form (fields already set on the instance).

    A member's edit of published content sends it back to staff review: visitors only ever
    see what staff have validated.
    """
    _require_editor(item, actor)
    if "title" in changed_fields:
        item.slug = slugify(item.title)[:80] or kind_of(item)
    _check_campaign(item, joining="campaign" in changed_fields and not actor.is_staff)
    back_to_review = (
        item.status in (S.PUBLISHED, S.ARCHIVED) and not actor.is_staff and bool(changed_fields)
    )
    previous = item.status
    if back_to_review:
        item.status = S.SUBMITTED
        item.submitted_at = timezone.now()
    item.full_clean()
    item.save()
    _set_m2m(item, m2m)
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
    return item


@transaction.atomic
def content_submit(*, item: ContentItem, actor: Any) -> ContentItem:
    """Send a draft (or an item with requested changes) to staff for validation."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    _require_editor(item, actor)
    if actor.is_staff:
        moderation_transition(obj=item, transition="publish", actor=actor)
        return item
    action = moderation_transition(obj=item, transition="submit", actor=actor)
    _notify_poster(item, action)
    return item


MODERATION_ACTIONS = ("publish", "request_changes", "reject", "archive")


@transaction.atomic
def content_moderate(
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
    if transition != "reject":
        action = moderation_transition(obj=item, transition=transition, actor=actor, reason=reason)
        _notify_poster(item, action, reason)
        return item
    reason = reason.strip()
    if item.status != S.SUBMITTED:
        raise ValidationError(
            _("This cannot be done while the status is “%(status)s”.")
            % {"status": item.get_status_display()}
        )
    if not reason:
        raise ValidationError({"reason": _("Tell the poster why it is rejected.")})
    previous = item.status
    item.status = S.ARCHIVED
    item.moderation_reason = reason
    item.save(update_fields=["status", "moderation_reason", "updated_at"])
    action = _action(item, "rejected")
    audit_log(
        actor=actor,
        action=action,
        target=item,
        reason=reason,
        data={"from": previous, "to": item.status},
    )
    _notify_poster(item, action, reason)
    return item
