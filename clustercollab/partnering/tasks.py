"""Background jobs of partnering: e-mails (thin wrappers that load by id and send) and the
daily expiry of partner search posts."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from clustercollab.organisations.models import Membership, Role
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    InterestStatus,
    Message,
    PartnerPost,
    Partnership,
    PartnershipMember,
    PartnershipRole,
    PostComment,
)


def _member_emails(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(organisation_id=organisation_id)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _send(
    subject: str, lines: list[str], recipients: list[str], headers: dict | None = None
) -> int:
    if not recipients:
        return 0
    # One e-mail per recipient, so nobody sees the others' addresses.
    for recipient in recipients:
        body = "\n\n".join(lines) + "\n"
        EmailMessage(subject, body, None, [recipient], headers=headers).send()
    return len(recipients)


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _send_decision(subject: str, reason: str, target: Any, recipients: list[str]) -> int:
    """Send a staff decision on ``target``: what happened, the reason if any, the link."""
    lines = [subject]
    if reason:
        lines.append(_("Reason: %(reason)s") % {"reason": reason})
    lines.append(_url(target.get_absolute_url()))
    return _send(subject[:200], lines, recipients)


@task()
def send_post_status_email(*, post_id: int, action: str, reason: str = "") -> int:
    """Tell the post's organisation about a moderation step; return how many were sent."""
    post = PartnerPost.objects.filter(pk=post_id).first()
    if post is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        event = action.rsplit(".", 1)[-1]
        texts = {
            "published": _("Your partner search post “%(title)s” is now published."),
            "changes_requested": _("Staff asked for changes to your post “%(title)s”."),
            "archived": _("Your partner search post “%(title)s” was archived by staff."),
        }
        subject = texts.get(event, _("News about your post “%(title)s”.")) % {"title": post.title}
        return _send_decision(subject, reason, post, _member_emails(post.organisation_id))


@task()
def send_expiry_reminder_email(*, post_id: int) -> int:

    post = PartnerPost.objects.filter(pk=post_id).first()
    if post is None or post.expires_at is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your post “%(title)s” expires on %(date)s") % {
            "title": post.title,
            "date": post.expires_at.date().isoformat(),
        }
        lines = [
            subject,
            _("Renew it to keep it listed for another 12 months (until its deadline):"),
            _url(reverse("partnering:post_renew", kwargs={"pk": post.pk})),
        ]
        return _send(subject[:200], lines, _member_emails(post.organisation_id))


@task()
def send_follow_update_email(
    *, post_id: int, comment_id: int | None = None, actor_id: int | None = None
) -> int:
    """E-mail everyone following the post (but the author of the change) with an unfollow link."""
    from clustercollab.partnering.services import unfollow_token

    post = PartnerPost.objects.filter(pk=post_id).first()
    if post is None:
        return 0
    comment = PostComment.objects.filter(pk=comment_id).first() if comment_id else None
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        follows = post.follows.select_related("user").exclude(user_id=actor_id)
        for follow in follows:
            if comment is not None:
                subject = _("New comment on “%(title)s”") % {"title": post.title}
                body = comment.body
            else:
                subject = _("“%(title)s” was updated") % {"title": post.title}
                body = post.summary
            unfollow = reverse(
                "partnering:unfollow_token", kwargs={"token": unfollow_token(follow)}
            )
            lines = [
                subject,
                body,
                _url(post.get_absolute_url()),
                _("Stop following this post: %(url)s") % {"url": _url(unfollow)},
            ]
            # Mail clients offer a one-click unsubscribe button that POSTs to this address
            # (RFC 8058); the signed token is all the view needs.
            headers = {
                "List-Unsubscribe": f"<{_url(unfollow)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            sent += _send(subject[:200], lines, [follow.user.email], headers=headers)
    return sent


@task()
def send_interest_received_email(*, interest_id: int) -> int:

    interest = (
        ExpressionOfInterest.objects.select_related("post", "organisation")
        .filter(pk=interest_id)
        .first()
    )
    if interest is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(organisation)s is interested in “%(title)s”") % {
            "organisation": interest.organisation.name,
            "title": interest.post.title,
        }
        lines = [
            subject,
            _("Who we are: %(text)s") % {"text": interest.who_we_are},
            _("What we offer: %(text)s") % {"text": interest.what_we_offer},
            _("Why we fit: %(text)s") % {"text": interest.why_we_fit},
            _("Accept or decline it here: %(url)s") % {"url": _url(interest.get_absolute_url())},
        ]
        return _send(subject[:200], lines, _member_emails(interest.post.organisation_id))


