"""Expressions of interest, comments and follows, contact threads between organisations."""

import re

import pytest
from django.core import mail
from django.test import Client

from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import (
    ContactThread,
    ExpressionOfInterest,
    InterestStatus,
    Message,
    PostFollow,
)
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db

INTEREST = {
    "who_we_are": "A Swedish wood-construction cluster with 80 member companies.",
    "what_we_offer": "Pilot facades in Skellefteå and a coatings lab.",
    "why_we_fit": "We test bio-based coatings on real buildings.",
}


@pytest.fixture
def cast():
    """A owns the post, B is interested, C is an outsider."""
    a_user, b_user, c_user = (
        make_user("a@a.example.org"),
        make_user("b@b.example.org"),
        make_user("c@c.example.org"),
    )
    a = make_organisation(admin=a_user, status="published", contact_email="office@a.example.org")
    b = make_organisation(admin=b_user, status="published", contact_email="office@b.example.org")
    c = make_organisation(admin=c_user, status="published", contact_email="office@c.example.org")
    return {"a": (a_user, a), "b": (b_user, b), "c": (c_user, c), "post": make_post(a)}


def test_interest_reaches_the_owner_who_accepts_and_a_thread_opens(client, cast, commits):
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    post = cast["post"]
    client.force_login(b_user)
    with commits():
        response = client.post(
            f"/partnering/posts/{post.pk}/interest/", {"organisation": b.pk, **INTEREST}
        )
    interest = ExpressionOfInterest.objects.get()
    assert response.url == f"/partnering/interests/{interest.pk}/"
    assert [m.to for m in mail.outbox] == [["a@a.example.org"]]
    assert "Skellefteå" in mail.outbox[0].body
    # Before acceptance, B does not see A's contact details.
    assert "office@a.example.org" not in client.get(response.url).content.decode()

    client.force_login(a_user)
    assert "Accept" in client.get(response.url).content.decode()
    with commits():
        client.post(f"/partnering/interests/{interest.pk}/decide/", {"decision": "accept"})
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    assert interest.thread is not None
    assert mail.outbox[-1].to == ["b@b.example.org"]
    page = client.get(response.url).content.decode()
    assert "office@a.example.org" in page and "office@b.example.org" in page
    assert "Sent by b@b.example.org" in page and "Accepted by a@a.example.org" in page
    history = client.get(post.get_absolute_url()).content.decode()
    assert "an expression of interest was accepted" in history
    client.force_login(b_user)
    thread_page = client.get(f"/partnering/threads/{interest.thread.pk}/").content.decode()
    assert "office@a.example.org" in thread_page


def test_declining_opens_no_thread(cast):
    a_user, _a = cast["a"]
    b_user, b = cast["b"]
    interest = services.interest_create(post=cast["post"], organisation=b, actor=b_user, **INTEREST)
    services.interest_decide(interest=interest, actor=a_user, accept=False)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.DECLINED and interest.thread is None
    assert not ContactThread.objects.exists()


def test_contact_this_cluster_hides_addresses_until_shared(client, cast, commits):
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    client.force_login(b_user)
    organisation_page = client.get(a.get_absolute_url()).content.decode()
    assert "Contact this cluster" in organisation_page
    with commits():
        response = client.post(
            f"/partnering/contact/{a.pk}/",
            {"sender": b.pk, "subject": "Joint Interreg project", "body": "Shall we talk?"},
        )
    thread = ContactThread.objects.get()
    assert response.url == f"/partnering/threads/{thread.pk}/"
    message = mail.outbox[-1]
    assert message.to == ["a@a.example.org"]
    assert f"/partnering/threads/{thread.pk}/" in message.body
    assert "b@b.example.org" not in message.body and "office@b.example.org" not in message.body

    client.force_login(a_user)
    page = client.get(response.url).content.decode()
    assert "office@b.example.org" not in page and "has not shared" in page
    client.force_login(b_user)
    client.post(f"/partnering/threads/{thread.pk}/share/")
    client.force_login(a_user)
    assert "office@b.example.org" in client.get(response.url).content.decode()
    client.post(response.url, {"body": "Yes, gladly."})
    assert Message.objects.filter(thread=thread).count() == 2


