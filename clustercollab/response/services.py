"""Writes on response portals. Every function checks who may do it and raises:

- ``PermissionDenied`` when the user may not act for that organisation or object;
- ``ValidationError`` with a message for the user when the input or the state is wrong
  (a closed portal, a quantity that is no longer there).
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.core.moderation import ModerationStatus, moderation_transition
from clustercollab.organisations.models import Organisation, Role
from clustercollab.organisations.selectors import user_role
from clustercollab.partnering import services as partnering
from clustercollab.partnering.models import Message
from clustercollab.response import tasks
from clustercollab.response.models import (
    LIVE_STATUSES,
    ForumComment,
    ForumFollow,
    ForumPost,
    ListingStatus,
    MatchStatus,
    PortalStatus,
    ResponsePortal,
    Side,
    SupplyCategory,
    SupplyListing,
    SupplyMatch,
)

POSTING_ROLES = {Role.ADMIN, Role.EDITOR}


def _require_staff(user: Any) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied(_("Only platform staff can do this."))


def _require_member(user: Any, organisation: Organisation) -> None:
    if user_role(user=user, organisation=organisation) not in POSTING_ROLES:
        raise PermissionDenied(_("You can only act for organisations you belong to."))


def _require_published(organisation: Organisation) -> None:
    # Offers and requests are public at once, without moderation: only organisations whose
    # profile staff have validated may post them.
    if not organisation.is_public:
        raise ValidationError(
            _("Only organisations with a validated, published profile can post here.")
        )


def _require_active(portal: ResponsePortal) -> None:
    if not portal.is_active:
        raise ValidationError(_("This response portal is closed: it can be read but not changed."))


# --- portals -----------------------------------------------------------------------------------


@transaction.atomic
def portal_open(
    *,
    user: Any,
    title: str,
    slug: str,
    summary: str,
    started_on: date,
    categories: list[tuple[str, str]],
    description: str = "",
) -> ResponsePortal:
    """Open a portal with its supply categories, given as (name, usual unit) pairs."""
    _require_staff(user)
    if not categories:
        raise ValidationError({"categories": _("Name at least one supply category.")})
    portal = ResponsePortal(
        title=title,
        slug=slug,
        summary=summary,
        description=description,
        started_on=started_on,
        opened_by=user,
    )
    portal.full_clean()
    portal.save()
    for position, (name, unit) in enumerate(categories):
        category = SupplyCategory(portal=portal, name=name, default_unit=unit, position=position)
        category.full_clean(exclude=["portal"])
        category.save()
    audit_log(actor=user, action="response.portal.opened", target=portal)
    return portal


def portal_set_status(*, user: Any, portal: ResponsePortal, status: str) -> ResponsePortal:
    _require_staff(user)
    if status not in PortalStatus.values:
        raise ValidationError(_("Unknown portal status."))
    if portal.status != status:
        portal.status = status
        portal.save(update_fields=["status", "updated_at"])
        audit_log(actor=user, action=f"response.portal.{status}", target=portal)
    return portal


# --- offers and requests -----------------------------------------------------------------------


def _check_listing_dates(listing: SupplyListing, today: date) -> None:
    errors = {}
    if listing.side == Side.REQUEST and listing.needed_by and listing.needed_by < today:
        errors["needed_by"] = _("The date you need it by is in the past.")
    if listing.available_until and listing.available_until < today:
        errors["available_until"] = _("The end of availability is in the past.")
    if (
        listing.available_from
        and listing.available_until
        and listing.available_until < listing.available_from
    ):
        errors["available_until"] = _("Availability cannot end before it starts.")
    if listing.nuts_region_id is not None and listing.nuts_region.country_id != listing.country_id:
        errors["nuts_region"] = _("This region is not in the chosen country.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def listing_create(
    *, user: Any, portal: ResponsePortal, organisation: Organisation, side: str, **fields: Any
) -> SupplyListing:
    _require_member(user, organisation)
    _require_published(organisation)
    _require_active(portal)
    listing = SupplyListing(
        portal=portal, organisation=organisation, side=side, created_by=user, **fields
    )
    if listing.category_id is not None and listing.category.portal_id != portal.pk:
        raise ValidationError({"category": _("This category belongs to another portal.")})
    if side == Side.OFFER:
        listing.needed_by = None
    else:
        listing.available_from = listing.available_until = listing.delivery_radius_km = None
        listing.logistics_offered = False
    listing.full_clean()
    _check_listing_dates(listing, timezone.localdate())
    listing.save()
    audit_log(actor=user, action=f"response.{side}.created", target=listing)
    return listing


def listing_withdraw(*, user: Any, listing: SupplyListing) -> SupplyListing:
    _require_member(user, listing.organisation)
    _require_active(listing.portal)
    if listing.status not in LIVE_STATUSES:
        raise ValidationError(_("Only open or partly matched listings can be withdrawn."))
    with transaction.atomic():
        listing.status = ListingStatus.WITHDRAWN
        listing.save(update_fields=["status", "updated_at"])
        SupplyMatch.objects.filter(status=MatchStatus.PROPOSED, offer=listing).update(
            status=MatchStatus.CANCELLED
        )
        SupplyMatch.objects.filter(status=MatchStatus.PROPOSED, request=listing).update(
            status=MatchStatus.CANCELLED
        )
        audit_log(actor=user, action=f"response.{listing.side}.withdrawn", target=listing)
    return listing


def expire_listings(*, today: date | None = None) -> int:
    """Mark live listings past their dates as expired; return how many changed."""
    today = today or timezone.localdate()
    live = SupplyListing.objects.filter(status__in=LIVE_STATUSES)
    return live.filter(available_until__lt=today).update(
        status=ListingStatus.EXPIRED, updated_at=timezone.now()
    ) + live.filter(needed_by__lt=today).update(
        status=ListingStatus.EXPIRED, updated_at=timezone.now()
    )


def _status_for(allocated: int, quantity: int) -> str:
    if allocated == 0:
        return ListingStatus.OPEN
    return ListingStatus.FULFILLED if allocated >= quantity else ListingStatus.PARTLY_MATCHED


# --- matches -----------------------------------------------------------------------------------


@transaction.atomic
def match_propose(
    *,
    user: Any,
    own: SupplyListing,
    counterpart: SupplyListing,
    quantity: int,
    message: str = "",
) -> SupplyMatch:
    """Propose to allocate ``quantity`` between one's own listing and one of the other side.

    The proposing side's confirmation is implied; the other side is notified.
    """
    _require_member(user, own.organisation)
    _require_active(own.portal)
    if own.side == counterpart.side:
        raise ValidationError(_("A match joins an offer and a request."))
    if own.portal_id != counterpart.portal_id or own.category_id != counterpart.category_id:
        raise ValidationError(_("The offer and the request must be in the same category."))
    if own.organisation_id == counterpart.organisation_id:
        raise ValidationError(_("Both listings belong to your organisation."))
    today = timezone.localdate()
    for listing in (own, counterpart):
        if not SupplyListing.objects.live(today).filter(pk=listing.pk).exists():
            raise ValidationError(
                _("“%(item)s” is no longer open for matching.") % {"item": listing.item}
            )
    available = min(own.remaining, counterpart.remaining)
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    if quantity > available:
        raise ValidationError(
            {"quantity": _("At most %(n)s can be matched between these two.") % {"n": available}}
        )
    offer, request = (own, counterpart) if own.side == Side.OFFER else (counterpart, own)
    now = timezone.now()
    match = SupplyMatch(offer=offer, request=request, quantity=quantity, proposed_by=user)
    if own.side == Side.OFFER:
        match.offer_confirmed_at = now
    else:
        match.request_confirmed_at = now
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise ValidationError(
            _("There is already an open proposal between these two listings.")
        ) from None
    # The proposal opens a conversation between the two organisations (partnering's contact
    # thread: its e-mail tells the other side, with the link to confirm or decline).
    introduction = _(
        "We propose a match: %(quantity)s %(unit)s of “%(item)s” (%(portal)s). Confirm or "
        "decline it here: %(url)s"
    ) % {
        "quantity": quantity,
        "unit": offer.get_unit_display(),
        "item": offer.item,
        "portal": own.portal.title,
        "url": settings.SITE_URL + match.get_absolute_url(),
    }
    body = f"{introduction}\n\n{message.strip()}" if message.strip() else introduction
    match.thread = partnering.thread_start(
        sender=own.organisation,
        recipient=counterpart.organisation,
        actor=user,
        subject=(_("Match: %(item)s") % {"item": offer.item})[:200],
        body=body,
    )
    match.save(update_fields=["thread"])
    audit_log(actor=user, action="response.match.proposed", target=match, data={"qty": quantity})
    return match


def match_side_of(user: Any, match: SupplyMatch) -> str | None:
    """Which side of the match the user may act for: "offer", "request" or None."""
    for side, listing in ((Side.OFFER, match.offer), (Side.REQUEST, match.request)):
        if user_role(user=user, organisation=listing.organisation) in POSTING_ROLES:
            return side
    return None


def _allocate(listing: SupplyListing, quantity: int) -> None:
    """Add ``quantity`` to the listing's allocation, atomically, only if it is still there.

    A single conditional UPDATE decides, so two confirmations arriving at once cannot both
    take the last units, on PostgreSQL and on SQLite alike.
    """
    updated = SupplyListing.objects.filter(
        pk=listing.pk,
        status__in=LIVE_STATUSES,
        allocated_quantity__lte=F("quantity") - quantity,
    ).update(allocated_quantity=F("allocated_quantity") + quantity, updated_at=timezone.now())
    if not updated:
        listing.refresh_from_db(fields=["allocated_quantity", "quantity", "status"])
        if listing.status not in LIVE_STATUSES:
            message = _("“%(item)s” is no longer open for matching.") % {"item": listing.item}
        else:
            message = _(
                "Only %(remaining)s %(unit)s remain of “%(item)s”, fewer than the %(quantity)s "
                "of this match. Agree on a smaller quantity in a new proposal."
            ) % {
                "remaining": listing.remaining,
                "unit": listing.get_unit_display(),
                "item": listing.item,
                "quantity": quantity,
            }
        raise ValidationError(message)
    listing.refresh_from_db(fields=["allocated_quantity", "quantity"])
    listing.status = _status_for(listing.allocated_quantity, listing.quantity)
    listing.save(update_fields=["status"])


def match_confirm(*, user: Any, match: SupplyMatch) -> SupplyMatch:
    """Confirm for the user's side; when both sides have confirmed, record the allocation."""
    side = match_side_of(user, match)
    if side is None:
        raise PermissionDenied(_("Only the two organisations of a match can confirm it."))
    _require_active(match.offer.portal)
    with transaction.atomic():
        # Lock the match so that a double click cannot allocate twice.
        match = (
            SupplyMatch.objects.select_for_update()
            .select_related("offer", "request", "offer__portal")
            .get(pk=match.pk)
        )
        if match.status != MatchStatus.PROPOSED:
            raise ValidationError(_("This match is no longer waiting for confirmation."))
        now = timezone.now()
        if side == Side.OFFER:
            if match.offer_confirmed_at is None:
                match.offer_confirmed_at = now
        elif match.request_confirmed_at is None:
            match.request_confirmed_at = now
        both = match.offer_confirmed_at is not None and match.request_confirmed_at is not None
        if both:
            # Always offer first, then request: a fixed order avoids lock-order deadlocks.
            _allocate(match.offer, match.quantity)
            _allocate(match.request, match.quantity)
            match.status = MatchStatus.CONFIRMED
            match.allocated_at = now
        match.save()
        audit_log(
            actor=user,
            action="response.match.confirmed" if both else "response.match.accepted_by_one",
            target=match,
            data={"side": side, "qty": match.quantity},
        )
        if both:
            match_id = match.pk
            transaction.on_commit(
                lambda: tasks.send_match_email.enqueue(match_id=match_id, event="confirmed")
            )
    return match


