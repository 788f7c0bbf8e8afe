"""Rank the other side's listings for one offer or request.

Candidates share the portal and the category, are live (open or partly matched, inside their
dates, something left) and belong to another organisation. Each gets a score in [0, 1] from
four parts a person can check, shown beside the result:

- quantity: how much of what is still needed (or still offered) the candidate covers;
- certification: the request names a standard and the offer carries it;
- timing: the offer is available by the date the request needs it;
- distance: within the offer's delivery radius, else decaying with the distance in km.

Distances are great-circle distances between the listings' coordinates (or their regions'
inner points). Scoring is O(candidates); candidates are capped by the query.
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from clustercollab.response.models import Side, SupplyListing

WEIGHTS = {"quantity": 0.35, "certification": 0.2, "timing": 0.2, "distance": 0.25}
DISTANCE_HALF_SCORE_KM = 500
CANDIDATE_LIMIT = 500


@dataclass(frozen=True)
class RankedListing:
    listing: SupplyListing
    score: float
    distance_km: float | None
    reasons: tuple[str, ...]


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    """Great-circle distance in kilometres, or None when a location is unknown."""
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _standard_codes(text: str) -> set[str]:
    """ "EN 149:2001+A1" and "en149" both give {"EN149"}."""
    return {
        re.sub(r"\s+", "", match.upper())
        for match in re.findall(r"[A-Za-z]{2,4}\s*\d{2,6}", text or "")
    }


def _score(base: SupplyListing, candidate: SupplyListing) -> tuple[float, float | None, list[str]]:
    offer, request = (base, candidate) if base.side == Side.OFFER else (candidate, base)
    reasons: list[str] = []

    needed = request.remaining
    covered = min(offer.remaining, needed)
    quantity = covered / needed if needed else 0.0
    if covered >= needed:
        reasons.append(_("covers the whole quantity"))
    else:
        reasons.append(
            _("covers %(covered)s of %(needed)s") % {"covered": covered, "needed": needed}
        )

    wanted = _standard_codes(request.certification)
    if not wanted:
        certification = 1.0
    elif wanted & _standard_codes(offer.certification):
        certification = 1.0
        reasons.append(_("certified %(standard)s") % {"standard": request.certification})
    else:
        certification = 0.0
        reasons.append(_("not certified %(standard)s") % {"standard": request.certification})

    if request.needed_by is None or offer.available_from is None:
        timing = 1.0
    elif offer.available_from <= request.needed_by:
        timing = 1.0
        reasons.append(_("available in time"))
    else:
        late_days = (offer.available_from - request.needed_by).days
        timing = 1.0 / (1.0 + late_days / 7)
        reasons.append(_("available %(days)s days late") % {"days": late_days})

    km = distance_km(offer.location(), request.location())
    if km is None:
        distance = 0.5
    elif offer.delivery_radius_km is not None and km <= offer.delivery_radius_km:
        distance = 1.0
        reasons.append(_("%(km)s km away, within delivery radius") % {"km": round(km)})
    else:
        distance = 1.0 / (1.0 + km / DISTANCE_HALF_SCORE_KM)
        reasons.append(_("%(km)s km away") % {"km": round(km)})

    score = (
        WEIGHTS["quantity"] * quantity
        + WEIGHTS["certification"] * certification
        + WEIGHTS["timing"] * timing
        + WEIGHTS["distance"] * distance
    )
    return score, km, reasons


def ranked_counterparts(listing: SupplyListing, *, limit: int = 20) -> list[RankedListing]:
    """The live listings of the other side that could serve ``listing``, best first."""
    other_side = Side.REQUEST if listing.side == Side.OFFER else Side.OFFER
    candidates = (
        SupplyListing.objects.live()
        .filter(portal_id=listing.portal_id, category_id=listing.category_id, side=other_side)
        .exclude(organisation_id=listing.organisation_id)
        .select_related("organisation", "country", "nuts_region", "category")
        .order_by("-created_at")[:CANDIDATE_LIMIT]
    )
    ranked = []
    for candidate in candidates:
        score, km, reasons = _score(listing, candidate)
        ranked.append(RankedListing(candidate, round(score, 4), km, tuple(reasons)))
    ranked.sort(key=lambda r: (-r.score, r.distance_km if r.distance_km is not None else 1e9))
    return ranked[:limit]
