from typing import Any

from django import template

from clustercollab.core.selectors import any_row_refers_to
from clustercollab.response import selectors, services
from clustercollab.response.models import LIVE_STATUSES, MatchStatus, Side, SupplyListing

register = template.Library()


@register.simple_tag
def response_dashboard(user: Any) -> dict:
    """The member's latest offers, requests and matches, and the matches waiting for them."""
    matches = list(selectors.matches_of_user(user)[:10])
    waiting = []
    for match in matches:
        if match.status != MatchStatus.PROPOSED:
            continue
        side = services.match_side_of(user, match)
        confirmed = match.offer_confirmed_at if side == Side.OFFER else match.request_confirmed_at
        if side is not None and confirmed is None:
            waiting.append(match)
    return {
        "listings": list(selectors.listings_of_user(user)[:10]),
        "matches": matches,
        "waiting": waiting,
    }


@register.simple_tag
def organisation_live_listings(organisation: Any) -> list:
    """The organisation's open offers and requests in active portals, for its public page."""
    if not any_row_refers_to(organisation.pk, ((SupplyListing, "organisation"),)):
        return []  # most organisations: one probe
    return list(
        organisation.supply_listings.filter(status__in=LIVE_STATUSES, portal__status="active")
        .select_related("portal", "category", "country", "nuts_region", "organisation")
        .order_by("-created_at")[:10]
    )
