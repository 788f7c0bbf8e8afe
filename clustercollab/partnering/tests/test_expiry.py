"""Expiry with a fixed clock: reminder 14 days before, then no longer listed."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from clustercollab.core.models import AuditLogEntry
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services, tasks
from clustercollab.partnering.models import PartnerPost, PostStatus
from clustercollab.partnering.selectors import listed_posts
from clustercollab.partnering.services import expire_partner_posts, post_expiry
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_a_post_past_its_deadline_is_no_longer_listed_and_its_owner_was_reminded(commits):
    owner = make_user("owner@forest.example.org")
    organisation = make_organisation(admin=owner, status="published")
    post = make_post(organisation)
    expires = post.expires_at
    assert expires == datetime.combine(post.deadline + timedelta(days=1), datetime.min.time(), UTC)

    # 15 days before: nothing to do yet.
    with commits():
        assert expire_partner_posts(now=expires - timedelta(days=15)) == {
            "reminded": 0,
            "expired": 0,
        }
    assert mail.outbox == []

    # 14 days before: the owner is reminded, once.
    with commits():
        assert expire_partner_posts(now=expires - timedelta(days=14))["reminded"] == 1
        assert expire_partner_posts(now=expires - timedelta(days=13))["reminded"] == 0
    assert [m.to for m in mail.outbox] == [["owner@forest.example.org"]]
    assert "expires on" in mail.outbox[0].subject
    assert f"/partnering/posts/{post.pk}/renew/" in mail.outbox[0].body

    # At the deadline: expired, audited, gone from the list, the page and the API.
    with commits():
        assert expire_partner_posts(now=expires)["expired"] == 1
    post.refresh_from_db()
    assert post.status == PostStatus.EXPIRED
    assert AuditLogEntry.objects.filter(action="partnering.partnerpost.expired").exists()
    assert post not in listed_posts()
    visitor = Client()
    assert post.title not in visitor.get("/partnering/").content.decode()
    assert visitor.get(f"/partnering/posts/{post.pk}/").status_code == 404
    assert visitor.get("/api/v1/partner-posts/").json()["count"] == 0


def test_a_post_expires_twelve_months_after_publishing_without_renewal():
    organisation = make_organisation(status="published")
    published = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    post = make_post(organisation, published_at=published)
    post.deadline = published.date() + timedelta(days=500)
    assert post_expiry(post) == published + timedelta(days=365)


def test_the_management_command_takes_a_fixed_now():
    organisation = make_organisation(status="published")
    post = make_post(organisation)
    out = StringIO()
    call_command("expire_partner_posts", now=post.expires_at.isoformat(), stdout=out)
    assert out.getvalue().strip() == "0 reminded, 1 expired"
    post.refresh_from_db()
    assert post.status == PostStatus.EXPIRED


def test_a_post_already_past_its_expiry_is_not_listed_before_the_job_runs():
    organisation = make_organisation(status="published")
    post = make_post(organisation)
    post.expires_at = post.published_at
    post.save()
    assert post not in listed_posts()


def test_a_new_deadline_brings_a_new_reminder(commits):
    owner = make_user()
    post = make_post(make_organisation(admin=owner, status="published"))
    expire_partner_posts(now=post.expires_at - timedelta(days=14))
    post.refresh_from_db()
    assert post.reminder_sent_at is not None
    post.deadline += timedelta(days=30)
    services.post_save(post=post, actor=owner)
    post.refresh_from_db()
    assert post.reminder_sent_at is None
    assert post.expires_at.date() == post.deadline + timedelta(days=1)


def test_the_daily_task_runs_the_expiry(settings):
    post = make_post(make_organisation(status="published"))
    PartnerPost.objects.filter(pk=post.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    result = tasks.expire_partner_posts.enqueue()
    assert result.return_value == {"reminded": 0, "expired": 1}