@task()
def send_interest_decision_email(*, interest_id: int) -> int:

    interest = (
        ExpressionOfInterest.objects.select_related("post", "post__organisation")
        .filter(pk=interest_id)
        .first()
    )
    if interest is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        if interest.status == InterestStatus.ACCEPTED:
            subject = _("%(organisation)s accepted your interest in “%(title)s”")
        else:
            subject = _("%(organisation)s declined your interest in “%(title)s”")
        subject = subject % {
            "organisation": interest.post.organisation.name,
            "title": interest.post.title,
        }
        lines = [subject, _url(interest.get_absolute_url())]
        return _send(subject[:200], lines, _member_emails(interest.organisation_id))


@task()
def send_thread_message_email(*, message_id: int) -> int:
    """E-mail the members of the receiving organisation, with a link to reply (no addresses)."""

    message = Message.objects.select_related("thread", "sender").filter(pk=message_id).first()
    if message is None:
        return 0
    thread = message.thread
    recipient_id = (
        thread.recipient_id if message.sender_id == thread.initiator_id else thread.initiator_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New message from %(organisation)s: %(subject)s") % {
            "organisation": message.sender.name,
            "subject": thread.subject,
        }
        lines = [
            subject,
            message.body,
            _("Reply on the platform: %(url)s") % {"url": _url(thread.get_absolute_url())},
        ]
        return _send(subject[:200], lines, _member_emails(recipient_id))


@task()
def send_thread_report_email(*, thread_id: int) -> int:

    thread = ContactThread.objects.filter(pk=thread_id).first()
    if thread is None:
        return 0
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A conversation was reported: %(subject)s") % {"subject": thread.subject}
        lines = [
            subject,
            thread.report_reason,
            _url(reverse("admin:partnering_contactthread_change", args=[thread.pk])),
        ]
        return _send(subject[:200], lines, staff)


def _admin_emails(organisation_ids: list[int]) -> list[str]:
    return list(
        Membership.objects.filter(organisation_id__in=organisation_ids, role=Role.ADMIN)
        .values_list("user__email", flat=True)
        .distinct()
    )


@task()
def send_partnership_status_email(*, partnership_id: int, action: str, reason: str = "") -> int:
    """Tell the coordinator's admins about a staff decision on their partnership."""
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        return 0
    coordinators = list(
        partnership.memberships.filter(role=PartnershipRole.COORDINATOR).values_list(
            "organisation_id", flat=True
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        event = action.rsplit(".", 1)[-1]
        texts = {
            "published": _("The partnership “%(name)s” is now public."),
            "restored": _("The partnership “%(name)s” is now public."),
            "changes_requested": _("Staff asked for changes to the partnership “%(name)s”."),
            "archived": _("The partnership “%(name)s” was archived by staff."),
        }
        subject = texts.get(event, _("News about the partnership “%(name)s”.")) % {
            "name": partnership.name
        }
        return _send_decision(subject, reason, partnership, _admin_emails(coordinators))


@task()
def send_partnership_invitation_email(*, membership_id: int) -> int:
    """Invite the admins of an organisation to accept or decline a place in a partnership."""
    membership = (
        PartnershipMember.objects.select_related("partnership", "organisation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(organisation)s is invited to the partnership “%(name)s”") % {
            "organisation": membership.organisation.name,
            "name": membership.partnership.name,
        }
        lines = [
            subject,
            _("Accept or decline the invitation here: %(url)s")
            % {"url": _url(membership.partnership.get_absolute_url())},
        ]
        return _send(subject[:200], lines, _admin_emails([membership.organisation_id]))


@task()
def expire_partner_posts() -> dict[str, int]:
    """Run daily: remind owners of posts expiring in 14 days and expire the posts that are due."""
    from clustercollab.partnering.services import expire_partner_posts as expire

    return expire(now=timezone.now())
