"""Who may post, see, edit and moderate each item: visitor, outsider, editor, admin, staff."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clustercollab.content.models import News
from clustercollab.content.tests.factories import make_cast, post_event, post_news
from clustercollab.core.moderation import ModerationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_editors_and_admins_post_drafts_for_their_organisation(cast):
    for member in (cast.editor, cast.admin):
        news = post_news(actor=member, organisation=cast.organisation)
        assert news.status == ModerationStatus.DRAFT
        assert news.organisation == cast.organisation
        assert news.author == member


def test_a_member_of_another_organisation_cannot_post_for_it(cast):
    with pytest.raises(PermissionDenied):
        post_news(actor=cast.outsider, organisation=cast.organisation)
    with pytest.raises(PermissionDenied):
        post_news(actor=cast.editor, organisation=None)
    assert not News.objects.exists()


def test_staff_content_is_published_directly(cast):
    news = post_news(actor=cast.staff, organisation=None)
    assert news.status == ModerationStatus.PUBLISHED
    assert news.published_at is not None


def test_the_create_form_offers_only_the_members_organisations(client, cast):
    client.force_login(cast.editor)
    response = client.post(
        reverse("content:news_create"),
        {"posting_organisation": cast.other_organisation.pk, "title": "Sneaky", "language": "en"},
    )
    assert response.status_code == 200
    assert "posting_organisation" in response.context["form"].errors
    assert not News.objects.exists()


def test_the_create_form_asks_visitors_to_log_in(client):
    response = client.get(reverse("content:news_create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "detail", "edit"),
    [
        ("visitor", 404, 302),
        ("outsider", 404, 404),
        ("editor", 200, 200),
        ("admin", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_a_draft_is_seen_and_edited_only_by_its_organisation_and_staff(
    client, cast, who, detail, edit
):
    news = post_news(actor=cast.editor, organisation=cast.organisation)
    if who != "visitor":
        client.force_login(getattr(cast, who))
    assert client.get(news.get_absolute_url()).status_code == detail
    assert client.get(reverse("content:news_edit", args=[news.pk])).status_code == edit
    api = client.get(f"/api/v1/news/{news.pk}/")
    assert api.status_code == detail


def test_an_outsider_cannot_submit_or_edit_through_the_api(client, cast):
    event = post_event(actor=cast.editor, organisation=cast.organisation)
    client.force_login(cast.outsider)
    response = client.post(reverse("content:event_submit", args=[event.pk]))
    assert response.status_code == 404
    response = client.patch(
        f"/api/v1/events/{event.pk}/",
        data=json.dumps({"title": "Taken over"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.title == "Bioeconomy matchmaking day"
    assert event.status == ModerationStatus.DRAFT


def test_members_create_and_update_news_through_the_api(client, cast):
    client.force_login(cast.editor)
    response = client.post(
        "/api/v1/news/?submit=1",
        data=json.dumps(
            {
                "organisation": cast.organisation.pk,
                "title": "API news",
                "body": "<p>Hi</p><script>alert(1)</script>",
                "ecosystems": ["agri-food"],
                "countries": ["FI"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    news = News.objects.get()
    assert news.status == ModerationStatus.SUBMITTED
    assert "script" not in news.body
    assert list(news.countries.values_list("pk", flat=True)) == ["FI"]
    response = client.patch(
        f"/api/v1/news/{news.pk}/",
        data=json.dumps({"title": "API news, corrected"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    news.refresh_from_db()
    assert news.title == "API news, corrected"


def test_the_api_refuses_posting_for_another_organisation_and_for_visitors(client, cast):
    payload = json.dumps({"organisation": cast.organisation.pk, "title": "x"})
    assert (
        # A visitor is not authenticated: 401, asking for a token.
        client.post("/api/v1/news/", data=payload, content_type="application/json").status_code
        == 401
    )
    client.force_login(cast.outsider)
    response = client.post("/api/v1/news/", data=payload, content_type="application/json")
    assert response.status_code == 403
    assert not News.objects.exists()


def test_only_staff_reach_the_moderation_pages(client, cast):
    news = post_news(actor=cast.editor, organisation=cast.organisation, submit=True)
    review = reverse("content:moderation_review", args=["news", news.pk])
    for member in (cast.editor, cast.admin):
        client.force_login(member)
        assert client.get(reverse("content:moderation_queue")).status_code == 302
        assert client.post(review, {"action": "publish"}).status_code == 302
    news.refresh_from_db()
    assert news.status == ModerationStatus.SUBMITTED
    client.force_login(cast.staff)
    assert client.get(review).status_code == 200


def test_the_organiser_is_one_of_the_members_organisations(client, cast):
    from clustercollab.content.models import Event
    from clustercollab.organisations.models import Membership, Role
    from clustercollab.organisations.tests.factories import make_organisation

    partner = make_organisation(status=ModerationStatus.PUBLISHED)
    Membership.objects.create(user=cast.editor, organisation=partner, role=Role.EDITOR)
    client.force_login(cast.editor)
    data = {
        "posting_organisation": cast.organisation.pk,
        "title": "Joint workshop",
        "event_type": "workshop",
        "mode": "online",
        "starts_at": "2026-06-10T09:00",
        "ends_at": "2026-06-10T12:00",
        "timezone": "Europe/Helsinki",
        "language": "en",
    }
    response = client.post(
        reverse("content:event_create"), {**data, "organiser": cast.other_organisation.pk}
    )
    assert response.status_code == 200
    assert "organiser" in response.context["form"].errors
    assert not Event.objects.exists()
    response = client.post(reverse("content:event_create"), {**data, "organiser": partner.pk})
    assert response.status_code == 302
    assert Event.objects.get().organiser == partner


def test_a_story_links_to_a_published_event_of_the_members_organisation(client, cast):
    from clustercollab.content.models import SuccessStory

    own = post_event(actor=cast.staff, organisation=cast.organisation, title="Own event")
    foreign = post_event(actor=cast.staff, organisation=cast.other_organisation, title="Foreign")
    client.force_login(cast.editor)
    data = {"posting_organisation": cast.organisation.pk, "title": "It worked", "language": "en"}
    response = client.post(reverse("content:story_create"), {**data, "event": foreign.pk})
    assert "event" in response.context["form"].errors
    response = client.post(reverse("content:story_create"), {**data, "event": own.pk})
    assert response.status_code == 302
    assert SuccessStory.objects.get().event == own
