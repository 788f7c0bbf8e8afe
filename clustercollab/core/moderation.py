"""The moderation state machine shared by organisation profiles and member content.

draft → submitted → published, or submitted → changes requested → (resubmitted) submitted;
published → archived → published. Staff content may go from draft straight to published.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.audit import audit_log


class ModerationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for validation")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ModeratedModel(models.Model):
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ModerationStatus.choices,
        default=ModerationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderation_reason = models.TextField(_("moderator's reason"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED

    @property
    def review_due_at(self) -> datetime | None:
        if self.status != ModerationStatus.SUBMITTED or self.submitted_at is None:
            return None
        return self.submitted_at + timedelta(days=settings.MODERATION_REVIEW_DAYS)

    @property
    def is_overdue(self) -> bool:
        due = self.review_due_at
        return due is not None and due < timezone.now()


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    needs_reason: bool = False
    staff_only: bool = True


S = ModerationStatus
TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit", frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED, staff_only=False
        ),
        Transition("publish", frozenset({S.SUBMITTED, S.DRAFT, S.ARCHIVED}), S.PUBLISHED),
        Transition(
            "request_changes", frozenset({S.SUBMITTED}), S.CHANGES_REQUESTED, needs_reason=True
        ),
        Transition("archive", frozenset({S.PUBLISHED}), S.ARCHIVED),
    ]
}


def allowed_transitions(obj: ModeratedModel) -> list[str]:
    return [t.name for t in TRANSITIONS.values() if obj.status in t.sources]


def moderation_transition(
    *, obj: ModeratedModel, transition: str, actor: Any, reason: str = ""
) -> str:
    """Move ``obj`` along one transition, save it and audit it; return the dotted action.

    Raises ValidationError when the transition does not start from the current status, when a
    staff-only transition is asked for by someone else, or when a needed reason is missing.
    """
    spec = TRANSITIONS.get(transition)
    if spec is None:
        raise ValidationError(_("Unknown moderation action."))
    if spec.staff_only and not getattr(actor, "is_staff", False):
        raise ValidationError(_("Only platform staff can do this."))
    if obj.status not in spec.sources:
        raise ValidationError(
            _("This cannot be done while the status is “%(status)s”.")
            % {"status": obj.get_status_display()}
        )
    reason = reason.strip()
    if spec.needs_reason and not reason:
        raise ValidationError({"reason": _("Tell the organisation what to change.")})

    previous = obj.status
    now = timezone.now()
    obj.status = spec.target
    update_fields = ["status", "moderation_reason"]
    if spec.target == S.SUBMITTED:
        obj.submitted_at = now
        update_fields.append("submitted_at")
    if spec.target == S.PUBLISHED and obj.published_at is None:
        obj.published_at = now
        update_fields.append("published_at")
    obj.moderation_reason = reason if spec.target == S.CHANGES_REQUESTED else ""
    if hasattr(obj, "updated_at"):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)

    past = {
        "submit": "resubmitted" if previous == S.CHANGES_REQUESTED else "submitted",
        "publish": "restored" if previous == S.ARCHIVED else "published",
        "request_changes": "changes_requested",
        "archive": "archived",
    }[transition]
    action = f"{obj._meta.app_label}.{obj._meta.model_name}.{past}"
    audit_log(
        actor=actor,
        action=action,
        target=obj,
        reason=reason,
        data={"from": previous, "to": obj.status},
    )
    return action
