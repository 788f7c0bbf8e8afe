import pytest
from django.urls import reverse

from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Membership, Role
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    """alice is admin, bob is editor, charlie is an outsider."""
    alice, bob, charlie = (
        make_user("alice@example.org"),
        make_user("bob@example.org"),
        make_user("charlie@example.org"),
    )
    organisation = make_organisation(admin=alice, editors=[bob])
    return alice, bob, charlie, organisation


def test_it_does_not_let_a_non_member_edit_a_profile(client, cast):
    _alice, _bob, charlie, organisation = cast
    client.force_login(charlie)
    edit_url = reverse("organisations:edit", args=[organisation.pk])
    assert client.get(edit_url).status_code == 404
    response = client.post(edit_url, {"name": "Hijacked", "kind": "cluster", "country": "FI"})
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name != "Hijacked"
    assert client.post(reverse("organisations:submit", args=[organisation.pk])).status_code == 404


def test_it_lets_an_editor_edit_but_not_manage_colleagues(client, cast):
    alice, bob, charlie, organisation = cast
    client.force_login(bob)
    assert client.get(reverse("organisations:edit", args=[organisation.pk])).status_code == 200

    members_url = reverse("organisations:members", args=[organisation.pk])
    client.post(members_url, {"email": "dora@example.org", "role": "admin"})
    assert not organisation.invitations.exists()

    alice_membership = Membership.objects.get(user=alice, organisation=organisation)
    response = client.post(
        reverse("organisations:member_role", args=[organisation.pk, alice_membership.pk]),
        {"role": "editor"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("organisations:member_remove", args=[organisation.pk, alice_membership.pk])
    )
    assert response.status_code == 403
    alice_membership.refresh_from_db()
    assert alice_membership.role == Role.ADMIN


def test_nobody_can_remove_or_demote_the_last_admin(client, cast):
    alice, _bob, _charlie, organisation = cast
    client.force_login(alice)
    membership = Membership.objects.get(user=alice, organisation=organisation)
    role_url = reverse("organisations:member_role", args=[organisation.pk, membership.pk])
    remove_url = reverse("organisations:member_remove", args=[organisation.pk, membership.pk])

    response = client.post(role_url, {"role": "editor"}, follow=True)
    assert "at least one admin" in response.content.decode()
    client.post(remove_url)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN

    # With a second admin, alice may step down.
    bob_membership = Membership.objects.get(user__email="bob@example.org")
    client.post(
        reverse("organisations:member_role", args=[organisation.pk, bob_membership.pk]),
        {"role": "admin"},
    )
    client.post(remove_url)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert organisation.memberships.filter(role=Role.ADMIN).count() == 1


def test_the_last_admin_cannot_leave_through_the_service_either(cast):
    from django.core.exceptions import ValidationError

    from clustercollab.organisations.services import membership_remove

    alice, *_rest, organisation = cast
    with pytest.raises(ValidationError):
        membership_remove(membership=Membership.objects.get(user=alice), actor=alice)


@pytest.mark.parametrize(
    "status",
    [
        ModerationStatus.DRAFT,
        ModerationStatus.SUBMITTED,
        ModerationStatus.CHANGES_REQUESTED,
        ModerationStatus.ARCHIVED,
    ],
)
def test_a_visitor_never_sees_a_profile_that_is_not_published(client, status):
    member = make_user()
    organisation = make_organisation(admin=member, status=status, name="Hidden Hydrogen Cluster")
    url = organisation.get_absolute_url()
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("organisations:detail_short", args=[organisation.pk])).status_code == 404
    )
    assert "Hidden Hydrogen Cluster" not in client.get("/").content.decode()
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="next-step"' in response.content.decode()


def test_a_published_profile_is_public_with_json_ld(client):
    organisation = make_organisation(
        status=ModerationStatus.PUBLISHED, name="Visible Photonics Cluster"
    )
    response = client.get(organisation.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert '"@type": "Organization"' in body
    assert "Visible Photonics Cluster" in client.get("/").content.decode()


def test_only_staff_reach_the_moderation_queue(client):
    client.force_login(make_user())
    response = client.get(reverse("organisations:moderation_queue"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_user_may_belong_to_several_organisations(client):
    person = make_user()
    first = make_organisation(admin=person, name="North Karelia Forest Cluster")
    second = make_organisation(editors=[person], name="Arctic Tourism Cluster")
    client.force_login(person)
    body = client.get(reverse("organisations:dashboard")).content.decode()
    assert first.name in body and second.name in body
