"""Background jobs: thin wrappers that load by id and send."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from clustercollab.organisations.models import Invitation, Organisation, Role


@task()
def send_profile_status_email(*, organisation_id: int, action: str, reason: str = "") -> int:
    """E-mail the organisation's admins about a moderation step; return how many were sent."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    recipients = list(
        organisation.memberships.filter(role=Role.ADMIN).values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    event = action.rsplit(".", 1)[-1]
    context = {
        "organisation": organisation,
        "event": event,
        "reason": reason,
        "url": settings.SITE_URL + organisation.get_absolute_url(),
        "review_days": settings.MODERATION_REVIEW_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("organisations/email/status_subject.txt", context).strip()
        body = render_to_string("organisations/email/status_body.txt", context)
    send_mail(subject, body, None, recipients)
    return len(recipients)


@task()
def send_invitation_email(*, invitation_id: int) -> int:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return 0
    context = {
        "invitation": invitation,
        "url": f"{settings.SITE_URL}/invitations/{invitation.token}/",
    }
    subject = render_to_string("organisations/email/invitation_subject.txt", context).strip()
    body = render_to_string("organisations/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return 1
