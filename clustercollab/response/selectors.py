"""Reads on response portals: figures, lists, the map, queues and exports."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching.hybrid import searched
from clustercollab.organisations.models import Membership, Role
from clustercollab.response.models import (
    LIVE_STATUSES,
    ForumPost,
    MatchStatus,
    ResponsePortal,
    Side,
    SupplyListing,
    SupplyMatch,
    Unit,
)


@dataclass(frozen=True)
class CategoryFigures:
    name: str
    unit: str
    offered: int
    requested: int
    allocated: int


@dataclass(frozen=True)
class PortalFigures:
    offers: int
    requests: int
    matches: int
    countries: int
    organisations: int
    by_category: list[CategoryFigures]


def portal_for_slug(slug: str) -> ResponsePortal:
    portal = ResponsePortal.objects.filter(slug=slug).first()
    if portal is None:
        raise Http404
    return portal


def portal_figures(portal: ResponsePortal) -> PortalFigures:
    """Key figures: counts, and quantities per category (offered, requested, allocated)."""
    listings = portal.listings.exclude(status="withdrawn")
    counts = listings.aggregate(
        offers=Count("pk", filter=Q(side=Side.OFFER)),
        requests=Count("pk", filter=Q(side=Side.REQUEST)),
        countries=Count("country", distinct=True),
        organisations=Count("organisation", distinct=True),
    )
    matches = SupplyMatch.objects.filter(offer__portal=portal, status=MatchStatus.CONFIRMED).count()
    per_category = (
        listings.values("category__name", "category__default_unit", "category__position")
        .annotate(
            offered=Sum("quantity", filter=Q(side=Side.OFFER), default=0),
            requested=Sum("quantity", filter=Q(side=Side.REQUEST), default=0),
            allocated=Sum("allocated_quantity", filter=Q(side=Side.REQUEST), default=0),
        )
        .order_by("category__position", "category__name")
    )
    units = dict(Unit.choices)
    return PortalFigures(
        offers=counts["offers"],
        requests=counts["requests"],
        matches=matches,
        countries=counts["countries"],
        organisations=counts["organisations"],
        by_category=[
            CategoryFigures(
                name=row["category__name"],
                unit=str(units.get(row["category__default_unit"], "")),
                offered=row["offered"],
                requested=row["requested"],
                allocated=row["allocated"],
            )
            for row in per_category
        ],
    )


def listings_of_portal(
    portal: ResponsePortal,
    *,
    side: str = "",
    category_id: int | None = None,
    country: str = "",
    region: str = "",
    status: str = "",
    text: str = "",
    meaning: bool = False,
) -> QuerySet[SupplyListing]:
    """The portal's offers and requests with the list's filters; withdrawn ones are hidden.

    ``meaning``: the text's matches by words and by meaning, fused, best first."""
    listings = (
        portal.listings.exclude(status="withdrawn")
        .select_related("organisation", "category", "country", "nuts_region")
        .order_by("-created_at", "-id")
    )
    if side:
        listings = listings.filter(side=side)
    if category_id:
        listings = listings.filter(category_id=category_id)
    if country:
        listings = listings.filter(country_id=country)
    if region:
        listings = listings.filter(nuts_region__code__startswith=region)
    if status == "live":
        listings = listings.filter(status__in=LIVE_STATUSES)
    elif status:
        listings = listings.filter(status=status)
    return searched(listings, text, meaning=meaning, text_search=search_listings)


def search_listings(listings: QuerySet[SupplyListing], text: str) -> QuerySet[SupplyListing]:
    """Listings whose item, description or organisation name contain the text."""
    return listings.filter(
        Q(item__icontains=text)
        | Q(description__icontains=text)
        | Q(organisation__name__icontains=text)
    )


def search_forum_posts(posts: QuerySet[ForumPost], text: str) -> QuerySet[ForumPost]:
    """Posts whose title or text contain every word of ``text``."""
    for word in text.split()[:10]:
        posts = posts.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return posts


def listing_in_portal(portal: ResponsePortal, pk: int) -> SupplyListing:
    listing = (
        SupplyListing.objects.select_related(
            "organisation", "category", "country", "nuts_region", "portal"
        )
        .filter(portal=portal, pk=pk)
        .first()
    )
    if listing is None:
        raise Http404
    return listing


def own_live_listings(*, user: Any, listing: SupplyListing) -> QuerySet[SupplyListing]:
    """The user's organisations' live listings that could be matched with ``listing``."""
    if not getattr(user, "is_authenticated", False):
        return SupplyListing.objects.none()
    organisation_ids = Membership.objects.filter(
        user=user, role__in=[Role.ADMIN, Role.EDITOR]
    ).values("organisation_id")
    other_side = Side.REQUEST if listing.side == Side.OFFER else Side.OFFER
    return (
        SupplyListing.objects.live()
        .filter(
            portal_id=listing.portal_id,
            category_id=listing.category_id,
            side=other_side,
            organisation_id__in=organisation_ids,
        )
        .exclude(organisation_id=listing.organisation_id)
        .select_related("organisation")
    )


