"""Allocation under concurrent confirmations, on PostgreSQL (SQLite serialises writers anyway)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clustercollab.response import services
from clustercollab.response.models import MatchStatus, Side, SupplyListing, SupplyMatch
from clustercollab.response.tests.factories import make_listing, make_member_org, make_portal

ATTEMPTS = 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_allocation_never_exceeds_the_offer_under_concurrent_confirmations(taxonomies):
    portal = make_portal()
    offerer_org, offerer = make_member_org(name="Mask Makers Cluster")
    offer = make_listing(portal, user=offerer, organisation=offerer_org, quantity=10_000)
    matches = []
    for number in range(ATTEMPTS):
        org, admin = make_member_org(name=f"Hospital Network {number}")
        request = make_listing(
            portal, user=admin, organisation=org, side=Side.REQUEST, quantity=300, region="FI1C"
        )
        matches.append(
            services.match_propose(user=admin, own=request, counterpart=offer, quantity=300)
        )

    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def confirm(match: SupplyMatch) -> None:
        try:
            barrier.wait()
            services.match_confirm(user=offerer, match=match)
            outcomes.append("confirmed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(m,)) for m in matches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    offer.refresh_from_db()
    confirmed = SupplyMatch.objects.filter(offer=offer, status=MatchStatus.CONFIRMED).count()
    assert outcomes.count("confirmed") == confirmed == 10_000 // 300
    assert outcomes.count("refused") == ATTEMPTS - confirmed
    assert offer.allocated_quantity == 300 * confirmed <= offer.quantity
    fulfilled = SupplyListing.objects.filter(side=Side.REQUEST, allocated_quantity=300).count()
    assert fulfilled == confirmed
