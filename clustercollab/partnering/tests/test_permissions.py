"""Every write of the partnering app, tried by a visitor, a member of another organisation,
an editor and an admin of the owning organisation, and platform staff."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clustercollab.core.models import AuditLogEntry
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    MemberStatus,
    Message,
    Network,
    NetworkMember,
    OrganisationBlock,
    PartnerPost,
    Partnership,
    PartnershipMember,
    PostStatus,
)
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db

ACTORS = ["visitor", "other_member", "editor", "admin", "staff"]
INTEREST = {"who_we_are": "Who", "what_we_offer": "What", "why_we_fit": "Why"}


@pytest.fixture
def world():
    admin, editor, other, staff = make_user(), make_user(), make_user(), make_user(staff=True)
    owner = make_organisation(admin=admin, editors=[editor], status="published")
    make_organisation(admin=other, status="published")
    partner_user = make_user()
    partner = make_organisation(admin=partner_user, status="published")
    return {
        "users": {"other_member": other, "editor": editor, "admin": admin, "staff": staff},
        "owner": owner,
        "partner": partner,
        "partner_user": partner_user,
    }


def _client(world, actor):
    client = Client()
    if actor != "visitor":
        client.force_login(world["users"][actor])
    return client


def _post_form(organisation):
    return {
        "organisation": organisation.pk,
        "post_type": "TO",
        "title": "Sensor for moisture in timber",
        "summary": "Short summary.",
        "partnership_types": ["licence"],
        "deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }


# Each write: how to prepare it, the request, and whether it took effect.
def _create(world):
    return (
        "post",
        "/partnering/posts/new/",
        _post_form(world["owner"]),
        (lambda: PartnerPost.objects.filter(title="Sensor for moisture in timber").exists()),
    )


def _edit(world):
    post = make_post(world["owner"], status=PostStatus.DRAFT)
    data = {k: v for k, v in _post_form(world["owner"]).items() if k != "organisation"}
    return (
        "post",
        f"/partnering/posts/{post.pk}/edit/",
        data,
        (lambda: PartnerPost.objects.get(pk=post.pk).title == "Sensor for moisture in timber"),
    )


def _submit(world):
    post = make_post(world["owner"], status=PostStatus.DRAFT)
    return (
        "post",
        f"/partnering/posts/{post.pk}/submit/",
        {},
        (lambda: PartnerPost.objects.get(pk=post.pk).status == PostStatus.SUBMITTED),
    )


def _renew(world):
    post = make_post(world["owner"])
    return (
        "post",
        f"/partnering/posts/{post.pk}/renew/",
        {},
        (lambda: PartnerPost.objects.get(pk=post.pk).renewed_at is not None),
    )


def _archive(world):
    post = make_post(world["owner"])
    return (
        "post",
        f"/partnering/posts/{post.pk}/archive/",
        {},
        (lambda: PartnerPost.objects.get(pk=post.pk).status == PostStatus.ARCHIVED),
    )


def _decide(world):
    post = make_post(world["owner"])
    interest = services.interest_create(
        post=post, organisation=world["partner"], actor=world["partner_user"], **INTEREST
    )
    return (
        "post",
        f"/partnering/interests/{interest.pk}/decide/",
        {"decision": "accept"},
        (lambda: ExpressionOfInterest.objects.get(pk=interest.pk).status == "accepted"),
    )


def _thread(world):
    return services.thread_start(
        sender=world["partner"],
        recipient=world["owner"],
        actor=world["partner_user"],
        subject="Hello",
        body="First message",
    )


def _message(world):
    thread = _thread(world)
    return (
        "post",
        f"/partnering/threads/{thread.pk}/",
        {"body": "Reply"},
        (lambda: Message.objects.filter(thread=thread).count() == 2),
    )


def _share(world):
    thread = _thread(world)
    return (
        "post",
        f"/partnering/threads/{thread.pk}/share/",
        {},
        (lambda: ContactThread.objects.get(pk=thread.pk).recipient_shares_contact),
    )


def _block(world):
    thread = _thread(world)
    return (
        "post",
        f"/partnering/threads/{thread.pk}/block/",
        {},
        (lambda: OrganisationBlock.objects.filter(blocker=world["owner"]).exists()),
    )


def _report(world):
    thread = _thread(world)
    return (
        "post",
        f"/partnering/threads/{thread.pk}/report/",
        {"reason": "Spam"},
        (lambda: ContactThread.objects.get(pk=thread.pk).reported_at is not None),
    )


def _unblock(world):
    thread = _thread(world)
    services.organisation_block(thread=thread, actor=world["users"]["admin"])
    return (
        "post",
        f"/partnering/threads/{thread.pk}/block/",
        {"unblock": "1"},
        (lambda: not OrganisationBlock.objects.filter(blocker=world["owner"]).exists()),
    )


def _moderate(world):
    post = make_post(world["owner"], status=PostStatus.SUBMITTED)
    return (
        "post",
        f"/partnering/moderation/{post.pk}/",
        {"action": "publish"},
        (lambda: PartnerPost.objects.get(pk=post.pk).status == PostStatus.PUBLISHED),
    )


def _api_create(world):
    data = _post_form(world["owner"])
    data["partnership_types"] = ["licence"]
    return (
        "api_post",
        "/api/v1/partner-posts/",
        data,
        (lambda: PartnerPost.objects.filter(title="Sensor for moisture in timber").exists()),
    )


def _api_update(world):
    post = make_post(world["owner"])
    return (
        "api_patch",
        f"/api/v1/partner-posts/{post.pk}/",
        {"title": "Changed by API"},
        (lambda: PartnerPost.objects.get(pk=post.pk).title == "Changed by API"),
    )


OWNER_WRITES = {
    "create": _create,
    "edit": _edit,
    "submit": _submit,
    "renew": _renew,
    "archive": _archive,
    "decide_interest": _decide,
    "send_message": _message,
    "share_contact": _share,
    "block_sender": _block,
    "unblock_sender": _unblock,
    "report_thread": _report,
    "api_create": _api_create,
    "api_update": _api_update,
}
ALLOWED = {"visitor": False, "other_member": False, "editor": True, "admin": True, "staff": False}


def _send(client, method, url, data):
    if method == "api_post":
        return client.post(url, json.dumps(data), content_type="application/json")
    if method == "api_patch":
        return client.patch(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("write", list(OWNER_WRITES))
def test_owner_writes(world, write, actor):
    method, url, data, took_effect = OWNER_WRITES[write](world)
    audit_before = AuditLogEntry.objects.count()
    response = _send(_client(world, actor), method, url, data)
    assert response.status_code != 500
    if ALLOWED[actor]:
        assert took_effect(), (write, actor, response.status_code)
    else:
        assert not took_effect(), (write, actor)
        assert AuditLogEntry.objects.count() == audit_before
        if actor == "visitor":
            assert response.status_code in (302, 401, 403)
            if response.status_code == 302:
                assert "/accounts/login/" in response.url
        elif write == "create":
            # The organisation is not among the choices: the form says so (or, for someone in
            # no organisation, the dashboard explains why first).
            assert response.status_code in (200, 302, 400), (write, actor, response.status_code)
        else:
            # Another organisation's objects are hidden, or (for a published post in the API)
            # visible but not writable.
            assert response.status_code in (401, 403, 404), (write, actor, response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_staff_moderate(world, actor):
    method, url, data, took_effect = _moderate(world)
    response = _send(_client(world, actor), method, url, data)
    assert took_effect() == (actor == "staff")
    if actor != "staff":
        assert response.status_code == 302 and "login" in response.url


# Writes open to members of any other organisation (the point of partnering).
def _interest(world):
    post = make_post(world["partner"])
    return (
        "post",
        f"/partnering/posts/{post.pk}/interest/",
        {
            "organisation": world["owner"].pk,
            **INTEREST,
        },
        lambda: ExpressionOfInterest.objects.filter(post=post).exists(),
    )


def _comment(world):
    post = make_post(world["partner"])
    return (
        "post",
        f"/partnering/posts/{post.pk}/comments/",
        {
            "organisation": world["owner"].pk,
            "body": "Interesting",
        },
        lambda: post.comments.exists(),
    )


def _contact(world):
    return (
        "post",
        f"/partnering/contact/{world['partner'].pk}/",
        {
            "sender": world["owner"].pk,
            "subject": "Hello",
            "body": "Shall we?",
        },
        lambda: ContactThread.objects.filter(recipient=world["partner"]).exists(),
    )


def _follow(world):
    post = make_post(world["partner"])
    return "post", f"/partnering/posts/{post.pk}/follow/", {}, lambda: post.follows.exists()


MEMBER_WRITES = {"interest": _interest, "comment": _comment, "contact": _contact, "follow": _follow}
# Acting for the owner organisation: its editor and admin may; staff and others are no members.
MEMBER_ALLOWED = {
    "visitor": False,
    "other_member": False,
    "editor": True,
    "admin": True,
    "staff": False,
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("write", list(MEMBER_WRITES))
def test_member_writes_on_behalf_of_an_organisation(world, write, actor):
    method, url, data, took_effect = MEMBER_WRITES[write](world)
    response = _send(_client(world, actor), method, url, data)
    assert response.status_code != 500
    if write == "follow":
        # Any logged-in person may follow a published post.
        assert took_effect() == (actor != "visitor")
    else:
        assert took_effect() == MEMBER_ALLOWED[actor], (write, actor)
    if actor == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response.url


# Partnerships and networks are run by the admins of an organisation (editors post content
# but do not commit their organisation to a partnership or a network's member list).
def _partnership(world, coordinator=None, status="draft"):
    partnership = Partnership.objects.create(
        name="Test Timber Partnership", programme="escp_4x", status=status
    )
    PartnershipMember.objects.create(
        partnership=partnership, organisation=coordinator or world["owner"], role="coordinator"
    )
    return partnership


def _partnership_create(world):
    return (
        "post",
        "/partnering/partnerships/new/",
        {"coordinator": world["owner"].pk, "name": "Baltic Blue Growth", "programme": "other"},
        lambda: Partnership.objects.filter(name="Baltic Blue Growth").exists(),
    )


def _partnership_edit(world):
    partnership = _partnership(world)
    return (
        "post",
        f"/partnering/partnerships/{partnership.pk}/edit/",
        {"name": "Renamed", "programme": "other"},
        lambda: Partnership.objects.get(pk=partnership.pk).name == "Renamed",
    )


def _partnership_submit(world):
    partnership = _partnership(world)
    return (
        "post",
        f"/partnering/partnerships/{partnership.pk}/submit/",
        {},
        lambda: Partnership.objects.get(pk=partnership.pk).status == "submitted",
    )


def _partnership_invite(world):
    partnership = _partnership(world)
    return (
        "post",
        f"/partnering/partnerships/{partnership.pk}/invite/",
        {"organisations": str(world["partner"].pk)},
        lambda: partnership.memberships.filter(organisation=world["partner"]).exists(),
    )


def _partnership_remove(world):
    partnership = _partnership(world)
    member = PartnershipMember.objects.create(
        partnership=partnership, organisation=world["partner"]
    )
    return (
        "post",
        f"/partnering/partnerships/members/{member.pk}/remove/",
        {},
        lambda: not PartnershipMember.objects.filter(pk=member.pk).exists(),
    )


def _invitation_answer(world):
    # The partner's partnership invites the owner organisation: the owner's admin answers.
    partnership = _partnership(world, coordinator=world["partner"])
    invitation = PartnershipMember.objects.create(
        partnership=partnership, organisation=world["owner"], status=MemberStatus.INVITED
    )
    return (
        "post",
        f"/partnering/partnerships/members/{invitation.pk}/answer/",
        {"decision": "accept"},
        lambda: PartnershipMember.objects.get(pk=invitation.pk).status == MemberStatus.ACTIVE,
    )


def _network(world):
    return Network.objects.create(
        name="Test Cluster Association", scope="national", organisation=world["owner"]
    )


def _network_add(world):
    network = _network(world)
    return (
        "post",
        f"/partnering/networks/{network.pk}/members/",
        {"organisations": str(world["partner"].pk)},
        lambda: network.memberships.exists(),
    )


def _network_remove(world):
    member = NetworkMember.objects.create(network=_network(world), organisation=world["partner"])
    return (
        "post",
        f"/partnering/networks/members/{member.pk}/remove/",
        {},
        lambda: not NetworkMember.objects.filter(pk=member.pk).exists(),
    )


ADMIN_WRITES = {
    "partnership_create": _partnership_create,
    "partnership_edit": _partnership_edit,
    "partnership_submit": _partnership_submit,
    "partnership_invite": _partnership_invite,
    "partnership_remove_member": _partnership_remove,
    "partnership_answer_invitation": _invitation_answer,
    "network_add_members": _network_add,
    "network_remove_member": _network_remove,
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("write", list(ADMIN_WRITES))
def test_admin_writes(world, write, actor):
    method, url, data, took_effect = ADMIN_WRITES[write](world)
    audit_before = AuditLogEntry.objects.count()
    response = _send(_client(world, actor), method, url, data)
    assert response.status_code != 500
    assert took_effect() == (actor == "admin"), (write, actor, response.status_code)
    if actor == "admin":
        return
    assert AuditLogEntry.objects.count() == audit_before
    if actor == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    elif write == "partnership_create":
        # Not an admin of the organisation: it is not among the choices, or the member is
        # sent back because they administer no organisation.
        assert response.status_code in (200, 302)
    else:
        assert response.status_code in (403, 404), (write, actor, response.status_code)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_staff_validate_partnerships(world, actor):
    partnership = _partnership(world, status="submitted")
    response = _send(
        _client(world, actor),
        "post",
        f"/partnering/partnerships/{partnership.pk}/moderate/",
        {"action": "publish"},
    )
    published = Partnership.objects.get(pk=partnership.pk).status == "published"
    assert published == (actor == "staff")
    if actor != "staff":
        assert response.status_code == 302 and "login" in response.url
