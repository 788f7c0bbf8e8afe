"""Writes on partner search posts, expressions of interest, contact threads and follows.

Every function checks on the server that the actor may do it and raises PermissionDenied (no
right) or ValidationError (a broken rule, with a readable message); nothing is saved then.
"""

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.core.moderation import moderation_transition
from clustercollab.organisations.models import Membership, Organisation
from clustercollab.partnering import tasks
from clustercollab.partnering.models import (
    MAX_KEYWORDS,
    POST_LIFETIME_DAYS,
    REMINDER_DAYS_BEFORE_EXPIRY,
    SUMMARY_MAX_LENGTH,
    ContactThread,
    ExpressionOfInterest,
    InterestStatus,
    Message,
    OrganisationBlock,
    PartnerPost,
    PartnershipType,
    PostComment,
    PostFollow,
    PostStatus,
    ReferenceCounter,
    ThreadReadMark,
)

UNFOLLOW_SALT = "partnering.unfollow"


def is_member(user: Any, organisation_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation_id is None:
        return False
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def _require_member(user: Any, organisation_id: int | None) -> None:
    if not is_member(user, organisation_id):
        raise PermissionDenied(_("Only members of this organisation can do this."))


def _require_platform_member(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.memberships.exists():
        raise PermissionDenied(_("Only members of a registered organisation can do this."))


# --- partner search posts ----------------------------------------------------------------------


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
    return problems


@transaction.atomic
def post_save(*, post: PartnerPost, actor: Any, m2m: dict[str, Any] | None = None) -> PartnerPost:
    """Create or update a post whose fields are set on the instance; set its M2M fields.

    A published post stays published; its followers hear about the update.
    """
    _require_member(actor, post.organisation_id)
    if post.pk and post.status == PostStatus.ARCHIVED:
        raise ValidationError(_("An archived post cannot be edited."))
    creating = post.pk is None
    problems = post_problems(post)
    if problems:
        raise ValidationError(problems)
    if creating:
        post.created_by = actor
    if post.status == PostStatus.PUBLISHED:
        post.expires_at = post_expiry(post)
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
        _notify_followers(post, actor=actor)
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
    _require_member(actor, post.organisation_id)
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
    _require_member(actor, post.organisation_id)
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
    _require_member(actor, post.organisation_id)
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


# --- comments and follows ----------------------------------------------------------------------


def _require_listed(post: PartnerPost) -> None:
    if post.status != PostStatus.PUBLISHED or (
        post.expires_at and post.expires_at <= timezone.now()
    ):
        raise ValidationError(_("This post is no longer open."))


def _notify_followers(post: PartnerPost, *, actor: Any, comment: PostComment | None = None) -> None:
    actor_id = getattr(actor, "pk", None)
    comment_id = comment.pk if comment else None
    transaction.on_commit(
        lambda: tasks.send_follow_update_email.enqueue(
            post_id=post.pk, comment_id=comment_id, actor_id=actor_id
        )
    )


@transaction.atomic
def comment_create(
    *, post: PartnerPost, actor: Any, organisation: Organisation, body: str
) -> PostComment:
    """Add a member's comment to a published post; the commenter follows the post from now on."""
    _require_member(actor, organisation.pk)
    _require_listed(post)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = PostComment(post=post, author=actor, organisation=organisation, body=body)
    comment.full_clean()
    comment.save()
    PostFollow.objects.get_or_create(post=post, user=actor)
    audit_log(actor=actor, action="partnering.comment.created", target=post)
    _notify_followers(post, actor=actor, comment=comment)
    return comment


def post_follow(*, post: PartnerPost, user: Any) -> PostFollow:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to follow posts."))
    _require_listed(post)
    follow, _created = PostFollow.objects.get_or_create(post=post, user=user)
    return follow


def post_unfollow(*, post: PartnerPost, user: Any) -> None:
    PostFollow.objects.filter(post=post, user=user).delete()


def unfollow_token(follow: PostFollow) -> str:
    return signing.dumps({"post": follow.post_id, "user": follow.user_id}, salt=UNFOLLOW_SALT)


def unfollow_by_token(token: str) -> PartnerPost | None:
    """Stop the follow named by a signed token from an e-mail; return its post, or None."""
    try:
        data = signing.loads(token, salt=UNFOLLOW_SALT)
    except signing.BadSignature:
        return None
    PostFollow.objects.filter(post_id=data.get("post"), user_id=data.get("user")).delete()
    return PartnerPost.objects.filter(pk=data.get("post")).first()


# --- expressions of interest -------------------------------------------------------------------


@transaction.atomic
def interest_create(
    *,
    post: PartnerPost,
    organisation: Organisation,
    actor: Any,
    who_we_are: str,
    what_we_offer: str,
    why_we_fit: str,
) -> ExpressionOfInterest:
    """Send an expression of interest in an open post to the post's organisation."""
    _require_member(actor, organisation.pk)
    if organisation.pk == post.organisation_id:
        raise ValidationError(_("You cannot express interest in your own organisation's post."))
    _require_listed(post)
    if post.deadline < timezone.localdate():
        raise ValidationError(_("The deadline for expressions of interest has passed."))
    if ExpressionOfInterest.objects.filter(post=post, organisation=organisation).exists():
        raise ValidationError(_("Your organisation has already expressed interest in this post."))
    interest = ExpressionOfInterest(
        post=post,
        organisation=organisation,
        created_by=actor,
        who_we_are=who_we_are.strip(),
        what_we_offer=what_we_offer.strip(),
        why_we_fit=why_we_fit.strip(),
    )
    interest.full_clean()
    interest.save()
    audit_log(
        actor=actor,
        action="partnering.interest.created",
        target=post,
        data={"organisation": organisation.pk},
    )
    transaction.on_commit(
        lambda: tasks.send_interest_received_email.enqueue(interest_id=interest.pk)
    )
    return interest


@transaction.atomic
def interest_decide(
    *, interest: ExpressionOfInterest, actor: Any, accept: bool
) -> ExpressionOfInterest:
    """Accept or decline an expression of interest (the post's organisation only).

    On acceptance both organisations see each other's contact details and a thread opens.
    """
    interest = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("post", "organisation")
        .get(pk=interest.pk)
    )
    _require_member(actor, interest.post.organisation_id)
    if interest.status != InterestStatus.PENDING:
        raise ValidationError(_("This expression of interest has already been answered."))
    interest.status = InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED
    interest.decided_at = timezone.now()
    interest.decided_by = actor
    if accept:
        thread = ContactThread.objects.create(
            initiator=interest.organisation,
            recipient=interest.post.organisation,
            subject=interest.post.title[:200],
            post=interest.post,
            initiator_shares_contact=True,
            recipient_shares_contact=True,
            last_message_at=interest.decided_at,
        )
        interest.thread = thread
    interest.save()
    audit_log(
        actor=actor,
        action=f"partnering.interest.{interest.status}",
        target=interest.post,
        data={"organisation": interest.organisation_id},
    )
    transaction.on_commit(
        lambda: tasks.send_interest_decision_email.enqueue(interest_id=interest.pk)
    )
    return interest


# --- contact threads ---------------------------------------------------------------------------


def _check_rate_limit(actor: Any) -> None:
    """Refuse a message past the hourly limit; the user's row is locked so that two messages
    sent at the same moment are counted one after the other."""
    if not settings.PARTNERING_RATE_LIMITS:
        return
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    limit = settings.PARTNERING_MESSAGES_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if Message.objects.filter(author=actor, created_at__gt=since).count() >= limit:
        raise ValidationError(
            _("You can send at most %(n)d messages per hour. Please try again later.")
            % {"n": limit}
        )


def _require_not_blocked(*, sender: Organisation, recipient: Organisation) -> None:
    if OrganisationBlock.objects.filter(blocker=recipient, blocked=sender).exists():
        raise ValidationError(_("This organisation does not accept messages from yours."))


def _add_message(*, thread: ContactThread, sender: Organisation, actor: Any, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    message = Message(thread=thread, sender=sender, author=actor, body=body)
    message.full_clean()
    message.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at", "updated_at"])
    ThreadReadMark.objects.update_or_create(
        thread=thread, user=actor, defaults={"read_at": message.created_at}
    )
    transaction.on_commit(lambda: tasks.send_thread_message_email.enqueue(message_id=message.pk))
    return message


@transaction.atomic
def thread_start(
    *, sender: Organisation, recipient: Organisation, actor: Any, subject: str, body: str
) -> ContactThread:
    """Write to a published organisation ("Contact this cluster")."""
    _require_member(actor, sender.pk)
    if not recipient.is_public:
        raise ValidationError(_("This organisation cannot be contacted."))
    if sender.pk == recipient.pk:
        raise ValidationError(_("Choose another organisation than your own."))
    _require_not_blocked(sender=sender, recipient=recipient)
    _check_rate_limit(actor)
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": _("Give the message a subject.")})
    thread = ContactThread(initiator=sender, recipient=recipient, subject=subject)
    thread.full_clean()
    thread.save()
    _add_message(thread=thread, sender=sender, actor=actor, body=body)
    audit_log(
        actor=actor,
        action="partnering.thread.created",
        target=thread,
        data={"from": sender.pk, "to": recipient.pk},
    )
    return thread


def _side_of(thread: ContactThread, actor: Any) -> Organisation:
    """Return the actor's organisation in the thread (the initiator first), else refuse."""
    for organisation in (thread.initiator, thread.recipient):
        if is_member(actor, organisation.pk):
            return organisation
    raise PermissionDenied(_("Only the two organisations of this conversation can do this."))


@transaction.atomic
def message_send(*, thread: ContactThread, actor: Any, body: str) -> Message:
    """Add a message to a thread on behalf of the actor's side."""
    sender = _side_of(thread, actor)
    _require_not_blocked(sender=sender, recipient=thread.other_side(sender.pk))
    _check_rate_limit(actor)
    return _add_message(thread=thread, sender=sender, actor=actor, body=body)


@transaction.atomic
def thread_share_contact(*, thread: ContactThread, actor: Any) -> ContactThread:
    """Show the actor's organisation contact details to the other side of the thread."""
    side = _side_of(thread, actor)
    field = (
        "initiator_shares_contact" if side.pk == thread.initiator_id else "recipient_shares_contact"
    )
    setattr(thread, field, True)
    thread.save(update_fields=[field, "updated_at"])
    audit_log(actor=actor, action="partnering.thread.contact_shared", target=thread)
    return thread


@transaction.atomic
def organisation_block(*, thread: ContactThread, actor: Any) -> OrganisationBlock:
    """Stop messages from the other organisation of a thread to the actor's organisation."""
    side = _side_of(thread, actor)
    other = thread.other_side(side.pk)
    block, _created = OrganisationBlock.objects.get_or_create(
        blocker=side, blocked=other, defaults={"created_by": actor}
    )
    audit_log(
        actor=actor,
        action="partnering.organisation.blocked",
        target=side,
        data={"blocked": other.pk},
    )
    return block


@transaction.atomic
def organisation_unblock(*, thread: ContactThread, actor: Any) -> None:
    side = _side_of(thread, actor)
    OrganisationBlock.objects.filter(blocker=side, blocked=thread.other_side(side.pk)).delete()
    audit_log(actor=actor, action="partnering.organisation.unblocked", target=side)


@transaction.atomic
def thread_report(*, thread: ContactThread, actor: Any, reason: str) -> ContactThread:
    """Report a thread to platform staff, with a reason."""
    _side_of(thread, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell staff what is wrong with this conversation.")})
    thread.reported_at = timezone.now()
    thread.report_reason = reason[:4000]
    thread.save(update_fields=["reported_at", "report_reason", "updated_at"])
    audit_log(actor=actor, action="partnering.thread.reported", target=thread, reason=reason)
    transaction.on_commit(lambda: tasks.send_thread_report_email.enqueue(thread_id=thread.pk))
    return thread


def thread_mark_read(*, thread: ContactThread, user: Any) -> None:
    ThreadReadMark.objects.update_or_create(
        thread=thread, user=user, defaults={"read_at": timezone.now()}
    )
