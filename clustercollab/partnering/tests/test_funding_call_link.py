"""An R&D partner search names its funding call: linked to the call on the platform when there
is one (chosen by topic identifier, page address or number), else as text."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from clustercollab.content.tests.factories import post_call
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering.models import PartnerPost

pytestmark = pytest.mark.django_db

TOPIC = "HORIZON-CL5-2027-D3-01-05"


@pytest.fixture
def member(client):
    user = make_user()
    organisation = make_organisation(admin=user, status="published")
    client.force_login(user)
    return user, organisation


@pytest.fixture
def call():
    return post_call(
        actor=make_user(staff=True),
        organisation=None,
        title="Test call: industrial-scale batteries",
        topic_identifier=TOPIC,
        link="https://ec.europa.eu/info/funding-tenders/opportunities/portal/",
    )


def _form(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "post_type": "RD",
        "title": "Partners for a battery recycling pilot",
        "summary": "A cluster seeks partners for a Horizon Europe proposal.",
        "partnership_types": ["research"],
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        **overrides,
    }


@pytest.mark.parametrize("how", ["topic", "address", "number"])
def test_the_form_links_the_call_and_the_post_page_shows_it(client, member, call, how):
    _user, organisation = member
    typed = {
        "topic": TOPIC.lower(),
        "address": f"https://example.org{call.get_absolute_url()}",
        "number": str(call.pk),
    }[how]
    response = client.post("/partnering/posts/new/", _form(organisation, funding_call=typed))
    assert response.status_code == 302
    post = PartnerPost.objects.get()
    assert post.funding_call == call
    # The text stays as the fallback.
    assert (post.funding_call_identifier, post.funding_call_title) == (TOPIC, call.title)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{call.get_absolute_url()}"' in page
    # The edit form shows the call as its topic identifier.
    assert f'value="{TOPIC}"' in client.get(f"/partnering/posts/{post.pk}/edit/").content.decode()


def test_a_call_not_published_cannot_be_linked(client, member, call):
    _user, organisation = member
    call.status = "draft"
    call.save()
    response = client.post("/partnering/posts/new/", _form(organisation, funding_call=TOPIC))
    assert "No published funding call" in response.content.decode()
    assert not PartnerPost.objects.exists()


def test_the_text_alone_still_names_a_call_not_on_the_platform(client, member):
    _user, organisation = member
    response = client.post(
        "/partnering/posts/new/",
        _form(organisation, funding_call_identifier="INTERREG-BSR-2027-3"),
    )
    assert response.status_code == 302
    assert PartnerPost.objects.get().funding_call is None


def test_suggestions_while_typing(client, call):
    response = client.get("/partnering/calls/suggestions/", {"funding_call": "cl5-2027"})
    assert f'<option value="{TOPIC}">' in response.content.decode()
    assert (
        "<option"
        not in client.get("/partnering/calls/suggestions/", {"funding_call": "c"}).content.decode()
    )
    assert (
        "<option"
        not in client.get(
            "/partnering/calls/suggestions/", {"funding_call": "no such call"}
        ).content.decode()
    )


def test_the_api_links_a_call_by_id(client, member, call):
    _user, organisation = member
    data = _form(organisation, funding_call=call.pk, partnership_types=["research"])
    response = client.post(
        "/api/v1/partner-posts/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code in (200, 201), response.content
    assert response.json()["funding_call"] == call.pk
    assert PartnerPost.objects.get().funding_call_identifier == TOPIC


def test_the_call_page_lists_its_open_partner_searches(client, member, call):
    from clustercollab.partnering.tests.factories import make_post

    _user, organisation = member
    listed = make_post(organisation, post_type="RD", funding_call=call, title="Listed search")
    make_post(organisation, post_type="RD", funding_call=call, status="draft", title="Draft one")
    page = client.get(call.get_absolute_url()).content.decode()
    assert listed.get_absolute_url() in page
    assert "Draft one" not in page