def match_for_viewer(*, portal: ResponsePortal, pk: int, user: Any) -> SupplyMatch:
    """A match, for staff and for members of its two organisations only; else 404."""
    match = (
        SupplyMatch.objects.select_related(
            "offer__organisation",
            "request__organisation",
            "offer__portal",
            "offer__category",
            "request__category",
        )
        .filter(pk=pk, offer__portal=portal)
        .first()
    )
    if match is None or not getattr(user, "is_authenticated", False):
        raise Http404
    if user.is_staff:
        return match
    involved = Membership.objects.filter(
        user=user,
        organisation_id__in=[match.offer.organisation_id, match.request.organisation_id],
    ).exists()
    if not involved:
        raise Http404
    return match


def matches_of_listing(*, listing: SupplyListing, user: Any) -> QuerySet[SupplyMatch]:
    """A listing's matches, for members of the organisations involved (others see none)."""
    if not getattr(user, "is_authenticated", False):
        return SupplyMatch.objects.none()
    matches = SupplyMatch.objects.filter(Q(offer=listing) | Q(request=listing)).select_related(
        "offer__organisation", "request__organisation"
    )
    if user.is_staff:
        return matches
    organisation_ids = Membership.objects.filter(user=user).values("organisation_id")
    return matches.filter(
        Q(offer__organisation_id__in=organisation_ids)
        | Q(request__organisation_id__in=organisation_ids)
    )


def matches_of_user(user: Any) -> QuerySet[SupplyMatch]:
    organisation_ids = Membership.objects.filter(user=user).values("organisation_id")
    return (
        SupplyMatch.objects.filter(
            Q(offer__organisation_id__in=organisation_ids)
            | Q(request__organisation_id__in=organisation_ids)
        )
        .select_related("offer__organisation", "request__organisation", "offer__portal")
        .order_by("-updated_at")
    )


def listings_of_user(user: Any) -> QuerySet[SupplyListing]:
    organisation_ids = Membership.objects.filter(user=user).values("organisation_id")
    return (
        SupplyListing.objects.filter(organisation_id__in=organisation_ids)
        .select_related("portal", "organisation", "category")
        .order_by("-updated_at")
    )


def map_features(portal: ResponsePortal) -> dict:
    """GeoJSON of the portal's live offers and requests, at their point or region."""
    features = []
    listings = (
        portal.listings.filter(status__in=LIVE_STATUSES)
        .select_related("organisation", "category", "nuts_region", "portal")
        .order_by("id")
    )
    for listing in listings:
        point = listing.location()
        if point is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
                "properties": {
                    "side": listing.side,
                    "item": listing.item,
                    "category": listing.category.name,
                    "remaining": listing.remaining,
                    "unit": str(listing.get_unit_display()),
                    "organisation": listing.organisation.name,
                    "url": listing.get_absolute_url(),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def published_forum_posts(
    portal: ResponsePortal, *, category: str = "", text: str = "", meaning: bool = False
) -> QuerySet[ForumPost]:
    """The portal's published posts, newest first, or best first for a search."""
    posts = (
        portal.posts.published()
        .select_related("organisation")
        .annotate(comment_count=Count("comments"))
        .order_by("-published_at", "-id")
    )
    if category:
        posts = posts.filter(category=category)
    return searched(posts, text, meaning=meaning, text_search=search_forum_posts)


def forum_post_for_viewer(*, portal: ResponsePortal, pk: int, user: Any) -> ForumPost:
    """Published posts for everyone; others only for staff and the posting organisation."""
    post = portal.posts.select_related("organisation", "author").filter(pk=pk).first()
    if post is None:
        raise Http404
    if post.is_public or getattr(user, "is_staff", False):
        return post
    if (
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(user=user, organisation=post.organisation).exists()
    ):
        return post
    raise Http404


def forum_posts_awaiting_moderation() -> QuerySet[ForumPost]:
    return (
        ForumPost.objects.filter(status=ModerationStatus.SUBMITTED)
        .select_related("portal", "organisation")
        .order_by("submitted_at", "id")
    )


def urgent_unmatched_requests(*, today: date, within: timedelta) -> QuerySet[SupplyListing]:
    """Live requests of active portals needed within ``within`` that are not fully covered."""
    return (
        SupplyListing.objects.live(today)
        .requests()
        .filter(
            portal__status="active",
            needed_by__isnull=False,
            needed_by__lte=today + within,
        )
        .select_related("portal", "organisation", "category")
        .order_by("needed_by", F("quantity") - F("allocated_quantity"))
    )


def related_content(portal: ResponsePortal) -> dict[str, list]:
    """The published news, events and calls staff tagged as related to the portal."""
    return {
        "news": list(portal.related_news.published().order_by("-published_at")[:5]),
        "events": list(portal.related_events.published().order_by("starts_at")[:5]),
        "calls": list(portal.related_calls.published().order_by("-published_at")[:5]),
    }
