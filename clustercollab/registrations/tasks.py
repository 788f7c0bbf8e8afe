"""Background e-mails of event registration: thin tasks that load by id and send."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from clustercollab.registrations.models import (
    AttendanceMode,
    Interest,
    Registration,
    RegistrationStatus,
)


def _event_time(event) -> str:  # noqa: ANN001 – a content.Event
    local = event.starts_at.astimezone(event.zone)
    return date_format(local, "j M Y, H:i") + f" ({event.timezone})"


@task()
def send_registration_notice(*, registration_id: int, what: str) -> int:
    """E-mail the person about their registration: registered, waiting, promoted, cancelled,
    reminder. The join link goes only to people registered online."""
    registration = (
        Registration.objects.select_related("event", "event__registration_setup", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not registration.user.email:
        return 0
    event = registration.event
    url = settings.SITE_URL + event.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        texts = {
            RegistrationStatus.REGISTERED: _(
                "You are registered for %(event)s (%(mode)s), starting %(when)s. %(url)s"
            ),
            RegistrationStatus.WAITING: _(
                "%(event)s is full for %(mode)s attendance: you are on the waiting list. We will "
                "write again if a place becomes free. %(url)s"
            ),
            "promoted": _(
                "A place became free: you are now registered for %(event)s (%(mode)s), starting "
                "%(when)s. %(url)s"
            ),
            "cancelled": _("Your registration for %(event)s is cancelled. %(url)s"),
            "reminder": _("Reminder: %(event)s (%(mode)s) starts %(when)s. %(url)s"),
        }
        text = texts.get(what)
        if text is None:
            return 0
        body = text % {
            "event": event.title,
            "mode": AttendanceMode(registration.mode).label.lower(),
            "when": _event_time(event),
            "url": url,
        }
        setup = event.registration_setup
        if (
            what in (RegistrationStatus.REGISTERED, "promoted", "reminder")
            and registration.status == RegistrationStatus.REGISTERED
            and registration.mode == AttendanceMode.ONLINE
            and setup.join_link
        ):
            body += "\n\n" + _("Join online: %(link)s") % {"link": setup.join_link}
        body += "\n\n" + _("Your registrations: %(url)s") % {
            "url": settings.SITE_URL + reverse("registrations:mine")
        }
        subject = _("Registration: %(event)s") % {"event": event.title}
    send_mail(subject, body, None, [registration.user.email])
    return 1


@task()
def send_opening_notice(*, interest_id: int) -> int:
    """Tell an interested person that registration has opened."""
    interest = Interest.objects.select_related("event", "user").filter(pk=interest_id).first()
    if interest is None or not interest.user.email:
        return 0
    event = interest.event
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Registration is open: %(event)s") % {"event": event.title}
        body = _("You said you were interested in %(event)s. Registration is now open: %(url)s") % {
            "event": event.title,
            "url": settings.SITE_URL + event.get_absolute_url(),
        }
    send_mail(subject, body, None, [interest.user.email])
    return 1
