import re

import pytest
from django.core import mail
from django.urls import reverse

from clustercollab.organisations.models import Membership, Role
from clustercollab.organisations.tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    def send(organisation, email, role="editor"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("organisations:members", args=[organisation.pk]),
                {"email": email, "role": role},
            )

    return send


def test_an_admin_invites_a_colleague_who_accepts_with_the_link(client, invite):
    admin, colleague = make_user(), make_user("kaisa@example.org")
    organisation = make_organisation(admin=admin)
    client.force_login(admin)
    invite(organisation, "Kaisa@Example.org")
    message = mail.outbox[-1]
    assert message.to == ["kaisa@example.org"]
    link = re.search(r"http://\S+/invitations/\S+/", message.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]

    client.force_login(colleague)
    assert client.get(path).status_code == 200
    client.post(path)
    membership = Membership.objects.get(user=colleague, organisation=organisation)
    assert membership.role == Role.EDITOR
    # The link works once.
    client.post(path)
    assert Membership.objects.filter(user=colleague).count() == 1


def test_an_invitation_cannot_be_accepted_by_someone_else(client, invite):
    admin, intruder = make_user(), make_user("intruder@example.org")
    organisation = make_organisation(admin=admin)
    client.force_login(admin)
    invite(organisation, "kaisa@example.org")
    invitation = organisation.invitations.get()
    client.force_login(intruder)
    response = client.post(
        reverse("organisations:invitation_accept", args=[invitation.token]), follow=True
    )
    assert "was sent to kaisa@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=intruder).exists()


def test_inviting_twice_or_inviting_a_member_is_refused(client, invite):
    admin = make_user("admin@example.org")
    organisation = make_organisation(admin=admin)
    client.force_login(admin)
    invite(organisation, "kaisa@example.org")
    response = invite(organisation, "kaisa@example.org")
    assert "already been invited" in response.content.decode()
    response = invite(organisation, "admin@example.org")
    assert "already a member" in response.content.decode()
    assert organisation.invitations.count() == 1


def test_an_admin_changes_roles_and_removes_members(client):
    admin, editor = make_user(), make_user()
    organisation = make_organisation(admin=admin, editors=[editor])
    membership = Membership.objects.get(user=editor)
    client.force_login(admin)
    client.post(
        reverse("organisations:member_role", args=[organisation.pk, membership.pk]),
        {"role": "admin"},
    )
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    client.post(reverse("organisations:member_remove", args=[organisation.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_withdrawn_invitation_no_longer_works(client, invite):
    admin, colleague = make_user(), make_user("kaisa@example.org")
    organisation = make_organisation(admin=admin)
    client.force_login(admin)
    invite(organisation, "kaisa@example.org")
    invitation = organisation.invitations.get()
    client.post(reverse("organisations:invitation_revoke", args=[organisation.pk, invitation.pk]))
    client.force_login(colleague)
    client.post(reverse("organisations:invitation_accept", args=[invitation.token]))
    assert not Membership.objects.filter(user=colleague).exists()
