"""Writes on contact threads between organisations: messages, sharing, blocks, reports."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.core.audit import audit_log
from clustercollab.organisations.models import Organisation
from clustercollab.partnering import tasks
from clustercollab.partnering.models import (
    ContactThread,
    Message,
    OrganisationBlock,
    ThreadReadMark,
)
from clustercollab.partnering.services.membership import is_member, require_member


def _check_rate_limit(actor: Any) -> None:
    """Refuse a message past the hourly limit; the user's row is locked so that two messages
    sent at the same moment are counted one after the other."""
    if not settings.PARTNERING_RATE_LIMITS:
        return
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    limit = settings.PARTNERING_MESSAGES_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if Message.objects.filter(author=actor, created_at__gt=since).count() >= limit:
        raise ValidationError(
            _("You can send at most %(n)d messages per hour. Please try again later.")
            % {"n": limit}
        )


def _require_not_blocked(*, sender: Organisation, recipient: Organisation) -> None:
    if OrganisationBlock.objects.filter(blocker=recipient, blocked=sender).exists():
        raise ValidationError(_("This organisation does not accept messages from yours."))


def _add_message(*, thread: ContactThread, sender: Organisation, actor: Any, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    message = Message(thread=thread, sender=sender, author=actor, body=body)
    message.full_clean()
    message.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at", "updated_at"])
    ThreadReadMark.objects.update_or_create(
        thread=thread, user=actor, defaults={"read_at": message.created_at}
    )
    transaction.on_commit(lambda: tasks.send_thread_message_email.enqueue(message_id=message.pk))
    return message


@transaction.atomic
def thread_start(
    *, sender: Organisation, recipient: Organisation, actor: Any, subject: str, body: str
) -> ContactThread:
    """Write to a published organisation ("Contact this cluster")."""
    require_member(actor, sender.pk)
    if not recipient.is_public:
        raise ValidationError(_("This organisation cannot be contacted."))
    if sender.pk == recipient.pk:
        raise ValidationError(_("Choose another organisation than your own."))
    _require_not_blocked(sender=sender, recipient=recipient)
    _check_rate_limit(actor)
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": _("Give the message a subject.")})
    thread = ContactThread(initiator=sender, recipient=recipient, subject=subject)
    thread.full_clean()
    thread.save()
    _add_message(thread=thread, sender=sender, actor=actor, body=body)
    audit_log(
        actor=actor,
        action="partnering.thread.created",
        target=thread,
        data={"from": sender.pk, "to": recipient.pk},
    )
    return thread


def _side_of(thread: ContactThread, actor: Any) -> Organisation:
    """Return the actor's organisation in the thread (the initiator first), else refuse."""
    for organisation in (thread.initiator, thread.recipient):
        if is_member(actor, organisation.pk):
            return organisation
    raise PermissionDenied(_("Only the two organisations of this conversation can do this."))


@transaction.atomic
def message_send(*, thread: ContactThread, actor: Any, body: str) -> Message:
    """Add a message to a thread on behalf of the actor's side."""
    sender = _side_of(thread, actor)
    _require_not_blocked(sender=sender, recipient=thread.other_side(sender.pk))
    _check_rate_limit(actor)
    return _add_message(thread=thread, sender=sender, actor=actor, body=body)


@transaction.atomic
def thread_share_contact(*, thread: ContactThread, actor: Any) -> ContactThread:
    """Show the actor's organisation contact details to the other side of the thread."""
    side = _side_of(thread, actor)
    field = (
        "initiator_shares_contact" if side.pk == thread.initiator_id else "recipient_shares_contact"
    )
    setattr(thread, field, True)
    thread.save(update_fields=[field, "updated_at"])
    audit_log(actor=actor, action="partnering.thread.contact_shared", target=thread)
    return thread


@transaction.atomic
def organisation_block(*, thread: ContactThread, actor: Any) -> OrganisationBlock:
    """Stop messages from the other organisation of a thread to the actor's organisation."""
    side = _side_of(thread, actor)
    other = thread.other_side(side.pk)
    block, _created = OrganisationBlock.objects.get_or_create(
        blocker=side, blocked=other, defaults={"created_by": actor}
    )
    audit_log(
        actor=actor,
        action="partnering.organisation.blocked",
        target=side,
        data={"blocked": other.pk},
    )
    return block


@transaction.atomic
def organisation_unblock(*, thread: ContactThread, actor: Any) -> None:
    side = _side_of(thread, actor)
    OrganisationBlock.objects.filter(blocker=side, blocked=thread.other_side(side.pk)).delete()
    audit_log(actor=actor, action="partnering.organisation.unblocked", target=side)


@transaction.atomic
def thread_report(*, thread: ContactThread, actor: Any, reason: str) -> ContactThread:
    """Report a thread to platform staff, with a reason."""
    _side_of(thread, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tell staff what is wrong with this conversation.")})
    thread.reported_at = timezone.now()
    thread.report_reason = reason[:4000]
    thread.save(update_fields=["reported_at", "report_reason", "updated_at"])
    audit_log(actor=actor, action="partnering.thread.reported", target=thread, reason=reason)
    transaction.on_commit(lambda: tasks.send_thread_report_email.enqueue(thread_id=thread.pk))
    return thread


def thread_mark_read(*, thread: ContactThread, user: Any) -> None:
    ThreadReadMark.objects.update_or_create(
        thread=thread, user=user, defaults={"read_at": timezone.now()}
    )
