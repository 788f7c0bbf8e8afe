"""Portals and listings for tests, on the real taxonomies (countries, NUTS regions)."""

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from clustercollab.core.models import Country, NutsRegion
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.response import services
from clustercollab.response.models import ResponsePortal, Side, SupplyListing, Unit

_numbers = count(1)

PANDEMIC = [
    ("FFP2 masks", Unit.PIECES),
    ("Medical gloves", Unit.PAIRS),
    ("3D-printing capacity", Unit.PARTS_PER_WEEK),
]


def make_portal(*, staff=None, **fields) -> ResponsePortal:
    staff = staff or make_user(staff=True)
    values = {
        "title": "Covid-19 industrial clusters response",
        "slug": f"covid-19-{next(_numbers)}",
        "summary": "Supplies and production capacity for the Covid-19 pandemic.",
        "started_on": date(2020, 3, 16),
        "categories": PANDEMIC,
    }
    values.update(fields)
    return services.portal_open(user=staff, **values)


def make_member_org(**fields):
    """A published organisation with an admin; returns (organisation, admin user)."""
    admin = make_user()
    organisation = make_organisation(admin=admin, status=ModerationStatus.PUBLISHED, **fields)
    return organisation, admin


def make_listing(
    portal: ResponsePortal,
    *,
    user,
    organisation,
    side: str = Side.OFFER,
    category: str = "FFP2 masks",
    quantity: int = 10_000,
    region: str | None = "FI1B",
    **fields,
) -> SupplyListing:
    nuts = NutsRegion.objects.get(code=region) if region else None
    values = {
        "category": portal.categories.get(name=category),
        "item": "FFP2 respirator masks" if category == "FFP2 masks" else category,
        "quantity": quantity,
        "unit": portal.categories.get(name=category).default_unit,
        "certification": "EN 149:2001+A1:2009" if category == "FFP2 masks" else "",
        "country": Country.objects.get(code=nuts.country_id if nuts else "FI"),
        "nuts_region": nuts,
    }
    if side == Side.REQUEST:
        values["needed_by"] = timezone.localdate() + timedelta(days=10)
    values.update(fields)
    return services.listing_create(
        user=user, portal=portal, organisation=organisation, side=side, **values
    )
