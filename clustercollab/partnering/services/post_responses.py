"""Writes of other members on a post: comments, follows and expressions of interest."""

from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.organisations.models import Organisation
from clustercollab.partnering import tasks
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    InterestStatus,
    PartnerPost,
    PostComment,
    PostFollow,
)
from clustercollab.partnering.services.membership import require_member
from clustercollab.partnering.services.posts import notify_followers, require_listed

UNFOLLOW_SALT = "partnering.unfollow"


@transaction.atomic
def comment_create(
    *, post: PartnerPost, actor: Any, organisation: Organisation, body: str
) -> PostComment:
    """Add a member's comment to a published post; the commenter follows the post from now on."""
    require_member(actor, organisation.pk)
    require_listed(post)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    comment = PostComment(post=post, author=actor, organisation=organisation, body=body)
    comment.full_clean()
    comment.save()
    PostFollow.objects.get_or_create(post=post, user=actor)
    audit_log(actor=actor, action="partnering.comment.created", target=post)
    notify_followers(post, actor=actor, comment=comment)
    return comment


def post_follow(*, post: PartnerPost, user: Any) -> PostFollow:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to follow posts."))
    require_listed(post)
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
    require_member(actor, organisation.pk)
    if organisation.pk == post.organisation_id:
        raise ValidationError(_("You cannot express interest in your own organisation's post."))
    require_listed(post)
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
    require_member(actor, interest.post.organisation_id)
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