def test_a_blocked_sender_can_no_longer_write(client, cast):
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    thread = services.thread_start(sender=b, recipient=a, actor=b_user, subject="Hi", body="Hi")
    client.force_login(a_user)
    client.post(f"/partnering/threads/{thread.pk}/block/")
    client.force_login(b_user)
    response = client.post(f"/partnering/threads/{thread.pk}/", {"body": "Still there?"})
    assert "does not accept messages" in response.content.decode()
    assert Message.objects.count() == 1
    response = client.post(
        f"/partnering/contact/{a.pk}/", {"sender": b.pk, "subject": "Again", "body": "Hello?"}
    )
    assert "does not accept messages" in response.content.decode()
    assert ContactThread.objects.count() == 1


def test_a_thread_is_reported_to_staff(client, cast, commits):
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    make_user("moderator@platform.example.org", staff=True)
    thread = services.thread_start(sender=b, recipient=a, actor=b_user, subject="Hi", body="Buy")
    client.force_login(a_user)
    with commits():
        client.post(f"/partnering/threads/{thread.pk}/report/", {"reason": "Spam"})
    thread.refresh_from_db()
    assert thread.reported_at is not None and thread.report_reason == "Spam"
    assert mail.outbox[-1].to == ["moderator@platform.example.org"]


def test_followers_hear_of_comments_and_unfollow_in_one_click(client, cast, commits):
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    c_user, c = cast["c"]
    post = cast["post"]
    client.force_login(c_user)
    client.post(f"/partnering/posts/{post.pk}/follow/")
    assert PostFollow.objects.filter(user=c_user).exists()
    client.force_login(b_user)
    with commits():
        client.post(
            f"/partnering/posts/{post.pk}/comments/", {"organisation": b.pk, "body": "Which wood?"}
        )
    notice = mail.outbox[-1]
    assert notice.to == ["c@c.example.org"] and "Which wood?" in notice.body
    link = re.search(r"http://\S+/partnering/unfollow/\S+/", notice.body).group(0)
    assert notice.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.split("127.0.0.1:8000", 1)[-1]
    client.logout()
    assert client.get(path).status_code == 200  # a confirmation page, so link scanners do nothing
    assert PostFollow.objects.filter(user=c_user).exists()
    mail_client = Client(enforce_csrf_checks=True)
    assert mail_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not PostFollow.objects.filter(user=c_user).exists()
    assert client.post("/partnering/unfollow/forged-token/").status_code == 404
    # An update of the post reaches the remaining follower (the commenter) too.
    mail.outbox.clear()
    post.title = "Bio-based coatings, updated"
    with commits():
        services.post_save(post=post, actor=a_user)
    assert [m.to for m in mail.outbox] == [["b@b.example.org"]]


def test_the_dashboard_shows_posts_interests_and_unread_threads(client, cast):
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    services.interest_create(post=cast["post"], organisation=b, actor=b_user, **INTEREST)
    services.thread_start(sender=b, recipient=a, actor=b_user, subject="Unread hello", body="x")
    client.force_login(a_user)
    page = client.get("/dashboard/").content.decode()
    assert cast["post"].title in page
    assert "Unread hello" in page
    assert "Waiting for an answer" in page


def test_the_dashboard_works_for_someone_in_no_organisation(client):
    client.force_login(make_user())
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/partnering/threads/").status_code == 200


def test_a_long_conversation_opens_at_its_latest_messages(client, cast, settings):
    settings.PARTNERING_RATE_LIMITS = False
    a_user, a = cast["a"]
    b_user, b = cast["b"]
    thread = services.thread_start(sender=b, recipient=a, actor=b_user, subject="Hi", body="m0")
    for n in range(1, 60):
        services.message_send(thread=thread, actor=b_user, body=f"message number {n}")
    client.force_login(a_user)
    page = client.get(f"/partnering/threads/{thread.pk}/").content.decode()
    assert "message number 59" in page and "message number 5<" not in page
    assert (
        "message number 5<"
        in client.get(f"/partnering/threads/{thread.pk}/?page=1").content.decode()
    )
