"""Pages, forms, forum, exports and API of the response portals, through the test client."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clustercollab.core.models import AuditLogEntry
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_user
from clustercollab.response import services
from clustercollab.response.models import ForumPost, ResponsePortal, Side, SupplyListing
from clustercollab.response.tests.factories import make_listing, make_member_org, make_portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    return make_portal()


@pytest.fixture
def member(client):
    organisation, admin = make_member_org(name="Savonia Medtech Cluster")
    client.force_login(admin)
    return organisation, admin


def _listing_form(portal, organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "category": portal.categories.get(name="FFP2 masks").pk,
        "item": "FFP2 masks, CE marked",
        "quantity": "4000",
        "unit": "pieces",
        "certification": "EN 149",
        "country": "FI",
        "region_code": "FI1D",
        "needed_by": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    data.update(overrides)
    return data


def test_staff_open_a_portal_with_its_categories(client):
    client.force_login(make_user(staff=True))
    response = client.post(
        reverse("response:portal_create"),
        {
            "title": "Covid-19 response",
            "slug": "covid-19",
            "summary": "Masks, gloves and ventilators.",
            "started_on": "2020-03-16",
            "categories": "FFP2 masks | pieces\nGloves | pairs\n\nLogistics | truckloads",
        },
    )
    portal = ResponsePortal.objects.get(slug="covid-19")
    assert response.status_code == 302 and response["Location"] == portal.get_absolute_url()
    assert list(portal.categories.values_list("name", "default_unit")) == [
        ("FFP2 masks", "pieces"),
        ("Gloves", "pairs"),
        ("Logistics", "truckloads"),
    ]
    assert AuditLogEntry.objects.filter(action="response.portal.opened").exists()


def test_members_cannot_open_portals(client, member):
    response = client.get(reverse("response:portal_create"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not ResponsePortal.objects.exists()


def test_a_member_posts_a_request_and_it_is_listed(client, portal, member):
    organisation, admin = member
    url = reverse("response:listing_create", args=[portal.slug, "request"])
    response = client.post(url, _listing_form(portal, organisation))
    listing = SupplyListing.objects.get()
    assert response.status_code == 302 and response["Location"] == listing.get_absolute_url()
    assert (listing.side, listing.nuts_region_id, listing.quantity) == ("request", "FI1D", 4000)

    page = client.get(reverse("response:listings", args=[portal.slug]) + "?side=request")
    assert "FFP2 masks, CE marked" in page.content.decode()
    landing = client.get(portal.get_absolute_url()).content.decode()
    assert "<strong>1</strong> request" in landing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": "0"}, "Enter a quantity above zero."),
        ({"quantity": "-40"}, "Enter a quantity above zero."),
        ({"unit": "bushels"}, "Select a valid choice."),
        ({"needed_by": "2020-01-01"}, "The date you need it by is in the past."),
        ({"region_code": "ZZ99"}, "There is no NUTS region with the code ZZ99."),
        ({"region_code": "DE21"}, "This region is not in the chosen country."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client, portal, member, overrides, message
):
    organisation, admin = member
    url = reverse("response:listing_create", args=[portal.slug, "request"])
    response = client.post(url, _listing_form(portal, organisation, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "FFP2 masks, CE marked" in response.content.decode()  # what was typed is kept
    assert not SupplyListing.objects.exists()


def test_nobody_posts_for_an_organisation_they_do_not_belong_to(client, portal, member):
    other, _ = make_member_org(name="Someone Else Cluster")
    url = reverse("response:listing_create", args=[portal.slug, "offer"])
    response = client.post(url, _listing_form(portal, other, needed_by=""))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SupplyListing.objects.exists()


def test_a_closed_portal_shows_everything_and_accepts_nothing(client, portal, member):
    organisation, admin = member
    make_listing(portal, user=admin, organisation=organisation)
    services.portal_set_status(user=make_user(staff=True), portal=portal, status="closed")

    landing = client.get(portal.get_absolute_url()).content.decode()
    assert "This portal is closed" in landing and "FFP2 respirator masks" in landing
    response = client.post(
        reverse("response:listing_create", args=[portal.slug, "offer"]),
        _listing_form(portal, organisation, needed_by=""),
        follow=True,
    )
    assert "can be read but not changed" in response.content.decode()
    assert SupplyListing.objects.count() == 1
    response = client.post(
        reverse("response:post_create", args=[portal.slug]),
        {"organisation": organisation.pk, "category": "can_help", "title": "T", "body": "B"},
    )
    assert not ForumPost.objects.exists()


def test_the_match_thread_is_private_to_the_two_organisations(client, portal):
    a, a_admin = make_member_org(name="Offering Cluster")
    b, b_admin = make_member_org(name="Requesting Cluster")
    c, c_admin = make_member_org(name="Curious Cluster")
    offer = make_listing(portal, user=a_admin, organisation=a)
    request = make_listing(portal, user=b_admin, organisation=b, side=Side.REQUEST, quantity=50)
    client.force_login(b_admin)
    response = client.post(
        reverse("response:match_propose", args=[portal.slug, offer.pk]),
        {"own": request.pk, "quantity": "50", "message": "Can you ship to Kuopio?"},
    )
    match = request.as_request.get()
    assert response["Location"] == match.get_absolute_url()
    assert "Can you ship to Kuopio?" in client.get(match.get_absolute_url()).content.decode()

    client.force_login(c_admin)
    assert client.get(match.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("response:match_confirm", args=[portal.slug, match.pk])).status_code
        == 404
    )
    assert "Can you ship" not in client.get(offer.get_absolute_url()).content.decode()
    assert client.get("/api/v1/response/matches/").json()["results"] == []
    client.logout()
    assert client.get(match.get_absolute_url()).status_code == 302  # to the login page

    client.force_login(a_admin)
    client.post(reverse("response:match_confirm", args=[portal.slug, match.pk]))
    offer.refresh_from_db()
    assert offer.remaining == 9_950


def test_forum_posts_are_moderated_and_followers_hear_of_comments(
    client, portal, member, django_capture_on_commit_callbacks
):
    organisation, admin = member
    response = client.post(
        reverse("response:post_create", args=[portal.slug]),
        {
            "organisation": organisation.pk,
            "category": "best_practice",
            "title": "Converting a textile line to masks",
            "body": "What we learned in three weeks.",
        },
    )
    post = ForumPost.objects.get()
    assert post.status == ModerationStatus.SUBMITTED
    assert response["Location"] == post.get_absolute_url()
    client.logout()
    assert (
        "Converting a textile"
        not in client.get(reverse("response:forum", args=[portal.slug])).content.decode()
    )
    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/response/forum-posts/").json()["results"] == []

    staff = make_user(staff=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("response:post_moderate", args=[portal.slug, post.pk]),
            {"transition": "publish"},
        )
    post.refresh_from_db()
    assert post.is_public
    assert mail.outbox[-1].to == [admin.email]

    commenter_org, commenter = make_member_org(name="Commenting Cluster")
    client.force_login(commenter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            post.get_absolute_url(), {"organisation": commenter_org.pk, "body": "Thank you!"}
        )
    assert [m.to for m in mail.outbox] == [[admin.email]]  # the author follows; not the commenter

    client.force_login(admin)
    client.post(reverse("response:post_follow", args=[portal.slug, post.pk]), {"follow": "0"})
    mail.outbox.clear()
    client.force_login(commenter)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post.get_absolute_url(), {"organisation": commenter_org.pk, "body": "More"})
    assert mail.outbox == []
    client.logout()
    assert "Thank you!" in client.get(post.get_absolute_url()).content.decode()


def test_exports_for_authorities_by_region(client, portal):
    a, a_admin = make_member_org(name="Offering Cluster")
    b, b_admin = make_member_org(name="Requesting Cluster")
    offer = make_listing(portal, user=a_admin, organisation=a, region="FI1B")
    make_listing(portal, user=a_admin, organisation=a, region="PT11", item="Masks from Porto")
    request = make_listing(portal, user=b_admin, organisation=b, side=Side.REQUEST, quantity=300)
    match = services.match_propose(user=b_admin, own=request, counterpart=offer, quantity=300)
    services.match_confirm(user=a_admin, match=match)

    url = reverse("response:export_listings", args=[portal.slug, "offer"])
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    assert {(r["item"], r["nuts2"], r["remaining"]) for r in rows} == {
        ("FFP2 respirator masks", "FI1B", "9700"),
        ("Masks from Porto", "PT11", "10000"),
    }
    finnish = b"".join(client.get(url + "?region=FI1").streaming_content).decode()
    assert "Porto" not in finnish and "FI1B" in finnish
    bad = client.get(url + "?region=XX42")
    assert bad.status_code == 400 and "There is no NUTS region with the code XX42." in bad.text

    matches_url = reverse("response:export_matches", args=[portal.slug])
    assert client.get(matches_url).status_code == 302  # staff only
    client.force_login(make_user(staff=True))
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get(matches_url).streaming_content).decode()))
    )
    assert [(r["quantity"], r["offer_nuts2"], r["request_nuts2"]) for r in rows] == [
        ("300", "FI1B", "FI1B")
    ]


def test_api_lists_listings_with_filters_and_rejects_bad_ones(client, portal):
    a, a_admin = make_member_org(name="Offering Cluster")
    make_listing(portal, user=a_admin, organisation=a, region="FI1B")
    make_listing(portal, user=a_admin, organisation=a, region="PT11")
    body = client.get(f"/api/v1/response/listings/?portal={portal.slug}&country=PT").json()
    assert [row["region"] for row in body["results"]] == ["PT11"]
    assert client.get("/api/v1/response/listings/?side=gift").status_code == 400
    assert client.get("/api/v1/response/listings/?region=XX42").status_code == 400
    assert client.get("/api/v1/response/listings/?category=masks").status_code == 400
    portals = client.get("/api/v1/response/portals/").json()
    assert portals["results"][0]["slug"] == portal.slug


def test_map_and_landing_page_figures(client, portal):
    a, a_admin = make_member_org(name="Offering Cluster")
    make_listing(portal, user=a_admin, organisation=a, region="FI1B")
    make_listing(portal, user=a_admin, organisation=a, region=None)  # no place: not on the map
    data = client.get(reverse("response:portal_map", args=[portal.slug])).json()
    assert len(data["features"]) == 1
    assert data["features"][0]["properties"]["side"] == "offer"
    landing = client.get(portal.get_absolute_url()).content.decode()
    assert "<strong>2</strong> offers" in landing and "20,000" in landing


def test_unknown_portals_and_listings_are_404_not_500(client, portal):
    assert client.get("/response/no-such-crisis/").status_code == 404
    assert client.get(f"/response/{portal.slug}/supplies/999999/").status_code == 404
    assert client.get(f"/response/{portal.slug}/supplies/new/gift/").status_code == 302
    assert client.get(f"/response/{portal.slug}/supplies/?country=XX").status_code == 200


def test_a_proposal_with_bad_input_says_why_and_saves_nothing(client, portal):
    a, a_admin = make_member_org(name="Offering Cluster")
    b, b_admin = make_member_org(name="Requesting Cluster")
    offer = make_listing(portal, user=a_admin, organisation=a)
    request = make_listing(portal, user=b_admin, organisation=b, side=Side.REQUEST, quantity=50)
    client.force_login(b_admin)
    url = reverse("response:match_propose", args=[portal.slug, offer.pk])

    page = client.post(url, {"own": request.pk, "quantity": "51"}, follow=True).content.decode()
    assert "At most 50 can be matched between these two." in page
    page = client.post(url, {"own": "", "quantity": "5"}, follow=True).content.decode()
    assert "This field is required." in page
    assert not request.as_request.exists()


def test_only_validated_organisations_post_offers_and_requests(client, portal):
    from clustercollab.organisations.tests.factories import make_organisation

    admin = make_user()
    draft = make_organisation(admin=admin, name="Not Yet Validated Cluster")
    client.force_login(admin)
    url = reverse("response:listing_create", args=[portal.slug, "offer"])
    response = client.get(url, follow=True)
    assert "Only organisations with a validated, published profile" in response.content.decode()
    response = client.post(url, _listing_form(portal, draft, needed_by=""), follow=True)
    assert not SupplyListing.objects.exists()


def test_the_landing_page_shows_related_published_content_only(client, portal):
    from clustercollab.content.tests.factories import make_cast, post_news

    cast = make_cast()
    official = post_news(actor=cast.staff, organisation=None, title="Mask exports reopen")
    pending = post_news(
        actor=cast.editor, organisation=cast.organisation, submit=True, title="Not yet checked"
    )
    assert official.is_public and not pending.is_public
    portal.related_news.add(official, pending)

    landing = client.get(portal.get_absolute_url()).content.decode()
    assert "Mask exports reopen" in landing and official.get_absolute_url() in landing
    assert "Not yet checked" not in landing


def test_the_organisation_page_shows_its_open_listings(client, portal, member):
    organisation, admin = member
    before = client.get(organisation.get_absolute_url()).content.decode()
    assert "Crisis response: offers and requests" not in before
    make_listing(portal, user=admin, organisation=organisation, item="FFP2 masks for the page")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Crisis response: offers and requests" in page
    assert "FFP2 masks for the page" in page
