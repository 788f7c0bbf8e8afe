"""Background e-mails of matchmaking events: thin tasks that load by id and send."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from clustercollab.matchmaking.models import (
    Application,
    ApplicationStatus,
    Meeting,
    MeetingRequest,
    Participant,
)
from clustercollab.matchmaking.times import local_time_text
from clustercollab.organisations.models import Organisation, Role


def _organisation_admin_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Role.ADMIN).values_list("user__email", flat=True)
    )


def _participant_emails(participant: Participant) -> list[str]:
    emails = _organisation_admin_emails(participant.organisation)
    if participant.contact_email and participant.contact_email not in emails:
        emails.append(participant.contact_email)
    return emails


def _send(subject: str, body: str, recipients: list[str]) -> int:
    if not recipients:
        return 0
    send_mail(subject, body, None, recipients)
    return len(recipients)


@task()
def send_application_decision(*, application_id: int) -> int:
    application = (
        Application.objects.select_related("event", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    event = application.event
    url = settings.SITE_URL + event.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        texts = {
            ApplicationStatus.SELECTED: _(
                "Good news: %(organisation)s has been selected for %(event)s. Complete your "
                "participant profile and start requesting meetings: %(url)s"
            ),
            ApplicationStatus.RESERVE: _(
                "%(organisation)s is on the reserve list for %(event)s. We will write again if a "
                "place becomes free: %(url)s"
            ),
            ApplicationStatus.REJECTED: _(
                "We are sorry: %(organisation)s could not be selected for %(event)s. %(url)s"
            ),
        }
        text = texts.get(application.status)
        if text is None:
            return 0
        subject = _("Your application to %(event)s") % {"event": event.title}
        body = text % {"organisation": application.organisation.name, "event": event, "url": url}
    return _send(subject, body, _organisation_admin_emails(application.organisation))


@task()
def send_request_notice(*, request_id: int, what: str) -> int:
    """E-mail the other party about a request: created, accepted, declined, cancelled, expired."""
    request = (
        MeetingRequest.objects.select_related(
            "event", "requester__organisation", "recipient__organisation"
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    url = settings.SITE_URL + reverse("matchmaking:requests", kwargs={"pk": request.event_id})
    with translation.override(settings.LANGUAGE_CODE):
        names = {"requester": request.requester.name, "recipient": request.recipient.name}
        texts = {
            "created": (
                request.recipient,
                _("%(requester)s asks to meet you. Their message:"),
            ),
            "accepted": (request.requester, _("%(recipient)s accepted your meeting request.")),
            "declined": (request.requester, _("%(recipient)s declined your meeting request.")),
            "expired": (
                request.requester,
                _("Your meeting request to %(recipient)s expired without an answer."),
            ),
            "cancelled_by_requester": (
                request.recipient,
                _("%(requester)s cancelled the meeting with you."),
            ),
            "cancelled_by_recipient": (
                request.requester,
                _("%(recipient)s cancelled the meeting with you."),
            ),
        }
        if what not in texts:
            return 0
        to, text = texts[what]
        subject = _("Meeting request – %(event)s") % {"event": request.event.title}
        body = text % names
        if what == "created":
            body += f"\n\n{request.message}\n"
        meeting = Meeting.objects.filter(request=request).select_related("slot").first()
        if meeting is not None and what in ("created", "accepted"):
            partner = request.requester if to == request.recipient else request.recipient
            body += "\n" + _("Proposed time: %(mine)s (for %(partner)s: %(theirs)s)") % {
                "mine": local_time_text(meeting.slot.start, to.time_zone),
                "partner": partner.name,
                "theirs": local_time_text(meeting.slot.start, partner.time_zone),
            }
        body += "\n\n" + url
    return _send(subject, body, _participant_emails(to))


@task()
def send_meeting_reminder(*, meeting_id: int) -> int:
    meeting = (
        Meeting.objects.select_related(
            "event", "slot", "table", "request__requester", "request__recipient"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for me, partner in (
            (meeting.request.requester, meeting.request.recipient),
            (meeting.request.recipient, meeting.request.requester),
        ):
            subject = _("Reminder: your meeting with %(partner)s") % {"partner": partner.name}
            body = _("%(when)s, %(where)s: %(partner)s") % {
                "when": local_time_text(meeting.slot.start, me.time_zone),
                "where": meeting.link or str(meeting.table),
                "partner": partner.name,
            }
            sent += _send(subject, body, _participant_emails(me))
    return sent


@task()
def send_agenda_changes(*, participant_id: int, lines: list[str]) -> int:
    """Tell one participant exactly what changed in their agenda (lines built by the diff)."""
    participant = (
        Participant.objects.select_related("event", "organisation")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None or not lines:
        return 0
    url = settings.SITE_URL + reverse("matchmaking:agenda", kwargs={"pk": participant.event_id})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your agenda for %(event)s has changed") % {"event": participant.event.title}
        body = "\n".join(f"- {line}" for line in lines) + "\n\n" + url
    return _send(subject, body, _participant_emails(participant))


@task()
def run_scheduler(*, run_id: int) -> str:
    """Run one queued "schedule all" (see agenda.scheduling_run_execute); return its status."""
    from clustercollab.matchmaking import agenda  # agenda imports this module

    run = agenda.scheduling_run_execute(run_id=run_id)
    return run.status if run is not None else ""
