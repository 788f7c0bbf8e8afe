import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clustercollab.core.models import AuditLogEntry, IndustrialEcosystem, NaceActivity
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import PartnerPost, PostStatus, ReferenceCounter
from clustercollab.partnering.selectors import listed_posts, posts_awaiting_moderation
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db


def _form_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "post_type": "TR",
        "title": "Drone inspection of power lines",
        "summary": "We seek a partner with drone-based inspection for rural power lines.",
        "description": "Long description.",
        "partnership_types": ["research", "commercial"],
        "market_keywords": "energy, utilities",
        "technology_keywords": "drones, computer vision",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "ecosystems": [IndustrialEcosystem.objects.get(name="Energy-renewables").pk],
    }
    data.update(overrides)
    return data


def test_a_member_creates_submits_and_staff_publish_a_post(client, commits):
    owner = make_user()
    staff = make_user(staff=True)
    organisation = make_organisation(admin=owner, status="published")
    client.force_login(owner)
    response = client.post("/partnering/posts/new/", _form_data(organisation))
    assert response.status_code == 302
    post = PartnerPost.objects.get()
    assert post.status == PostStatus.DRAFT
    assert post.technology_keywords == ["drones", "computer vision"]
    assert post.reference is None

    client.post(f"/partnering/posts/{post.pk}/submit/")
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED
    assert re.fullmatch(rf"TRFI{timezone.now():%Y%m%d}001", post.reference)
    assert list(posts_awaiting_moderation()) == [post]

    client.force_login(staff)
    assert client.get("/partnering/moderation/").status_code == 200
    with commits():
        response = client.post(f"/partnering/moderation/{post.pk}/", {"action": "publish"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.expires_at is not None
    assert post in listed_posts()
    assert any("now published" in m.subject for m in mail.outbox)
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {
        "partnering.partnerpost.created",
        "partnering.partnerpost.submitted",
        "partnering.partnerpost.published",
    } <= actions


def test_references_count_per_type_country_and_day():
    owner = make_user()
    organisation = make_organisation(admin=owner)
    first = make_post(organisation, status=PostStatus.DRAFT)
    second = make_post(organisation, status=PostStatus.DRAFT)
    offer = make_post(organisation, status=PostStatus.DRAFT, post_type="BO")
    for post in (first, second, offer):
        services.post_submit(post=post, actor=owner)
        post.refresh_from_db()
    day = f"{timezone.now():%Y%m%d}"
    assert [first.reference, second.reference, offer.reference] == [
        f"TRFI{day}001",
        f"TRFI{day}002",
        f"BOFI{day}001",
    ]
    assert ReferenceCounter.objects.get(prefix=f"TRFI{day}").last == 2


def test_the_public_list_filters_and_searches():
    organisation = make_organisation(status="published")
    coatings = make_post(organisation, title="Lignin coatings for facades")
    offer = make_post(
        organisation,
        post_type="BO",
        title="Sawmill by-products for sale",
        summary="Bark and sawdust available in bulk.",
        partnership_types=["supplier"],
        market_keywords=["biomass"],
        technology_keywords=[],
    )
    make_post(organisation, status=PostStatus.DRAFT, title="Secret draft")
    from django.test import Client

    client = Client()
    page = client.get("/partnering/").content.decode()
    assert "Lignin coatings" in page and "Sawmill" in page and "Secret draft" not in page
    assert "Sawmill" not in client.get("/partnering/?type=TR").content.decode()
    assert "Lignin" not in client.get("/partnering/?partnership=supplier").content.decode()
    assert "Lignin" not in client.get("/partnering/?keyword=biomass").content.decode()
    assert "Sawmill" not in client.get("/partnering/?q=facades").content.decode()
    assert "Sawmill" in client.get("/partnering/?q=sawdust bulk").content.decode()
    assert "Sawmill" in client.get("/partnering/?country=FI").content.decode()
    offer.nace_activities.add(NaceActivity.objects.get(code="16.1"))
    by_sector = client.get("/partnering/?nace=16").content.decode()
    assert "Sawmill" in by_sector and "Lignin coatings" not in by_sector
    assert "Sawmill" not in client.get("/partnering/?country=SE").content.decode()
    assert client.get(f"/partnering/posts/{coatings.pk}/").status_code == 200
    assert client.get(f"/partnering/posts/{offer.pk}/").status_code == 200


def test_the_list_paginates_and_keeps_the_filters():
    organisation = make_organisation(status="published")
    for _n in range(25):
        make_post(organisation)
    from django.test import Client

    page = Client().get("/partnering/?type=TR").content.decode()
    assert "type=TR&amp;page=2" in page


def test_owners_renew_and_archive():
    owner = make_user()
    organisation = make_organisation(admin=owner)
    post = make_post(organisation, published_at=timezone.now() - timedelta(days=300))
    post.deadline = timezone.localdate() + timedelta(days=200)
    post.save()
    before = post.expires_at
    services.post_renew(post=post, actor=owner)
    post.refresh_from_db()
    assert post.expires_at > before
    services.post_archive(post=post, actor=owner)
    post.refresh_from_db()
    assert post.status == PostStatus.ARCHIVED
    assert post not in listed_posts()


def test_htmx_gets_only_the_results():
    organisation = make_organisation(status="published")
    make_post(organisation, title="Lignin coatings for facades")
    from django.test import Client

    response = Client().get("/partnering/?q=lignin", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results"' in html and "Lignin coatings" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("de", "Partnersuche"), ("fi", "Kumppanihaku"), ("fr", "Recherche de partenaires")],
)
def test_the_list_is_translated(client, settings, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/partnering/").content.decode()
    assert f"<h1>{heading}</h1>" in page


def test_search_finds_keywords_and_reference_codes():
    owner = make_user()
    organisation = make_organisation(admin=owner, status="published")
    post = make_post(organisation, status=PostStatus.DRAFT, technology_keywords=["hydrogen"])
    services.post_submit(post=post, actor=owner)
    post.refresh_from_db()
    services.post_moderate(post=post, actor=make_user(staff=True), transition="publish")
    from clustercollab.partnering.selectors import search_posts

    assert list(search_posts(listed_posts(), "hydrogen")) == [post]
    assert list(search_posts(listed_posts(), post.reference)) == [post]
    assert list(search_posts(listed_posts(), "nothing-like-this")) == []
