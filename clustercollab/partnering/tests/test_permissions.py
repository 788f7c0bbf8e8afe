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
    Message,
    OrganisationBlock,
    PartnerPost,
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
