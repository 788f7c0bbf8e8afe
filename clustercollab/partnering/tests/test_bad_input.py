"""Bad input gets a clear message, keeps what was typed and saves nothing."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    Message,
    Network,
    PartnerPost,
    Partnership,
    PostStatus,
)
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = make_user()
    organisation = make_organisation(admin=user, status="published")
    client.force_login(user)
    return user, organisation


def _form(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "post_type": "TR",
        "title": "Recycled carbon fibre for bicycle frames",
        "summary": "We seek recycled carbon fibre suppliers.",
        "partnership_types": ["supplier"],
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"summary": "x" * 501}, "at most 500 characters"),
        ({"technology_keywords": "a, b, c, d, e, f"}, "at most 5 keywords (you gave 6)"),
        ({"market_keywords": "a, b, c, d, e, f"}, "at most 5 keywords (you gave 6)"),
        (
            {"deadline": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "deadline cannot be in the past",
        ),
        ({"partnership_types": []}, "This field is required"),
        ({"post_type": "RD"}, "name the funding call"),
        ({"post_type": "RD", "funding_call": "NOT-A-CALL-01"}, "No published funding call"),
    ],
)
def test_the_post_form_refuses_bad_input(client, member, overrides, message):
    _user, organisation = member
    response = client.post("/partnering/posts/new/", _form(organisation, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Recycled carbon fibre for bicycle frames" in page  # what was typed is kept
    assert not PartnerPost.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"summary": "x" * 501}, "summary", "500"),
        ({"technology_keywords": list("abcdef")}, "technology_keywords", "at most 5 keywords"),
        ({"market_keywords": list("abcdef")}, "market_keywords", "at most 5 keywords"),
        (
            {"deadline": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "deadline",
            "in the past",
        ),
        ({"post_type": "RD"}, "funding_call_identifier", "name the funding call"),
        ({"post_type": "RD", "funding_call": 987654}, "funding_call", "does not exist"),
    ],
)
def test_the_api_refuses_bad_input(client, member, overrides, field, message):
    _user, organisation = member
    data = _form(organisation, **overrides)
    response = client.post(
        "/api/v1/partner-posts/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 400
    assert message in json.dumps(response.json()["errors"][field])
    assert not PartnerPost.objects.exists()


def test_the_service_refuses_six_keywords_whatever_the_caller(member):
    user, organisation = member
    post = PartnerPost(
        **{k: v for k, v in _form(organisation).items() if k != "organisation"},
        organisation=organisation,
        technology_keywords=list("abcdef"),
    )
    post.deadline = timezone.localdate() + timedelta(days=3)
    with pytest.raises(Exception, match="at most 5 keywords"):
        services.post_save(post=post, actor=user)
    assert not PartnerPost.objects.exists()


def test_no_interest_in_an_expired_post(client, member):
    _user, organisation = member
    owner_org = make_organisation(status="published")
    post = make_post(owner_org)
    services.expire_partner_posts(now=post.expires_at)
    response = client.post(
        f"/partnering/posts/{post.pk}/interest/",
        {
            "organisation": organisation.pk,
            "who_we_are": "x",
            "what_we_offer": "y",
            "why_we_fit": "z",
        },
    )
    assert response.status_code == 404  # an expired post is no longer public
    # Even where the post is still reachable (a stale form), the service refuses it.
    post.refresh_from_db()
    with pytest.raises(Exception, match="no longer open"):
        services.interest_create(
            post=post,
            organisation=organisation,
            actor=_user,
            who_we_are="x",
            what_we_offer="y",
            why_we_fit="z",
        )
    assert not ExpressionOfInterest.objects.exists()


def test_no_interest_once_the_deadline_passed_even_if_not_yet_expired(member):
    user, organisation = member
    post = make_post(make_organisation(status="published"))
    PartnerPost.objects.filter(pk=post.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    post.refresh_from_db()
    with pytest.raises(Exception, match="deadline for expressions of interest has passed"):
        services.interest_create(
            post=post,
            organisation=organisation,
            actor=user,
            who_we_are="x",
            what_we_offer="y",
            why_we_fit="z",
        )
    assert not ExpressionOfInterest.objects.exists()


def test_messages_past_the_rate_limit_are_refused(client, member, settings):
    settings.PARTNERING_RATE_LIMITS = True
    settings.PARTNERING_MESSAGES_PER_HOUR = 3
    user, organisation = member
    recipient = make_organisation(status="published")
    thread = services.thread_start(
        sender=organisation, recipient=recipient, actor=user, subject="Hello", body="1"
    )
    client.post(f"/partnering/threads/{thread.pk}/", {"body": "2"})
    client.post(f"/partnering/threads/{thread.pk}/", {"body": "3"})
    response = client.post(f"/partnering/threads/{thread.pk}/", {"body": "Fourth message"})
    page = response.content.decode()
    assert "at most 3 messages per hour" in page
    assert "Fourth message" in page  # kept in the form
    assert Message.objects.count() == 3
    response = client.post(
        f"/partnering/contact/{recipient.pk}/",
        {"sender": organisation.pk, "subject": "New thread", "body": "Hi"},
    )
    assert "at most 3 messages per hour" in response.content.decode()
    assert ContactThread.objects.count() == 1
    # An hour later the user may write again.
    Message.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    client.post(f"/partnering/threads/{thread.pk}/", {"body": "Later"})
    assert Message.objects.count() == 4


def test_the_rate_limit_can_be_switched_off(client, member, settings):
    settings.PARTNERING_RATE_LIMITS = False
    settings.PARTNERING_MESSAGES_PER_HOUR = 1
    user, organisation = member
    recipient = make_organisation(status="published")
    thread = services.thread_start(
        sender=organisation, recipient=recipient, actor=user, subject="Hello", body="1"
    )
    services.message_send(thread=thread, actor=user, body="2")
    assert Message.objects.count() == 2


def test_staff_cannot_publish_a_post_whose_deadline_passed(client):
    staff = make_user(staff=True)
    post = make_post(make_organisation(status="published"), status=PostStatus.SUBMITTED)
    PartnerPost.objects.filter(pk=post.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(staff)
    response = client.post(f"/partnering/moderation/{post.pk}/", {"action": "publish"})
    assert "deadline of this post has passed" in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED


def test_garbage_never_gives_a_server_error(client, member):
    _user, organisation = member
    post = make_post(organisation)
    for url in [
        "/partnering/?type=XX&ecosystem=999&country=ZZ&page=abc",
        "/partnering/graph/data.json?limit=999999&country=ZZ",
        f"/partnering/posts/{post.pk}/renew/",
        "/partnering/interests/999999/",
        "/partnering/threads/999999/",
        "/api/v1/partner-posts/?type=XX",
        "/api/v1/partner-posts/999999/",
    ]:
        assert client.get(url).status_code < 500, url
    assert (
        client.post(f"/partnering/posts/{post.pk}/renew/", {"deadline": "not a date"}).status_code
        == 200
    )
    assert (
        client.post(
            "/api/v1/partner-posts/", "not json", content_type="application/json"
        ).status_code
        == 400
    )


def test_garbage_on_partnerships_networks_and_calls_never_gives_a_server_error(client, member):
    user, organisation = member
    partnership = services.partnership_save(
        partnership=Partnership(name="Test partnership", programme="other"),
        actor=user,
        coordinator=organisation,
    )
    network = Network.objects.create(name="Test network", scope="other", organisation=organisation)
    big = "9" * 30
    for url in [
        "/partnering/partnerships/?page=abc",
        f"/partnering/partnerships/{partnership.pk}/?news=abc&events=-1",
        "/partnering/partnerships/999999/",
        f"/partnering/networks/{network.pk}/?page=x",
        f"/partnering/calls/suggestions/?funding_call={'x' * 5000}",
        "/partnering/calls/suggestions/",
    ]:
        assert client.get(url).status_code < 500, url
    for url, data in [
        ("/partnering/partnerships/new/", {"coordinator": "abc", "start_date": "31.02.2026"}),
        (f"/partnering/partnerships/{partnership.pk}/invite/", {"organisations": big}),
        (f"/partnering/partnerships/{partnership.pk}/invite/", {}),
        ("/partnering/partnerships/members/999999/answer/", {"decision": "accept"}),
        (f"/partnering/networks/{network.pk}/members/", {"organisations": "/organisations/x/"}),
        ("/partnering/posts/new/", {"funding_call": big, "post_type": "RD"}),
        ("/partnering/posts/new/", {"funding_call": f"/calls/{'9' * 18}/x/"}),
    ]:
        assert client.post(url, data).status_code < 500, url
    assert partnership.memberships.count() == 1
    assert not network.memberships.exists()


def test_an_answer_needs_an_explicit_decision(client, member):
    user, organisation = member
    coordinator_admin = make_user()
    coordinator = make_organisation(admin=coordinator_admin, status="published")
    partnership = services.partnership_save(
        partnership=Partnership(name="Test partnership", programme="other"),
        actor=coordinator_admin,
        coordinator=coordinator,
    )
    [invitation] = services.partnership_invite(
        partnership=partnership, actor=coordinator_admin, organisations=[organisation]
    )
    response = client.post(f"/partnering/partnerships/members/{invitation.pk}/answer/", {})
    assert response.status_code == 302
    assert "Choose accept or decline" in client.get(response.url).content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "invited"
