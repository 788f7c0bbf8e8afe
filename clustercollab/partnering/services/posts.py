"""Writes on partner search posts: save, submit, moderate, renew, archive, expire."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.core.moderation import moderation_transition
from clustercollab.partnering import tasks
from clustercollab.partnering.models import (
    MAX_KEYWORDS,
    POST_LIFETIME_DAYS,
    REMINDER_DAYS_BEFORE_EXPIRY,
    SUMMARY_MAX_LENGTH,
    PartnerPost,
    PartnershipType,
    PostComment,
    PostStatus,
    ReferenceCounter,
)
from clustercollab.partnering.services.membership import require_member


def post_expiry(post: PartnerPost) -> datetime:
    """Return when a published post stops being listed: the end of its deadline day, or 12
    months after publishing or the last renewal, whichever comes first."""
    start = post.renewed_at or post.published_at or timezone.now()
    end_of_deadline = datetime.combine(post.deadline + timedelta(days=1), time.min, tzinfo=UTC)
    return min(end_of_deadline, start + timedelta(days=POST_LIFETIME_DAYS))


def post_problems(post: PartnerPost, *, today: Any = None) -> dict[str, list[str]]:
    """Return the broken rules of a post by field (empty: it may be saved)."""
    today = today or timezone.localdate()
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if len(post.summary or "") > SUMMARY_MAX_LENGTH:
        add(
            "summary",
            _("The summary may have at most %(max)d characters (it has %(n)d).")
            % {"max": SUMMARY_MAX_LENGTH, "n": len(post.summary)},
        )
    for field in ("market_keywords", "technology_keywords"):
        keywords = getattr(post, field) or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            add(field, _("Give the keywords as a list of words."))
        elif len(keywords) > MAX_KEYWORDS:
            add(
                field,
                _("Give at most %(max)d keywords (you gave %(n)d).")
                % {"max": MAX_KEYWORDS, "n": len(keywords)},
            )
        elif any(len(k) > 60 for k in keywords):
            add(field, _("Each keyword must be at most 60 characters."))
    types = post.partnership_types or []
    if not isinstance(types, list) or not types:
        add("partnership_types", _("Choose at least one partnership type."))
    elif any(t not in PartnershipType.values for t in types):
        add("partnership_types", _("Choose partnership types from the list."))
    if post.deadline and post.deadline < today:
        add("deadline", _("The deadline cannot be in the past."))
    if post.is_research and not (
        post.funding_call_id or post.funding_call_identifier or post.funding_call_title
    ):
        add(
            "funding_call_identifier",
            _("For an R&D partner search, name the funding call (identifier or title)."),
        )
    return problems


def _name_the_call(post: PartnerPost) -> None:
    """Copy a linked call's identifier, title and address into the text fields left empty: they
    are what the post shows and the list searches if the call is ever unpublished."""
    call = post.funding_call
    if call is None:
        return
    post.funding_call_identifier = (
        post.funding_call_identifier or call.topic_identifier or call.call_identifier
    )[:120]
    post.funding_call_title = (post.funding_call_title or call.title)[:300]
    post.funding_call_url = post.funding_call_url or call.link


@transaction.atomic
def post_save(*, post: PartnerPost, actor: Any, m2m: dict[str, Any] | None = None) -> PartnerPost:
    """Create or update a post whose fields are set on the instance; set its M2M fields.

    A published post stays published; its followers hear about the update.
    """
    require_member(actor, post.organisation_id)
    if post.pk and post.status == PostStatus.ARCHIVED:
        raise ValidationError(_("An archived post cannot be edited."))
    creating = post.pk is None
    _name_the_call(post)
    problems = post_problems(post)
    if problems:
        raise ValidationError(problems)
    if creating:
        post.created_by = actor
    if post.status == PostStatus.PUBLISHED:
        expires_at = post_expiry(post)
        if expires_at != post.expires_at:
            # A new deadline means a new reminder 14 days before it.
            post.expires_at, post.reminder_sent_at = expires_at, None
    post.full_clean(exclude=["created_by"])
    post.save()
    for name, values in (m2m or {}).items():
        getattr(post, name).set(values)
    audit_log(
        actor=actor,
        action=f"partnering.partnerpost.{'created' if creating else 'edited'}",
        target=post,
    )
    if not creating and post.status == PostStatus.PUBLISHED:
        notify_followers(post, actor=actor)
    return post


def _reference_for(post: PartnerPost) -> str:
    """Return the next reference such as TRFI20261123001 (type, country, date, daily number).

    The counter row is locked, so two submissions at the same moment get different numbers.
    """
    prefix = f"{post.post_type}{post.organisation.country_id}{timezone.now():%Y%m%d}"
    ReferenceCounter.objects.get_or_create(prefix=prefix)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:03d}"


@transaction.atomic
def post_submit(*, post: PartnerPost, actor: Any) -> PartnerPost:
    """Send a draft (or a post with requested changes) to staff; give it its reference."""
    post = (
        PartnerPost.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=post.pk)
    )
    require_member(actor, post.organisation_id)
    problems = post_problems(post)
    if problems:
        raise ValidationError(problems)
    if not post.reference:
        post.reference = _reference_for(post)
        post.save(update_fields=["reference"])
    moderation_transition(obj=post, transition="submit", actor=actor)
    return post


@transaction.atomic
def post_moderate(
    *, post: PartnerPost, actor: Any, transition: str, reason: str = ""
) -> PartnerPost:
    """Apply a staff decision on a post: publish, request_changes or archive."""
    if transition == "submit":
        raise ValidationError(_("Unknown moderation action."))
    post = PartnerPost.objects.select_for_update().get(pk=post.pk)
    if post.status == PostStatus.EXPIRED:
        raise ValidationError(_("An expired post is renewed by its owners, not moderated."))
    if transition == "publish" and post.deadline < timezone.localdate():
        raise ValidationError(_("The deadline of this post has passed; it cannot be published."))
    action = moderation_transition(obj=post, transition=transition, actor=actor, reason=reason)
    if transition == "publish":
        post.expires_at = post_expiry(post)
        post.reminder_sent_at = None
        post.save(update_fields=["expires_at", "reminder_sent_at"])
    transaction.on_commit(
        lambda: tasks.send_post_status_email.enqueue(post_id=post.pk, action=action, reason=reason)
    )
    return post


@transaction.atomic
def post_renew(*, post: PartnerPost, actor: Any, deadline: Any = None) -> PartnerPost:
    """Keep a published or expired post listed for another 12 months (until its deadline)."""
    post = PartnerPost.objects.select_for_update().get(pk=post.pk)
    require_member(actor, post.organisation_id)
    if post.status not in (PostStatus.PUBLISHED, PostStatus.EXPIRED):
        raise ValidationError(_("Only published or expired posts can be renewed."))
    if deadline is not None:
        post.deadline = deadline
    if post.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("Set a new deadline that is not in the past.")})
    previous = post.status
    now = timezone.now()
    post.status = PostStatus.PUBLISHED
    post.renewed_at = now
    post.expired_at = None
    post.reminder_sent_at = None
    post.expires_at = post_expiry(post)
    post.save()
    audit_log(
        actor=actor,
        action="partnering.partnerpost.renewed",
        target=post,
        data={"from": previous, "expires_at": post.expires_at.isoformat()},
    )
    return post


@transaction.atomic
def post_archive(*, post: PartnerPost, actor: Any) -> PartnerPost:
    """Take a post off the platform for good (owners, any status but archived)."""
    post = PartnerPost.objects.select_for_update().get(pk=post.pk)
    require_member(actor, post.organisation_id)
    if post.status == PostStatus.ARCHIVED:
        raise ValidationError(_("This post is already archived."))
    previous = post.status
    post.status = PostStatus.ARCHIVED
    post.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action="partnering.partnerpost.archived",
        target=post,
        data={"from": previous, "to": post.status},
    )
    return post


def require_listed(post: PartnerPost) -> None:
    if post.status != PostStatus.PUBLISHED or (
        post.expires_at and post.expires_at <= timezone.now()
    ):
        raise ValidationError(_("This post is no longer open."))


def notify_followers(post: PartnerPost, *, actor: Any, comment: PostComment | None = None) -> None:
    actor_id = getattr(actor, "pk", None)
    comment_id = comment.pk if comment else None
    transaction.on_commit(
        lambda: tasks.send_follow_update_email.enqueue(
            post_id=post.pk, comment_id=comment_id, actor_id=actor_id
        )
    )


def expire_partner_posts(*, now: datetime) -> dict[str, int]:
    """Remind owners 14 days before a post expires and expire posts whose time has come.

    Works from ``now`` alone, so it can run at any time (and be tested with a fixed clock).
    Each row is claimed with a conditional update, so two runs never send a reminder twice.
    """
    reminded = expired = 0
    soon = now + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)
    due_reminders = PartnerPost.objects.filter(
        status=PostStatus.PUBLISHED,
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=soon,
    ).values_list("pk", flat=True)
    for pk in list(due_reminders):
        claimed = PartnerPost.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if claimed:
            reminded += 1
            transaction.on_commit(
                lambda pk=pk: tasks.send_expiry_reminder_email.enqueue(post_id=pk)
            )
    due = PartnerPost.objects.filter(status=PostStatus.PUBLISHED, expires_at__lte=now)
    for post in due:
        with transaction.atomic():
            claimed = PartnerPost.objects.filter(pk=post.pk, status=PostStatus.PUBLISHED).update(
                status=PostStatus.EXPIRED, expired_at=now
            )
            if claimed:
                expired += 1
                audit_log(
                    actor=None,
                    action="partnering.partnerpost.expired",
                    target=post,
                    data={"expires_at": post.expires_at.isoformat()},
                )
    return {"reminded": reminded, "expired": expired}