def match_decline(*, user: Any, match: SupplyMatch) -> SupplyMatch:
    """Either side ends a proposal: the proposer withdraws it, the other side declines it."""
    side = match_side_of(user, match)
    if side is None:
        raise PermissionDenied(_("Only the two organisations of a match can answer it."))
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This match is no longer waiting for confirmation."))
    proposer_side = Side.OFFER if match.offer_confirmed_at else Side.REQUEST
    match.status = MatchStatus.CANCELLED if side == proposer_side else MatchStatus.DECLINED
    match.save(update_fields=["status", "updated_at"])
    audit_log(actor=user, action=f"response.match.{match.status}", target=match)
    match_id, event = match.pk, match.status
    transaction.on_commit(lambda: tasks.send_match_email.enqueue(match_id=match_id, event=event))
    return match


def match_message_post(*, user: Any, match: SupplyMatch, body: str) -> Message:
    """Write in the match's conversation (rate limits and blocks are partnering's)."""
    if match_side_of(user, match) is None:
        raise PermissionDenied(_("Only the two organisations of a match can write here."))
    _require_active(match.offer.portal)
    if match.thread is None:
        raise ValidationError(_("This match has no conversation."))
    return partnering.message_send(thread=match.thread, actor=user, body=body)


# --- forum -------------------------------------------------------------------------------------


