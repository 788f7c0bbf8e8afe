"""Strategic partnerships run on the site: proposed by a member organisation's admin, partners
invited (they accept or decline), validated by staff; their news and events; network members
kept by the network's own admins."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clustercollab.content.models import News
from clustercollab.content.tests.factories import post_news
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.graph import organisation_graph
from clustercollab.partnering.models import (
    MemberStatus,
    Network,
    NetworkMember,
    Partnership,
    PartnershipMember,
)

pytestmark = pytest.mark.django_db

FORM = {"name": "Nordic Wood Construction Partnership", "acronym": "NWCP", "programme": "escp_4i"}


@pytest.fixture
def cast():
    coordinator_admin, coordinator_editor = make_user(), make_user()
    coordinator = make_organisation(
        admin=coordinator_admin,
        editors=[coordinator_editor],
        status="published",
        latitude=62.6,
        longitude=29.76,
    )
    partner_admin, partner_editor = make_user(), make_user()
    partner = make_organisation(
        admin=partner_admin,
        editors=[partner_editor],
        status="published",
        latitude=59.33,
        longitude=18.07,
    )
    outsider_admin = make_user()
    outsider = make_organisation(admin=outsider_admin, status="published")
    return {
        "coordinator": coordinator,
        "coordinator_admin": coordinator_admin,
        "coordinator_editor": coordinator_editor,
        "partner": partner,
        "partner_admin": partner_admin,
        "partner_editor": partner_editor,
        "outsider": outsider,
        "outsider_admin": outsider_admin,
        "staff": make_user(staff=True),
    }


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _propose(cast):
    response = _client(cast["coordinator_admin"]).post(
        "/partnering/partnerships/new/", {**FORM, "coordinator": cast["coordinator"].pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Partnership.objects.get(name=FORM["name"])


def _invite(cast, partnership, *organisations, client=None):
    return (client or _client(cast["coordinator_admin"])).post(
        f"/partnering/partnerships/{partnership.pk}/invite/",
        {"organisations": "\n".join(o.get_absolute_url() for o in organisations)},
    )


def test_from_proposal_to_a_public_partnership(cast, commits):
    partnership = _propose(cast)
    assert partnership.status == ModerationStatus.DRAFT
    coordinator = partnership.memberships.get()
    assert (coordinator.organisation, coordinator.role) == (cast["coordinator"], "coordinator")
    # A draft is not public: neither listed nor reachable, but its members see it.
    assert FORM["name"] not in _client().get("/partnering/partnerships/").content.decode()
    assert _client().get(partnership.get_absolute_url()).status_code == 404
    assert _client(cast["outsider_admin"]).get(partnership.get_absolute_url()).status_code == 404
    assert (
        _client(cast["coordinator_editor"]).get(partnership.get_absolute_url()).status_code == 200
    )
    dashboard = _client(cast["coordinator_admin"]).get(reverse("organisations:dashboard"))
    assert partnership.get_absolute_url() in dashboard.content.decode()

    with commits():
        _invite(cast, partnership, cast["partner"], cast["outsider"])
    assert [m.to for m in mail.outbox] == [
        [cast["partner_admin"].email],
        [cast["outsider_admin"].email],
    ]
    invited = partnership.memberships.filter(status=MemberStatus.INVITED)
    assert invited.count() == 2
    # The invited organisations see the page and answer; the editor of one cannot.
    partner_invitation = invited.get(organisation=cast["partner"])
    page = _client(cast["partner_admin"]).get(partnership.get_absolute_url()).content.decode()
    assert "Accept the invitation" in page
    _client(cast["partner_editor"]).post(
        f"/partnering/partnerships/members/{partner_invitation.pk}/answer/", {"decision": "accept"}
    )
    assert PartnershipMember.objects.get(pk=partner_invitation.pk).status == MemberStatus.INVITED
    _client(cast["partner_admin"]).post(
        f"/partnering/partnerships/members/{partner_invitation.pk}/answer/", {"decision": "accept"}
    )
    assert PartnershipMember.objects.get(pk=partner_invitation.pk).status == MemberStatus.ACTIVE
    outsider_invitation = invited.get(organisation=cast["outsider"])
    _client(cast["outsider_admin"]).post(
        f"/partnering/partnerships/members/{outsider_invitation.pk}/answer/",
        {"decision": "decline"},
    )
    assert not PartnershipMember.objects.filter(pk=outsider_invitation.pk).exists()

    _client(cast["coordinator_admin"]).post(f"/partnering/partnerships/{partnership.pk}/submit/")
    partnership.refresh_from_db()
    assert partnership.status == ModerationStatus.SUBMITTED
    for queue_url in ("/partnering/moderation/", reverse("content:moderation_queue")):
        queue = _client(cast["staff"]).get(queue_url).content.decode()
        assert f"/partnering/partnerships/{partnership.pk}/moderate/" in queue
        assert FORM["name"] in queue

    mail.outbox.clear()
    with commits():
        _client(cast["staff"]).post(
            f"/partnering/partnerships/{partnership.pk}/moderate/", {"action": "publish"}
        )
    partnership.refresh_from_db()
    assert partnership.status == ModerationStatus.PUBLISHED
    assert mail.outbox[0].to == [cast["coordinator_admin"].email]
    assert FORM["name"] in _client().get("/partnering/partnerships/").content.decode()
    page = _client().get(partnership.get_absolute_url()).content.decode()
    assert cast["partner"].name in page and cast["outsider"].name not in page
    # Both members are on the map and on each other's organisation page.
    assert page.count('"lat"') == 2
    partner_page = _client().get(cast["partner"].get_absolute_url()).content.decode()
    assert FORM["name"] in partner_page


def test_an_edit_of_a_public_partnership_goes_back_to_staff(cast):
    partnership = _propose(cast)
    services.partnership_moderate(
        partnership=partnership, actor=cast["staff"], transition="publish"
    )
    edit_url = f"/partnering/partnerships/{partnership.pk}/edit/"
    _client(cast["coordinator_admin"]).post(edit_url, FORM)
    partnership.refresh_from_db()
    assert partnership.status == ModerationStatus.PUBLISHED  # nothing changed
    response = _client(cast["coordinator_admin"]).post(
        edit_url, {**FORM, "objectives": "Industrialised timber construction across the Nordics."}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == ModerationStatus.SUBMITTED
    assert partnership.objectives.startswith("Industrialised")
    assert _client().get(partnership.get_absolute_url()).status_code == 404


def test_invited_and_unvalidated_memberships_stay_off_public_pages_and_the_graph(cast):
    partnership = _propose(cast)
    services.partnership_invite(
        partnership=partnership, actor=cast["coordinator_admin"], organisations=[cast["partner"]]
    )
    assert Client().get(cast["coordinator"].get_absolute_url()).status_code == 200
    assert FORM["name"] not in Client().get(cast["coordinator"].get_absolute_url()).content.decode()
    assert organisation_graph()["edges"] == []
    services.partnership_moderate(
        partnership=partnership, actor=cast["staff"], transition="publish"
    )
    # Published, but the partner has not accepted: still no edge, and not listed for it.
    assert organisation_graph()["edges"] == []
    assert FORM["name"] not in Client().get(cast["partner"].get_absolute_url()).content.decode()
    api = Client().get(f"/api/v1/partnerships/{partnership.pk}/").json()
    assert [m["organisation"] for m in api["members"]] == [cast["coordinator"].pk]
    PartnershipMember.objects.filter(organisation=cast["partner"]).update(
        status=MemberStatus.ACTIVE
    )
    assert len(organisation_graph()["edges"]) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"end_date": "2024-01-01", "start_date": "2025-01-01"}, "cannot end before it starts"),
        ({"programme": "escp_9"}, "Select a valid choice"),
        ({"name": ""}, "This field is required"),
        ({"website": "not a site"}, "Enter a valid URL"),
    ],
)
def test_bad_partnership_input_is_refused(cast, data, message):
    response = _client(cast["coordinator_admin"]).post(
        "/partnering/partnerships/new/", {**FORM, "coordinator": cast["coordinator"].pk, **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Partnership.objects.exists()


def test_an_editor_or_an_admin_of_another_organisation_cannot_propose_for_it(cast):
    response = _client(cast["coordinator_editor"]).get("/partnering/partnerships/new/")
    assert response.status_code == 302
    response = _client(cast["outsider_admin"]).post(
        "/partnering/partnerships/new/", {**FORM, "coordinator": cast["coordinator"].pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Partnership.objects.exists()


def test_invitations_are_checked(cast):
    partnership = _propose(cast)
    hidden = make_organisation(status="draft")
    client = _client(cast["coordinator_admin"])
    for organisations, message in [
        ([cast["coordinator"]], "Already in this partnership"),
        ([hidden], "No public organisation has the number"),
    ]:
        response = _invite(cast, partnership, *organisations, client=client)
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert message in page
    response = client.post(
        f"/partnering/partnerships/{partnership.pk}/invite/", {"organisations": "nonsense"}
    )
    assert response.status_code == 302
    assert partnership.memberships.count() == 1


def test_the_coordinator_cannot_leave_and_partners_can(cast):
    partnership = _propose(cast)
    [invitation] = services.partnership_invite(
        partnership=partnership, actor=cast["coordinator_admin"], organisations=[cast["partner"]]
    )
    coordinator = partnership.memberships.get(role="coordinator")
    _client(cast["coordinator_admin"]).post(
        f"/partnering/partnerships/members/{coordinator.pk}/remove/"
    )
    assert PartnershipMember.objects.filter(pk=coordinator.pk).exists()
    _client(cast["partner_admin"]).post(f"/partnering/partnerships/members/{invitation.pk}/remove/")
    assert not PartnershipMember.objects.filter(pk=invitation.pk).exists()


# --- news and events ---------------------------------------------------------------------------


@pytest.fixture
def public_partnership(cast):
    partnership = Partnership.objects.create(
        name="Test Battery Partnership", programme="euroclusters", status="published"
    )
    PartnershipMember.objects.create(
        partnership=partnership, organisation=cast["coordinator"], role="coordinator"
    )
    return partnership


def _news_form(organisation, **fields):
    return {
        "posting_organisation": organisation.pk,
        "title": "Battery cluster opens a cell test line",
        "summary": "A test line for cells.",
        "body": "<p>Text</p>",
        "language": "en",
        **fields,
    }


def test_members_tag_their_news_with_their_partnership_and_it_shows_once_published(
    cast, public_partnership
):
    client = _client(cast["coordinator_editor"])
    form = client.get("/news/new/").content.decode()
    assert "Test Battery Partnership" in form
    response = client.post(
        "/news/new/", _news_form(cast["coordinator"], partnerships=[public_partnership.pk])
    )
    assert response.status_code == 302
    news = News.objects.get()
    assert list(news.partnerships.all()) == [public_partnership]
    url = public_partnership.get_absolute_url()
    # Not public until staff publish it.
    assert news.title not in Client().get(url).content.decode()
    news.status, news.published_at = ModerationStatus.PUBLISHED, timezone.now()
    news.save()
    assert news.title in Client().get(url).content.decode()
    # And the news item names its partnership.
    assert f'href="{url}"' in Client().get(news.get_absolute_url()).content.decode()


def test_an_organisation_outside_the_partnership_cannot_tag_it(cast, public_partnership):
    client = _client(cast["outsider_admin"])
    assert "Test Battery Partnership" not in client.get("/news/new/").content.decode()
    # A forged choice is ignored: the form has no partnerships field for this organisation.
    client.post("/news/new/", _news_form(cast["outsider"], partnerships=[public_partnership.pk]))
    assert not public_partnership.news.exists()


def test_a_member_of_two_organisations_tags_only_for_the_posting_one(cast, public_partnership):
    both = cast["coordinator_editor"]
    from clustercollab.organisations.models import Membership

    Membership.objects.create(user=both, organisation=cast["outsider"], role="editor")
    response = _client(both).post(
        "/news/new/", _news_form(cast["outsider"], partnerships=[public_partnership.pk])
    )
    assert "is not a member of" in response.content.decode()
    assert not News.objects.exists()


def test_the_partnership_page_lists_its_events(cast, public_partnership):
    from clustercollab.content.tests.factories import post_event

    event = post_event(
        actor=cast["staff"],
        organisation=None,
        title="Battery matchmaking day",
        m2m={"partnerships": [public_partnership]},
    )
    post_news(actor=cast["staff"], organisation=None, title="Untagged news")
    page = Client().get(public_partnership.get_absolute_url()).content.decode()
    assert event.title in page
    assert "Untagged news" not in page


# --- networks ----------------------------------------------------------------------------------


@pytest.fixture
def network(cast):
    """A national association whose directory profile is the outsider organisation."""
    return Network.objects.create(
        name="Test Cluster Association", scope="national", organisation=cast["outsider"]
    )


def test_the_network_admins_keep_the_member_list(cast, network):
    url = f"/partnering/networks/{network.pk}/members/"
    data = {"organisations": f"{cast['coordinator'].pk}\n{cast['partner'].get_absolute_url()}"}
    assert _client(cast["coordinator_admin"]).post(url, data).status_code == 403
    assert not network.memberships.exists()
    page = _client(cast["outsider_admin"]).get(network.get_absolute_url()).content.decode()
    assert "Add member organisations" in page
    _client(cast["outsider_admin"]).post(url, data)
    assert set(network.memberships.values_list("organisation_id", flat=True)) == {
        cast["coordinator"].pk,
        cast["partner"].pk,
    }
    # A member's own admin leaves; nobody else outside the network's admins may remove it.
    membership = network.memberships.get(organisation=cast["partner"])
    assert (
        _client(cast["coordinator_admin"])
        .post(f"/partnering/networks/members/{membership.pk}/remove/")
        .status_code
        == 403
    )
    _client(cast["partner_admin"]).post(f"/partnering/networks/members/{membership.pk}/remove/")
    assert not NetworkMember.objects.filter(pk=membership.pk).exists()
    # Memberships show on the organisation's page.
    assert network.name in Client().get(cast["coordinator"].get_absolute_url()).content.decode()


def test_a_network_refuses_a_member_twice(cast, network):
    NetworkMember.objects.create(network=network, organisation=cast["partner"])
    client = _client(cast["outsider_admin"])
    response = client.post(
        f"/partnering/networks/{network.pk}/members/", {"organisations": str(cast["partner"].pk)}
    )
    assert response.status_code == 302
    assert network.memberships.count() == 1
    page = client.get(response.url).content.decode()
    assert "Already a member" in page
