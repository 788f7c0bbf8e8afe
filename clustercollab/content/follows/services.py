"""Writes on follows and digest subscriptions."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clustercollab.content.follows.searches import normalised_query
from clustercollab.content.follows.selectors import digest_sections
from clustercollab.content.follows.tokens import unsubscribe_token
from clustercollab.content.models import DigestSubscription, Follow, FollowKind, SavedSearchList
from clustercollab.core.audit import audit_log
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.organisations.models import Organisation


def _require_member(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Log in to follow."))


@transaction.atomic
def follow_create(
    *,
    user: Any,
    ecosystem: IndustrialEcosystem | None = None,
    country: Country | None = None,
    organisation: Organisation | None = None,
    search_list: str = "",
    search_query: str = "",
) -> Follow:
    """Follow exactly one of: an ecosystem, a country, a published organisation or a search.

    Following the same thing twice returns the existing follow.
    """
    _require_member(user)
    targets = [t for t in (ecosystem, country, organisation, search_list or None) if t is not None]
    if len(targets) != 1:
        raise ValidationError(_("Choose one thing to follow."))
    if organisation is not None and not organisation.is_public:
        raise ValidationError(_("This organisation cannot be followed."))
    values: dict[str, Any]
    if ecosystem is not None:
        values = {"kind": FollowKind.ECOSYSTEM, "ecosystem": ecosystem}
    elif country is not None:
        values = {"kind": FollowKind.COUNTRY, "country": country}
    elif organisation is not None:
        values = {"kind": FollowKind.ORGANISATION, "organisation": organisation}
    else:
        if search_list not in SavedSearchList.values:
            raise ValidationError(_("Only news, event and call searches can be followed."))
        values = {
            "kind": FollowKind.SEARCH,
            "search_list": search_list,
            "search_query": normalised_query(search_list, search_query),
        }
    existing = Follow.objects.filter(user=user, **values).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follow = Follow.objects.create(user=user, **values)
    except IntegrityError:  # the same follow created at the same moment by another request
        return Follow.objects.get(user=user, **values)
    DigestSubscription.objects.get_or_create(user=user)
    audit_log(
        actor=user, action="content.follow.created", target=follow, data={"kind": follow.kind}
    )
    return follow


@transaction.atomic
def follow_delete(*, follow: Follow, actor: Any) -> None:
    if follow.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("This is not your follow."))
    audit_log(actor=actor, action="content.follow.deleted", data={"kind": follow.kind})
    follow.delete()


@transaction.atomic
def digest_unsubscribe(*, user: Any) -> DigestSubscription:
    """Stop the weekly digest for ``user``; the follows stay. Idempotent."""
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
        audit_log(actor=user, action="content.digest.unsubscribed", target=subscription)
    return subscription


@transaction.atomic
def digest_resubscribe(*, user: Any) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.unsubscribed_at is not None:
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
        audit_log(actor=user, action="content.digest.resubscribed", target=subscription)
    return subscription


def _digest_is_due(subscription: DigestSubscription, now: datetime) -> bool:
    if subscription.last_sent_at is None:
        return True
    # Some slack, so that a weekly job that runs a little early still sends.
    interval = timedelta(days=settings.DIGEST_INTERVAL_DAYS) - timedelta(hours=12)
    return subscription.last_sent_at <= now - interval


def _digest_message(*, user: Any, sections: list, since: datetime) -> EmailMultiAlternatives:
    unsubscribe_url = settings.SITE_URL + reverse(
        "content:digest_unsubscribe", kwargs={"token": unsubscribe_token(user.pk)}
    )
    context = {
        "user": user,
        "sections": sections,
        "count": sum(section.total for section in sections),
        "since": since,
        "site_url": settings.SITE_URL,
        "follows_url": settings.SITE_URL + reverse("content:follows"),
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("content/email/digest_subject.txt", context).strip()
        text = render_to_string("content/email/digest_body.txt", context)
        html = render_to_string("content/email/digest_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Send one member their digest of what is new since the last one; return whether it went.

    Nothing is sent to an unsubscribed or inactive member, before the interval has passed, or
    when nothing new matches their follows (the next digest then covers the longer period).
    """
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            DigestSubscription.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id, user__is_active=True, unsubscribed_at__isnull=True)
            .first()
        )
        if subscription is None or not _digest_is_due(subscription, now):
            return False
        since = subscription.last_sent_at or now - timedelta(days=settings.DIGEST_INTERVAL_DAYS)
        sections = digest_sections(user=subscription.user, since=since, until=now)
        if not sections:
            return False
        _digest_message(user=subscription.user, sections=sections, since=since).send()
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at", "updated_at"])
    return True


def digests_due(now: datetime | None = None) -> list[int]:
    """Ids of the members whose digest is due: subscribed, active, following something."""
    now = now or timezone.now()
    interval = timedelta(days=settings.DIGEST_INTERVAL_DAYS) - timedelta(hours=12)
    return list(
        DigestSubscription.objects.filter(
            unsubscribed_at__isnull=True,
            user__is_active=True,
            user__content_follows__isnull=False,
        )
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - interval))
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