@transaction.atomic
def forum_post_create(
    *,
    user: Any,
    portal: ResponsePortal,
    organisation: Organisation,
    category: str,
    title: str,
    body: str,
) -> ForumPost:
    """A member's post is submitted for moderation; a staff member's is published at once."""
    _require_member(user, organisation)
    _require_active(portal)
    post = ForumPost(
        portal=portal,
        organisation=organisation,
        author=user,
        category=category,
        title=title.strip(),
        body=body.strip(),
    )
    post.full_clean()
    post.save()
    ForumFollow.objects.get_or_create(post=post, user=user)
    audit_log(actor=user, action="response.forumpost.created", target=post)
    moderation_transition(obj=post, transition="publish" if user.is_staff else "submit", actor=user)
    return post


def forum_post_moderate(
    *, user: Any, post: ForumPost, transition: str, reason: str = ""
) -> ForumPost:
    _require_staff(user)
    action = moderation_transition(obj=post, transition=transition, actor=user, reason=reason)
    post_id = post.pk
    transaction.on_commit(
        lambda: tasks.send_forum_status_email.enqueue(post_id=post_id, action=action)
    )
    return post


@transaction.atomic
def forum_comment_add(
    *, user: Any, post: ForumPost, organisation: Organisation, body: str
) -> ForumComment:
    _require_member(user, organisation)
    _require_active(post.portal)
    if post.status != ModerationStatus.PUBLISHED:
        raise ValidationError(_("Comments open when the post is published."))
    comment = ForumComment(post=post, organisation=organisation, author=user, body=body.strip())
    comment.full_clean()
    comment.save()
    ForumFollow.objects.get_or_create(post=post, user=user)
    comment_id = comment.pk
    transaction.on_commit(lambda: tasks.send_comment_email.enqueue(comment_id=comment_id))
    return comment


def forum_follow(*, user: Any, post: ForumPost, follow: bool = True) -> None:
    if follow:
        if post.status != ModerationStatus.PUBLISHED:
            raise ValidationError(_("Only published posts can be followed."))
        ForumFollow.objects.get_or_create(post=post, user=user)
    else:
        ForumFollow.objects.filter(post=post, user=user).delete()
