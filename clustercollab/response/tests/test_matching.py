"""Offers and requests: ranking, proposals, confirmation and allocation, expiry."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clustercollab.core.models import AuditLogEntry
from clustercollab.organisations.tests.factories import make_user
from clustercollab.response import ranking, services
from clustercollab.response.models import ListingStatus, MatchStatus, Side, SupplyListing
from clustercollab.response.tests.factories import make_listing, make_member_org, make_portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """A portal; A offers 10,000 FFP2 masks in Helsinki-Uusimaa; B requests 4,000 next door."""
    portal = make_portal()
    a, a_admin = make_member_org(name="Uusimaa Health Tech Cluster")
    b, b_admin = make_member_org(name="South Finland Care Cluster")
    offer = make_listing(portal, user=a_admin, organisation=a, quantity=10_000, region="FI1B")
    request = make_listing(
        portal, user=b_admin, organisation=b, side=Side.REQUEST, quantity=4_000, region="FI1C"
    )
    return portal, (a, a_admin, offer), (b, b_admin, request)


def test_the_nearby_certified_offer_ranks_first(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    far, far_admin = make_member_org(name="Norte Textile Cluster")
    far_offer = make_listing(
        portal, user=far_admin, organisation=far, quantity=50_000, region="PT11"
    )
    uncertified = make_listing(
        portal, user=far_admin, organisation=far, quantity=8_000, region="FI1C", certification=""
    )

    ranked = ranking.ranked_counterparts(request)

    assert [r.listing for r in ranked] == [offer, uncertified, far_offer]
    assert ranked[0].distance_km < 200 < ranked[2].distance_km
    assert any("not certified" in reason for reason in ranked[1].reasons)
    # The reverse direction: the offer sees the request.
    assert [r.listing for r in ranking.ranked_counterparts(offer)] == [request]


def test_other_categories_own_listings_and_expired_offers_are_not_candidates(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    gloves = make_listing(portal, user=a_admin, organisation=a, category="Medical gloves")
    own_offer = make_listing(portal, user=b_admin, organisation=b, quantity=100)
    expired = make_listing(portal, user=a_admin, organisation=a, quantity=5_000)
    SupplyListing.objects.filter(pk=expired.pk).update(
        available_until=timezone.localdate() - timedelta(days=1)
    )

    candidates = [r.listing for r in ranking.ranked_counterparts(request)]

    assert offer in candidates
    assert gloves not in candidates and own_offer not in candidates and expired not in candidates
    assert services.expire_listings() == 1
    expired.refresh_from_db()
    assert expired.status == ListingStatus.EXPIRED


def test_both_confirm_and_the_allocation_is_recorded(scene, django_capture_on_commit_callbacks):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_propose(
            user=b_admin, own=request, counterpart=offer, quantity=4_000, message="We need them."
        )
    # The proposal opens a conversation; only A, the side that did not propose, is told.
    assert [m.to for m in mail.outbox] == [[a_admin.email]]
    assert match.thread.initiator == b and match.thread.recipient == a
    first = match.thread.messages.get()
    assert "4000 pieces of “FFP2 respirator masks”" in first.body
    assert match.get_absolute_url() in first.body and first.body.endswith("We need them.")
    assert match.request_confirmed_at is not None and match.offer_confirmed_at is None
    assert offer.remaining == 10_000

    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_confirm(user=a_admin, match=match)

    offer.refresh_from_db()
    request.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert (offer.remaining, offer.status) == (6_000, ListingStatus.PARTLY_MATCHED)
    assert (request.remaining, request.status) == (0, ListingStatus.FULFILLED)
    assert sorted(mail.outbox[-1].to) == sorted([a_admin.email, b_admin.email])
    assert AuditLogEntry.objects.filter(action="response.match.confirmed").count() == 1
    # A fulfilled request drops out of the offer's ranking.
    assert ranking.ranked_counterparts(offer) == []


def test_a_confirmation_beyond_what_remains_fails_and_changes_nothing(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    c, c_admin = make_member_org(name="Baltic Hospitals Network")
    big = make_listing(
        portal, user=c_admin, organisation=c, side=Side.REQUEST, quantity=7_000, region="FI1D"
    )
    first = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=4_000)
    second = services.match_propose(user=c_admin, own=big, counterpart=offer, quantity=7_000)
    services.match_confirm(user=a_admin, match=first)

    with pytest.raises(ValidationError, match="Only 6000 pieces remain"):
        services.match_confirm(user=a_admin, match=second)

    offer.refresh_from_db()
    big.refresh_from_db()
    second.refresh_from_db()
    assert offer.allocated_quantity == 4_000
    assert big.allocated_quantity == 0
    assert second.status == MatchStatus.PROPOSED and second.offer_confirmed_at is None


def test_only_the_two_organisations_may_act_on_a_match(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    match = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=1_000)
    outsider_org, outsider = make_member_org(name="Elsewhere Cluster")
    for action in (services.match_confirm, services.match_decline):
        with pytest.raises(PermissionDenied):
            action(user=outsider, match=match)
    with pytest.raises(PermissionDenied):
        services.match_message_post(user=outsider, match=match, body="Hello")
    with pytest.raises(PermissionDenied):
        services.match_propose(user=outsider, own=request, counterpart=offer, quantity=10)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert match.thread.messages.count() == 1  # the proposal's own message only


@pytest.mark.parametrize("quantity", [0, -5, 4_001])
def test_a_proposal_must_fit_both_listings(scene, quantity):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    with pytest.raises(ValidationError):
        services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=quantity)
    assert not request.as_request.exists()


def test_one_open_proposal_per_pair_and_decline_frees_it(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    match = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=100)
    with pytest.raises(ValidationError, match="already an open proposal"):
        services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=200)
    services.match_decline(user=a_admin, match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED
    again = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=200)
    assert again.status == MatchStatus.PROPOSED


def test_withdrawn_listings_cancel_their_open_proposals(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    match = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=100)
    with pytest.raises(PermissionDenied):
        services.listing_withdraw(user=b_admin, listing=offer)
    services.listing_withdraw(user=a_admin, listing=offer)
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.match_confirm(user=a_admin, match=match)


def test_a_closed_portal_is_read_only(scene):
    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    match = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=100)
    services.portal_set_status(user=make_user(staff=True), portal=portal, status="closed")
    portal.refresh_from_db()
    offer.portal.refresh_from_db()

    with pytest.raises(ValidationError, match="closed"):
        make_listing(portal, user=a_admin, organisation=a)
    with pytest.raises(ValidationError, match="closed"):
        services.match_confirm(user=a_admin, match=match)
    with pytest.raises(ValidationError, match="closed"):
        services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=5)
    assert portal.listings.count() == 2
    offer.refresh_from_db()
    assert offer.allocated_quantity == 0


def test_urgent_unmatched_requests_reach_staff_daily(scene):
    from clustercollab.response.tasks import send_urgent_requests_summary

    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    staff = make_user(staff=True)
    today = timezone.localdate()

    # Needed in ten days: not urgent yet today, urgent five days from now.
    assert send_urgent_requests_summary.call(today=today.isoformat()) == 0
    assert mail.outbox == []
    in_five_days = (today + timedelta(days=5)).isoformat()
    assert send_urgent_requests_summary.call(today=in_five_days) >= 1
    assert staff.email in mail.outbox[-1].to
    assert "4000 pieces FFP2 respirator masks" in mail.outbox[-1].body

    # Once covered, it is no longer listed.
    match = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=4_000)
    services.match_confirm(user=a_admin, match=match)
    mail.outbox.clear()
    assert send_urgent_requests_summary.call(today=in_five_days) == 0


def test_an_organisation_that_blocked_the_other_gets_no_proposal_from_it(scene):
    from clustercollab.partnering.models import OrganisationBlock

    portal, (a, a_admin, offer), (b, b_admin, request) = scene
    OrganisationBlock.objects.create(blocker=a, blocked=b)
    with pytest.raises(ValidationError, match="does not accept messages"):
        services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=100)
    assert not request.as_request.exists()
    assert mail.outbox == []
