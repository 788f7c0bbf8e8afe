"""Reminders and offers of help: stored, shown to the cluster's members, e-mailed to its admins,
audited and rate-limited; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from clustercollab.core.models import AuditLogEntry
from clustercollab.regional.models import SupportMessage
from clustercollab.regional.services import support_message_send

pytestmark = pytest.mark.django_db


def _send(area, recipient, actor):
    return support_message_send(
        supporter=area.supporter, recipient=recipient, actor=actor, kind="reminder", body="Hello"
    )


def _url(area, organisation):
    return f"/regional/{area.supporter.pk}/organisations/{organisation.pk}/"


def test_a_help_offer_reaches_the_clusters_members_and_admins(client, area, commits):
    client.force_login(area.office_editor)
    body = "We can help you fill in your member counts — call us on Tuesday."
    with commits():
        response = client.post(_url(area, area.draft), {"kind": "help_offer", "body": body})
    assert response.status_code == 302
    message = SupportMessage.objects.get()
    assert (message.supporter, message.recipient, message.author, message.kind) == (
        area.supporter,
        area.draft,
        area.office_editor,
        "help_offer",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Message sent to Test Karelia Wood Cluster." in page and body in page

    # E-mailed to the cluster's admins only.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [area.draft_admin.email]
    assert email.subject == "Offer of help from Test EU Office of East and North Finland"
    assert body in email.body and "/regional/inbox/" in email.body

    # Shown to every member of the cluster: dashboard notice and inbox.
    entry = AuditLogEntry.objects.get(action="regional.message.sent")
    assert entry.actor == area.office_editor and entry.target_id == str(area.draft.pk)
    for member in [area.draft_admin, area.draft_editor]:
        client.force_login(member)
        dashboard = client.get("/dashboard/").content.decode()
        assert "received 1 message from a regional supporter" in dashboard
        inbox = client.get("/regional/inbox/").content.decode()
        assert body in inbox and "Test EU Office of East and North Finland" in inbox
    # Not to others.
    client.force_login(area.outsider)
    assert body not in client.get("/regional/inbox/").content.decode()
    assert "regional supporter" not in client.get("/dashboard/").content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "reminder", "body": "   "}, "Write a message first."),
        ({"kind": "reminder"}, "Write a message first."),
        ({"kind": "spam", "body": "Hello"}, "Select a valid choice."),
    ],
)
def test_an_empty_message_or_unknown_kind_is_refused(client, area, data, error):
    client.force_login(area.office_admin)
    response = client.post(_url(area, area.draft), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not SupportMessage.objects.exists()
    assert not AuditLogEntry.objects.filter(action="regional.message.sent").exists()
    assert not mail.outbox


def test_the_supporter_may_write_to_published_and_registering_clusters(area):
    for recipient in [area.draft, area.submitted, area.changes_requested, area.published]:
        _send(area, recipient, area.office_admin)
    assert SupportMessage.objects.count() == 4


def test_messages_to_one_cluster_are_limited_per_week(client, area, settings):
    settings.REGIONAL_MESSAGES_PER_ORGANISATION_PER_WEEK = 2
    client.force_login(area.office_admin)
    for _ in range(2):
        response = client.post(_url(area, area.draft), {"kind": "reminder", "body": "Hi"})
        assert response.status_code == 302
    refused = client.post(_url(area, area.draft), {"kind": "reminder", "body": "Hi again"})
    assert refused.status_code == 400
    assert "already received 2 messages from your organisation this week" in (
        refused.content.decode()
    )
    assert SupportMessage.objects.count() == 2
    # A week later, one more is allowed; another cluster could be written to meanwhile.
    SupportMessage.objects.update(created_at=timezone.now() - timedelta(days=8))
    response = client.post(_url(area, area.draft), {"kind": "reminder", "body": "Hi again"})
    assert response.status_code == 302


def test_messages_per_person_are_limited_per_day(area, settings):
    settings.REGIONAL_MESSAGES_PER_DAY = 2
    for recipient in [area.draft, area.submitted]:
        _send(area, recipient, area.office_editor)
    with pytest.raises(ValidationError, match="at most 2 messages a day"):
        _send(area, area.published, area.office_editor)
    # The daily limit is per person: a colleague can still write.
    _send(area, area.published, area.office_admin)
    assert SupportMessage.objects.count() == 3
