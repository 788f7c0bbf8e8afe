"""Member content goes through staff validation; every step is audited and e-mailed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clustercollab.content import services
from clustercollab.content.models import News
from clustercollab.content.selectors import moderation_queue_rows
from clustercollab.content.tests.factories import make_cast, post_call, post_event, post_news
from clustercollab.core.models import AuditLogEntry
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """E-mails are enqueued on commit; inside the test's transaction, run them at once."""
    from django.db import connection

    monkeypatch.setattr(connection, "on_commit", lambda func, robust=False: func())


def _actions(item) -> list[str]:
    return list(
        AuditLogEntry.objects.filter(target_id=str(item.pk), action__startswith="content.news")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_submit_then_publish_is_audited_and_e_mailed_to_the_poster(client, settings):
    cast = make_cast()
    news = post_news(actor=cast.editor, organisation=cast.organisation)
    client.force_login(cast.editor)
    response = client.post(reverse("content:news_submit", args=[news.pk]))
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.status == ModerationStatus.SUBMITTED
    assert news.review_due_at == news.submitted_at + timedelta(days=settings.MODERATION_REVIEW_DAYS)
    assert mail.outbox[-1].to == [cast.editor.email]
    assert str(settings.MODERATION_REVIEW_DAYS) in mail.outbox[-1].body

    client.force_login(cast.staff)
    review = reverse("content:moderation_review", args=["news", news.pk])
    response = client.post(review, {"action": "publish", "reason": ""})
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.status == ModerationStatus.PUBLISHED
    assert _actions(news) == [
        "content.news.created",
        "content.news.submitted",
        "content.news.published",
    ]
    published_entry = AuditLogEntry.objects.get(action="content.news.published")
    assert published_entry.actor == cast.staff
    assert "Now public" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == [cast.editor.email]


def test_rejecting_needs_a_reason_which_the_poster_receives(client):
    cast = make_cast()
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    client.force_login(cast.staff)
    review = reverse("content:moderation_review", args=["news", news.pk])
    response = client.post(review, {"action": "reject", "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    news.refresh_from_db()
    assert news.status == ModerationStatus.SUBMITTED

    response = client.post(review, {"action": "reject", "reason": "Advertising, not news."})
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.status == ModerationStatus.ARCHIVED
    assert news.moderation_reason == "Advertising, not news."
    entry = AuditLogEntry.objects.get(action="content.news.rejected")
    assert entry.reason == "Advertising, not news."
    assert "Advertising, not news." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [cast.editor.email]


def test_changes_requested_then_resubmitted(client):
    cast = make_cast()
    event = post_event(actor=cast.editor, organisation=cast.organisation, submit=True)
    services.content_moderate(
        item=event, actor=cast.staff, transition="request_changes", reason="Add the venue."
    )
    event.refresh_from_db()
    assert event.status == ModerationStatus.CHANGES_REQUESTED
    assert "Add the venue." in mail.outbox[-1].body
    client.force_login(cast.editor)
    page = client.get(event.get_absolute_url())
    assert "Add the venue." in page.content.decode()
    services.content_submit(item=event, actor=cast.editor)
    event.refresh_from_db()
    assert event.status == ModerationStatus.SUBMITTED
    assert AuditLogEntry.objects.filter(action="content.event.resubmitted").exists()


def test_members_cannot_moderate():
    cast = make_cast()
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied or ValidationError
        services.content_moderate(item=news, actor=cast.admin, transition="publish")
    news.refresh_from_db()
    assert news.status == ModerationStatus.SUBMITTED


def test_a_members_edit_of_published_content_goes_back_to_review(client):
    cast = make_cast()
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    services.content_moderate(item=news, actor=cast.staff, transition="publish")
    client.force_login(cast.editor)
    response = client.post(
        reverse("content:news_edit", args=[news.pk]),
        {"title": "Changed after publication", "language": "en", "body": "<p>New</p>"},
    )
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.status == ModerationStatus.SUBMITTED
    assert AuditLogEntry.objects.filter(action="content.news.edited").exists()
    assert client.logout() is None
    assert client.get(news.get_absolute_url()).status_code == 404


def test_one_queue_across_profiles_and_content_oldest_first_with_overdue_flagged(client):
    cast = make_cast()
    old_profile = make_organisation(status=ModerationStatus.SUBMITTED)
    call = post_call(actor=cast.editor, organisation=cast.organisation, submit=True)
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    now = timezone.now()
    type(old_profile).objects.filter(pk=old_profile.pk).update(
        submitted_at=now - timedelta(days=20)
    )
    type(call).objects.filter(pk=call.pk).update(submitted_at=now - timedelta(days=3))
    News.objects.filter(pk=news.pk).update(submitted_at=now - timedelta(days=15))

    rows = moderation_queue_rows()
    assert [(row.kind, row.item.pk) for row in rows] == [
        ("profile", old_profile.pk),
        ("news", news.pk),
        ("call", call.pk),
    ]
    assert [row.is_overdue for row in rows] == [True, True, False]

    client.force_login(cast.staff)
    html = client.get(reverse("content:moderation_queue")).content.decode()
    assert html.count('class="overdue"') == 2
    assert html.index(old_profile.name) < html.index(news.title) < html.index(call.title)


def test_unknown_moderation_action_is_refused():
    cast = make_cast()
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    with pytest.raises(ValidationError):
        services.content_moderate(item=news, actor=cast.staff, transition="submit")


def test_saving_a_published_event_unchanged_keeps_it_public(client):
    cast = make_cast()
    event = post_event(actor=cast.editor, organisation=cast.organisation, submit=True)
    services.content_moderate(item=event, actor=cast.staff, transition="publish")
    client.force_login(cast.editor)
    url = reverse("content:event_edit", args=[event.pk])
    form = client.get(url).context["form"]
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    data["starts_at"] = form["starts_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = form["ends_at"].value().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == ModerationStatus.PUBLISHED
    assert not AuditLogEntry.objects.filter(action="content.event.edited").exists()


def test_saving_a_published_story_unchanged_keeps_it_public(client):
    from clustercollab.content.models import SuccessStory
    from clustercollab.content.tests.factories import post_story

    cast = make_cast()
    story = post_story(actor=cast.editor, organisation=cast.organisation, submit=True)
    story.organisations_involved.set([cast.organisation, cast.other_organisation])
    services.content_moderate(item=story, actor=cast.staff, transition="publish")
    client.force_login(cast.editor)
    url = reverse("content:story_edit", args=[story.pk])
    form = client.get(url).context["form"]
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert SuccessStory.objects.get().status == ModerationStatus.PUBLISHED


def test_the_queue_also_holds_partner_search_posts_and_crisis_forum_posts(client):
    from clustercollab.partnering.models import PartnerPost
    from clustercollab.partnering.tests.factories import make_post
    from clustercollab.response import services as response_services
    from clustercollab.response.tests.factories import make_portal

    cast = make_cast()
    partner_post = make_post(cast.organisation, status=ModerationStatus.SUBMITTED)
    now = timezone.now()
    PartnerPost.objects.filter(pk=partner_post.pk).update(submitted_at=now - timedelta(days=16))
    forum_post = response_services.forum_post_create(
        user=cast.editor,
        portal=make_portal(staff=cast.staff),
        organisation=cast.organisation,
        category="need_help",
        title="Who can sterilise FFP2 masks in Ostrobothnia?",
        body="Our hospitals run short next week.",
    )

    rows = moderation_queue_rows()
    assert [(row.kind, row.item.pk) for row in rows] == [
        ("partner_post", partner_post.pk),
        ("forum_post", forum_post.pk),
    ]
    assert [row.is_overdue for row in rows] == [True, False]
    client.force_login(cast.staff)
    html = client.get(reverse("content:moderation_queue")).content.decode()
    assert reverse("partnering:moderation_review", kwargs={"pk": partner_post.pk}) in html
    assert forum_post.get_absolute_url() in html
    assert html.index(partner_post.title) < html.index("Who can sterilise FFP2 masks")
