import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering import services
from clustercollab.partnering.models import (
    Network,
    NetworkMember,
    Partnership,
    PartnershipMember,
    PostStatus,
)
from clustercollab.partnering.tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_posts_are_public_to_read_and_drafts_are_not():
    organisation = make_organisation(status="published")
    listed = make_post(organisation)
    draft = make_post(organisation, status=PostStatus.DRAFT)
    client = Client()
    data = client.get("/api/v1/partner-posts/").json()
    assert [row["id"] for row in data["results"]] == [listed.pk]
    assert client.get(f"/api/v1/partner-posts/{listed.pk}/").json()["title"] == listed.title
    assert client.get(f"/api/v1/partner-posts/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/partner-posts/?q=lignin&type=TR").json()["count"] == 1


def test_members_create_and_update_their_posts():
    user = make_user()
    organisation = make_organisation(admin=user, status="published")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/api/v1/partner-posts/",
        json.dumps(
            {
                "organisation": organisation.pk,
                "post_type": "BR",
                "title": "Distributors for smart saunas",
                "summary": "Finnish sauna makers seek distributors in Japan.",
                "partnership_types": ["commercial"],
                "market_keywords": ["wellness"],
                "target_countries": ["JP"],
                "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["target_countries"] == ["JP"]
    response = client.patch(
        f"/api/v1/partner-posts/{body['id']}/",
        json.dumps({"title": "Distributors for smart saunas in Japan"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Distributors for smart saunas in Japan"


def test_interests_and_threads_only_for_the_organisations_involved():
    a_user, b_user, c_user = make_user(), make_user(), make_user()
    a = make_organisation(admin=a_user, status="published")
    b = make_organisation(admin=b_user, status="published")
    make_organisation(admin=c_user, status="published")
    post = make_post(a)
    interest = services.interest_create(
        post=post, organisation=b, actor=b_user, who_we_are="w", what_we_offer="o", why_we_fit="f"
    )
    services.interest_decide(interest=interest, actor=a_user, accept=True)
    interest.refresh_from_db()

    def get(user, url):
        client = Client()
        if user:
            client.force_login(user)
        return client.get(url)

    assert get(a_user, "/api/v1/expressions-of-interest/").json()["count"] == 1
    assert get(a_user, f"/api/v1/expressions-of-interest/{interest.pk}/").status_code == 200
    for outsider in (c_user, None):
        assert get(outsider, "/api/v1/expressions-of-interest/").status_code in (200, 401, 403)
        if outsider:
            assert get(outsider, "/api/v1/expressions-of-interest/").json()["count"] == 0
            assert get(outsider, "/api/v1/contact-threads/").json()["count"] == 0
        assert get(outsider, f"/api/v1/expressions-of-interest/{interest.pk}/").status_code in (
            401,
            403,
            404,
        )
        assert get(outsider, f"/api/v1/contact-threads/{interest.thread_id}/").status_code in (
            401,
            403,
            404,
        )
    # The interested side sees the thread, not the owner's list of interests.
    assert get(b_user, f"/api/v1/contact-threads/{interest.thread_id}/").status_code == 200
    assert get(b_user, "/api/v1/expressions-of-interest/").json()["count"] == 0


def test_partnerships_and_networks_are_public():
    a = make_organisation(status="published")
    partnership = Partnership.objects.create(
        name="Nordic Bioeconomy Partnership", programme="escp_4i", status="published"
    )
    PartnershipMember.objects.create(partnership=partnership, organisation=a, role="coordinator")
    network = Network.objects.create(name="Test cluster association", scope="national")
    NetworkMember.objects.create(network=network, organisation=a)
    client = Client()
    data = client.get("/api/v1/partnerships/").json()
    assert data["results"][0]["members"] == [
        {"organisation": a.pk, "name": a.name, "role": "coordinator"}
    ]
    assert client.get(f"/api/v1/partnerships/{partnership.pk}/").status_code == 200
    assert (
        client.get("/api/v1/networks/").json()["results"][0]["members"][0]["organisation"] == a.pk
    )
    assert client.get(f"/api/v1/networks/{network.pk}/").status_code == 200
