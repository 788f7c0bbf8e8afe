"""Follows and the weekly digest: one e-mail per member, only what they follow, one-click
unsubscribe without logging in, nothing sent when there is nothing new."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clustercollab.content.follows.services import digest_send, follow_create
from clustercollab.content.follows.tasks import enqueue_digests
from clustercollab.content.follows.tokens import unsubscribe_token
from clustercollab.content.models import DigestSubscription, Follow, FollowKind
from clustercollab.content.tests.helpers import make_call, make_event, make_news
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def ecosystem(slug):
    return IndustrialEcosystem.objects.get(slug=slug)


def country(code):
    return Country.objects.get(code=code)


def mail_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def unsubscribe_link(message) -> str:
    return re.search(r"https?://\S+/digests/unsubscribe/\S+/", message.body).group(0)


@pytest.fixture
def content():
    return {
        "digital_news": make_news(
            title="Finnish AI cluster news", ecosystems=["digital"], countries=["FI"]
        ),
        "french_news": make_news(
            title="French agri-food news", ecosystems=["agri-food"], countries=["FR"]
        ),
        "defence_call": make_call(
            title="Defence call",
            programme="European Defence Fund",
            deadline_at=datetime(2027, 3, 2, 16, 0, tzinfo=UTC),
        ),
        "digital_event": make_event(
            title="Helsinki AI day",
            ecosystems=["digital"],
            starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC),
            ends_at=datetime(2027, 6, 15, 15, 0, tzinfo=UTC),
            timezone="Europe/Helsinki",
        ),
        "draft_news": make_news(
            title="Unmoderated digital news",
            ecosystems=["digital"],
            status=ModerationStatus.SUBMITTED,
        ),
        "old_news": make_news(
            title="Old digital news",
            ecosystems=["digital"],
            published_at=timezone.now() - timedelta(days=30),
        ),
    }


def test_two_members_with_different_follows_get_different_digests(content):
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    follow_create(user=alice, ecosystem=ecosystem("digital"))
    follow_create(user=bob, country=country("FR"))
    follow_create(user=bob, search_list="calls", search_query="programme=defence&page=3")

    call_command("send_digests", verbosity=0)

    (alices,) = mail_to("alice@example.org")
    (bobs,) = mail_to("bob@example.org")
    assert "Finnish AI cluster news" in alices.body
    # Times in the item's own time zone: the call closes 17:00 in Brussels, the event starts
    # 10:00 in Helsinki.
    assert "Defence call (deadline March 2, 2027, 5 p.m., Europe/Brussels time)" in bobs.body
    assert "Helsinki AI day (starts June 15, 2027, 10 a.m., Europe/Helsinki time)" in alices.body
    assert "French agri-food news" not in alices.body and "Defence call" not in alices.body
    assert "French agri-food news" in bobs.body and "Defence call" in bobs.body
    assert "Finnish AI cluster news" not in bobs.body
    for message in (alices, bobs):
        assert "Unmoderated" not in message.body and "Old digital news" not in message.body
        html = message.alternatives[0][0]
        assert "Unmoderated" not in html
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe_link(message) in message.extra_headers["List-Unsubscribe"]


def test_a_digest_is_sent_once_per_week(content):
    alice = make_user("alice@example.org")
    follow_create(user=alice, ecosystem=ecosystem("digital"))
    assert enqueue_digests.call() == 1
    assert len(mail.outbox) == 1
    assert enqueue_digests.call() == 0
    assert digest_send(user_id=alice.pk) is False
    assert len(mail.outbox) == 1
    # A week later, only what was published since the last digest counts.
    make_news(
        title="Next week's digital news",
        ecosystems=["digital"],
        published_at=timezone.now() + timedelta(days=1),
    )
    assert digest_send(user_id=alice.pk, now=timezone.now() + timedelta(days=7)) is True
    assert "Next week's digital news" in mail.outbox[1].body
    assert "Finnish AI cluster news" not in mail.outbox[1].body


def test_an_empty_digest_is_not_sent(content):
    carol = make_user("carol@example.org")
    follow_create(user=carol, country=country("SE"))
    call_command("send_digests", verbosity=0)
    assert mail.outbox == []
    assert DigestSubscription.objects.get(user=carol).last_sent_at is None


def test_an_unsubscribed_member_gets_no_digest(content):
    dave = make_user("dave@example.org")
    follow_create(user=dave, ecosystem=ecosystem("digital"))
    response = Client().get(
        reverse("content:digest_unsubscribe", args=[unsubscribe_token(dave.pk)])
    )
    assert response.status_code == 200
    call_command("send_digests", verbosity=0)
    assert mail.outbox == []
    assert Follow.objects.filter(user=dave).exists()  # the follows are kept


def test_the_unsubscribe_link_works_without_login_and_a_tampered_one_is_refused(content):
    erin = make_user("erin@example.org")
    follow_create(user=erin, ecosystem=ecosystem("digital"))
    digest_send(user_id=erin.pk)
    link = unsubscribe_link(mail.outbox[0])
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    token = path.rstrip("/").rsplit("/", 1)[1]
    # The same signature with another member's id in the payload.
    other_payload = signing.b64_encode(b'{"user":%d}' % (erin.pk + 1)).decode()
    someone_else = token.replace(token.split(":", 1)[0], other_payload)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (flipped, someone_else, "eyJ1c2VyIjoxfQ:forged", "nonsense"):
        bad_path = reverse("content:digest_unsubscribe", args=[bad])
        assert Client().get(bad_path).status_code == 400
        assert Client().post(bad_path).status_code == 400
    assert DigestSubscription.objects.get(user=erin).unsubscribed_at is None

    # One click by a mail program: a POST without session or CSRF token (RFC 8058).
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert DigestSubscription.objects.get(user=erin).unsubscribed_at is not None


def test_resubscribing_from_my_follows(client, content):
    frank = make_user("frank@example.org")
    follow_create(user=frank, ecosystem=ecosystem("digital"))
    Client().get(reverse("content:digest_unsubscribe", args=[unsubscribe_token(frank.pk)]))
    client.force_login(frank)
    page = client.get(reverse("content:follows"))
    assert "Receive the weekly digest again" in page.content.decode()
    client.post(reverse("content:digest_resume"))
    assert DigestSubscription.objects.get(user=frank).is_active
    assert digest_send(user_id=frank.pk) is True


def test_following_a_search_from_a_list_page(client):
    member = make_user()
    client.force_login(member)
    response = client.post(
        reverse("content:follow_add"),
        {
            "kind": "search",
            "search_list": "news",
            "search_query": "page=2&ecosystem=digital&country=FI&utm_source=x",
            "next": "/news/?country=FI&ecosystem=digital",
        },
    )
    assert (
        response.status_code == 302
        and response["Location"] == "/news/?country=FI&ecosystem=digital"
    )
    follow = Follow.objects.get(user=member)
    assert (follow.kind, follow.search_list, follow.search_query) == (
        FollowKind.SEARCH,
        "news",
        "country=FI&ecosystem=digital",
    )
    # The same search again is the same follow.
    client.post(
        reverse("content:follow_add"),
        {"kind": "search", "search_list": "news", "search_query": "ecosystem=digital&country=FI"},
    )
    assert Follow.objects.filter(user=member).count() == 1
    page = client.get(reverse("content:follows")).content.decode()
    assert "/news/?country=FI&amp;ecosystem=digital" in page
    assert "News: Industrial ecosystem: Digital · Country: Finland" in page


def test_following_needs_login_and_a_published_organisation(client):
    draft = make_organisation()
    published = make_organisation(status=ModerationStatus.PUBLISHED)
    response = client.post(
        reverse("content:follow_add"), {"kind": "organisation", "organisation": published.pk}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    member = make_user()
    client.force_login(member)
    client.post(reverse("content:follow_add"), {"kind": "organisation", "organisation": draft.pk})
    assert not Follow.objects.exists()
    client.post(
        reverse("content:follow_add"), {"kind": "organisation", "organisation": published.pk}
    )
    assert Follow.objects.get().organisation == published
    client.post(reverse("content:follow_add"), {"kind": "ecosystem", "ecosystem": "no-such"})
    client.post(reverse("content:follow_add"), {"kind": "nonsense"})
    assert Follow.objects.count() == 1


def test_a_member_cannot_remove_someone_elses_follow(client):
    owner, other = make_user(), make_user()
    follow = follow_create(user=owner, ecosystem=ecosystem("health"))
    client.force_login(other)
    assert client.post(reverse("content:follow_remove", args=[follow.pk])).status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()
    client.force_login(owner)
    client.post(reverse("content:follow_remove", args=[follow.pk]))
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_an_organisation_follow_brings_its_content(content):
    organisation = make_organisation(status=ModerationStatus.PUBLISHED)
    make_news(title="News of the followed cluster", organisation=organisation)
    grace = make_user("grace@example.org")
    follow_create(user=grace, organisation=organisation)
    assert digest_send(user_id=grace.pk) is True
    assert "News of the followed cluster" in mail.outbox[0].body
    assert "Finnish AI cluster news" not in mail.outbox[0].body


def test_my_follows_previews_the_next_digest(client, content):
    member = make_user()
    client.force_login(member)
    assert "Your next digest" not in client.get(reverse("content:follows")).content.decode()
    follow_create(user=member, country=country("SE"))
    page = client.get(reverse("content:follows")).content.decode()
    assert "Nothing new about what you follow since your last digest." in page
    follow_create(user=member, ecosystem=ecosystem("digital"))
    page = client.get(reverse("content:follows")).content.decode()
    assert "Your next digest: 2 new items so far" in page
    assert "Finnish AI cluster news" in page and "Helsinki AI day" in page
    assert "Unmoderated" not in page


def test_a_saved_call_search_by_status_works_in_the_digest(content):
    make_call(
        title="Forthcoming call",
        opening_date_pending=True,
        deadline_at=datetime(2027, 9, 23, 15, 0, tzinfo=UTC),
    )
    henry = make_user("henry@example.org")
    follow_create(user=henry, search_list="calls", search_query="status=forthcoming")
    assert digest_send(user_id=henry.pk) is True
    assert "Forthcoming call" in mail.outbox[0].body
    assert "Defence call" not in mail.outbox[0].body  # open, not forthcoming
