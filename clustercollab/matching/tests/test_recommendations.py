"""Recommendations: who fits a post, which calls fit a member, whom to meet at an event.

Never an unpublished profile, never the asking organisation itself; every match has a reason.
"""

import pytest
from django.core.management import call_command

from clustercollab.content.tests.helpers import make_call
from clustercollab.core.models import IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matching import recommendations
from clustercollab.matchmaking.tests.factories import make_event, make_participant
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.partnering.tests.factories import make_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedding_on_save")]
PUBLISHED = ModerationStatus.PUBLISHED


def _profile(name, about, *, status=PUBLISHED, ecosystems=("energy-renewables",), **fields):
    organisation = make_organisation(name=name, about=about, status=status, **fields)
    organisation.ecosystems.set(IndustrialEcosystem.objects.filter(slug__in=ecosystems))
    return organisation


@pytest.fixture
def hydrogen_world(settings):
    settings.MATCHING_EMBED_ON_SAVE = False  # embedded at once below, as embed_all would
    asker = _profile("Test Hydrogen Valley", "Green hydrogen production with electrolysers.")
    fits = _profile(
        "Test Elektrolyse GmbH",
        "Wir bauen Elektrolyseure für grünen Wasserstoff.",
        keywords=["electrolysers"],
    )
    hidden = _profile(
        "Test Hidden Hydrogen Lab",
        "Green hydrogen production with electrolysers.",
        status=ModerationStatus.SUBMITTED,
    )
    unrelated = _profile(
        "Test Dairy Cluster", "Cheese and milk processing.", ecosystems=("agri-food",)
    )
    post = make_post(
        asker,
        title="Partner for a green hydrogen electrolyser pilot",
        summary="We seek manufacturers of electrolysers for a hydrogen pilot plant.",
        technology_keywords=["electrolysers", "hydrogen"],
    )
    post.ecosystems.set(IndustrialEcosystem.objects.filter(slug="energy-renewables"))
    call = make_call(
        title="Renewable hydrogen valleys",
        summary="Demonstrate electrolysers and hydrogen storage in regional valleys.",
    )
    call.ecosystems.set(IndustrialEcosystem.objects.filter(slug="energy-renewables"))
    make_call(title="Dairy innovation", summary="New cheese processes.")
    call_command("embed_all", verbosity=0)
    return {
        "asker": asker,
        "fits": fits,
        "hidden": hidden,
        "unrelated": unrelated,
        "post": post,
        "call": call,
    }


def test_organisations_for_a_post_fit_and_are_explained(hydrogen_world):
    matches = recommendations.organisations_for_post(hydrogen_world["post"])
    found = [match.item for match in matches]
    assert found[0] == hydrogen_world["fits"]
    assert hydrogen_world["asker"] not in found
    assert hydrogen_world["hidden"] not in found
    reasons = [str(reason) for reason in matches[0].reasons]
    assert "Same industrial ecosystem: Renewable energy" in reasons or any(
        "Same industrial ecosystem" in reason for reason in reasons
    )
    assert "Matching keywords: electrolysers" in reasons
    assert all(match.reasons for match in matches)


def test_a_profile_that_is_unpublished_later_is_no_longer_recommended(hydrogen_world):
    fits = hydrogen_world["fits"]
    fits.status = ModerationStatus.ARCHIVED
    fits.save()
    found = [m.item for m in recommendations.organisations_for_post(hydrogen_world["post"])]
    assert fits not in found


def test_calls_that_fit_on_the_dashboard(client, hydrogen_world):
    user = make_user()
    hydrogen_world["asker"].memberships.create(user=user, role="admin")
    matches = recommendations.calls_for_organisation(hydrogen_world["asker"])
    assert [m.item for m in matches][:1] == [hydrogen_world["call"]]
    client.force_login(user)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="calls-that-fit"' in page
    assert "Renewable hydrogen valleys" in page
    assert "Dairy innovation" not in page


def test_people_to_meet_are_other_published_participants(client, hydrogen_world, settings):
    event = make_event()
    me = make_participant(
        event, name="Test Fuel Cell Cluster", about="Fuel cells running on green hydrogen."
    )
    me.organisation.ecosystems.set(IndustrialEcosystem.objects.filter(slug="energy-renewables"))
    other = make_participant(
        event, name="Test Elektrolyseur Netzwerk", about="Elektrolyseure und Wasserstoff."
    )
    other.organisation.ecosystems.set(IndustrialEcosystem.objects.filter(slug="energy-renewables"))
    hidden = make_participant(
        event, name="Test Hidden Fuel Cells", about="Fuel cells.", status=ModerationStatus.DRAFT
    )
    call_command("embed_all", "--kind", "organisation", verbosity=0)
    found = [m.item for m in recommendations.people_to_meet(me)]
    assert found[0] == other
    assert me not in found and hidden not in found
    client.force_login(me.user)
    page = client.get(f"/matchmaking/{event.pk}/participants/").content.decode()
    assert 'data-testid="people-to-meet"' in page and "Test Elektrolyseur Netzwerk" in page
