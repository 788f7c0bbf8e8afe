"""Writes on event registration: set-up, interest, registering, cancelling, reminders.

Every write that depends on how many places are taken first locks the event's
``RegistrationSetup`` row (``select_for_update``), so concurrent registrations and cancellations
of one event run one after another and a mode's capacity is never exceeded. SQLite has no row
locks, but its transactions start IMMEDIATE (see settings), which serialises writers the same way.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clustercollab.content.models import Event, EventMode
from clustercollab.core.audit import audit_log
from clustercollab.registrations import selectors, tasks
from clustercollab.registrations.models import (
    ACTIVE_STATUSES,
    AttendanceMode,
    Interest,
    Phase,
    Registration,
    RegistrationSetup,
    RegistrationStatus,
)


def _notify(registration_id: int, what: str) -> None:
    transaction.on_commit(
        lambda: tasks.send_registration_notice.enqueue(registration_id=registration_id, what=what)
    )


def _when(value: datetime, event: Event) -> str:
    return date_format(value.astimezone(event.zone), "j M Y, H:i") + f" ({event.timezone})"


def _locked_setup(event: Event) -> RegistrationSetup:
    setup = (
        RegistrationSetup.objects.select_for_update()
        .select_related("event")
        .filter(event_id=event.pk)
        .first()
    )
    if setup is None:
        raise ValidationError(_("Registration on the platform is not offered for this event."))
    return setup


def _check_mode(setup: RegistrationSetup, mode: str) -> None:
    if mode not in AttendanceMode.values:
        raise ValidationError(
            {
                "mode": _("Unknown attendance mode “%(mode)s”: choose on site or online.")
                % {"mode": mode}
            }
        )
    if mode not in setup.modes:
        raise ValidationError(
            {
                "mode": _("This event offers no %(mode)s attendance.")
                % {"mode": AttendanceMode(mode).label.lower()}
            }
        )


def _registered_count(event: Event, mode: str) -> int:
    return Registration.objects.filter(
        event=event, mode=mode, status=RegistrationStatus.REGISTERED
    ).count()


def _promote(setup: RegistrationSetup, mode: str, now: datetime) -> list[Registration]:
    """Move people from the mode's waiting list to free places, first in line first."""
    free = setup.capacity(mode) - _registered_count(setup.event, mode)
    if free <= 0:
        return []
    promoted = list(selectors.waiting_list(setup.event, mode)[:free])
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_log(
            actor=None,
            action="registrations.registration.promoted",
            target=setup.event,
            data={"registration": registration.pk, "mode": mode},
        )
        _notify(registration.pk, "promoted")
    return promoted


# --- Organisers ---------------------------------------------------------------------------


@transaction.atomic
def setup_save(
    *,
    event: Event,
    actor: Any,
    on_site_capacity: int,
    online_capacity: int,
    opens_at: datetime,
    closes_at: datetime,
    join_link: str = "",
    now: datetime | None = None,
) -> RegistrationSetup:
    """Open registration on an event, or change its settings.

    Capacity cannot drop below the people already registered in a mode; a raised capacity
    promotes people from the waiting list.
    """
    if not selectors.can_organise(user=actor, event=event):
        raise PermissionDenied(_("Only the event's organisers can set up its registration."))
    now = now or timezone.now()
    setup = RegistrationSetup.objects.select_for_update().filter(event_id=event.pk).first()
    created = setup is None
    setup = setup or RegistrationSetup(event=event)
    errors: dict[str, str] = {}
    if on_site_capacity < 0 or online_capacity < 0:
        errors["on_site_capacity"] = _("A capacity cannot be negative.")
    elif on_site_capacity == 0 and online_capacity == 0:
        errors["on_site_capacity"] = _("Offer at least one place, on site or online.")
    if event.mode == EventMode.ON_SITE and online_capacity:
        errors["online_capacity"] = _("This event takes place on site only.")
    if event.mode == EventMode.ONLINE and on_site_capacity:
        errors["on_site_capacity"] = _("This event takes place online only.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("Registration must close after it opens.")
    elif closes_at > event.ends_at:
        errors["closes_at"] = _("Registration cannot close after the event ends (%(end)s).") % {
            "end": _when(event.ends_at, event)
        }
    if created and event.ends_at <= now:
        errors["closes_at"] = _("This event has already ended.")
    for mode, field, capacity in (
        (AttendanceMode.ON_SITE, "on_site_capacity", on_site_capacity),
        (AttendanceMode.ONLINE, "online_capacity", online_capacity),
    ):
        registered = 0 if created else _registered_count(event, mode)
        if capacity < registered:
            errors[field] = _(
                "%(n)s people are already registered in this mode: the capacity cannot be lower."
            ) % {"n": registered}
    if errors:
        raise ValidationError(errors)
    setup.on_site_capacity = on_site_capacity
    setup.online_capacity = online_capacity
    setup.opens_at = opens_at
    setup.closes_at = closes_at
    setup.join_link = join_link.strip()
    setup.full_clean()
    try:
        with transaction.atomic():
            setup.save()
    except IntegrityError as error:  # two organisers opening registration at the same moment
        raise ValidationError(
            _("Registration was just set up by someone else: reload the page.")
        ) from error
    setup.event = event  # the caller's instance, not a second copy loaded by _promote
    for mode in AttendanceMode.values:
        _promote(setup, mode, now)
    audit_log(
        actor=actor,
        action="registrations.setup.created" if created else "registrations.setup.edited",
        target=event,
        data={"on_site_capacity": on_site_capacity, "online_capacity": online_capacity},
    )
    return setup


# --- Visitors with an account -------------------------------------------------------------


def _require_published(event: Event) -> None:
    if not event.is_public:
        raise ValidationError(_("This event is not published."))


@transaction.atomic
def interest_set(*, event: Event, user: Any, mode: str, now: datetime | None = None) -> Interest:
    """Say (or change) that the user would attend, and how, before registration opens."""
    now = now or timezone.now()
    _require_published(event)
    setup = _locked_setup(event)
    _check_mode(setup, mode)
    if setup.phase(now) != Phase.INTEREST:
        raise ValidationError(
            _("Registration has opened: register instead of saying you are interested.")
            if setup.phase(now) == Phase.OPEN
            else _("It is too late to say you are interested in this event.")
        )
    interest, created = Interest.objects.update_or_create(
        event=event, user=user, defaults={"mode": mode}
    )
    if created:
        audit_log(actor=user, action="registrations.interest.created", target=event)
    return interest


@transaction.atomic
def interest_withdraw(*, event: Event, user: Any) -> bool:
    deleted, _rows = Interest.objects.filter(event=event, user=user).delete()
    return bool(deleted)


@transaction.atomic
def register(*, event: Event, user: Any, mode: str, now: datetime | None = None) -> Registration:
    """Register the user in ``mode``, or put them on its waiting list when it is full."""
    now = now or timezone.now()
    _require_published(event)
    setup = _locked_setup(event)
    phase = setup.phase(now)
    if phase == Phase.ENDED:
        raise ValidationError(_("This event has already ended: registration is closed."))
    if phase == Phase.INTEREST:
        raise ValidationError(
            _("Registration opens on %(date)s.") % {"date": _when(setup.opens_at, event)}
        )
    if phase == Phase.CLOSED:
        raise ValidationError(
            _("Registration closed on %(date)s.") % {"date": _when(setup.closes_at, event)}
        )
    if Registration.objects.filter(event=event, user=user, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(_("You are already registered for this event."))
    _check_mode(setup, mode)
    full = _registered_count(event, mode) >= setup.capacity(mode)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                user=user,
                mode=mode,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                queued_at=now,
            )
    except IntegrityError as error:  # the same person twice at once, on an unlocked engine
        raise ValidationError(_("You are already registered for this event.")) from error
    audit_log(
        actor=user,
        action="registrations.registration.created",
        target=event,
        data={"mode": mode, "status": registration.status},
    )
    _notify(registration.pk, registration.status)
    return registration


@transaction.atomic
def cancel(*, registration: Registration, actor: Any, now: datetime | None = None) -> Registration:
    """Cancel a registration (its person or an organiser); the freed place goes to the first
    person on the mode's waiting list."""
    now = now or timezone.now()
    event = registration.event
    if actor != registration.user and not selectors.can_organise(user=actor, event=event):
        raise PermissionDenied(_("You can only cancel your own registration."))
    setup = _locked_setup(event)
    registration = Registration.objects.get(pk=registration.pk)
    if not registration.is_active:
        raise ValidationError(_("This registration is already cancelled."))
    if setup.phase(now) == Phase.ENDED:
        raise ValidationError(_("This event has already ended."))
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_log(actor=actor, action="registrations.registration.cancelled", target=event)
    _notify(registration.pk, "cancelled")
    if was_registered:
        _promote(setup, registration.mode, now)
    return registration


# --- Periodic -----------------------------------------------------------------------------


@transaction.atomic
def reminders_send(*, now: datetime | None = None, hours_before: int = 48) -> int:
    """Queue one reminder per registration whose event starts within ``hours_before`` hours."""
    now = now or timezone.now()
    due = list(
        selectors.registrations_needing_reminder(
            start_before=now + timedelta(hours=hours_before), now=now
        )
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    Registration.objects.filter(pk__in=due).update(reminded_at=now)
    for registration_id in due:
        _notify(registration_id, "reminder")
    return len(due)


@transaction.atomic
def opening_notices_send(*, now: datetime | None = None) -> int:
    """Tell the people who were interested that registration has opened (once each)."""
    now = now or timezone.now()
    due = list(
        selectors.interests_needing_opening_notice(now=now)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    Interest.objects.filter(pk__in=due).update(opening_notice_sent_at=now)
    for interest_id in due:
        transaction.on_commit(
            lambda pk=interest_id: tasks.send_opening_notice.enqueue(interest_id=pk)
        )
    return len(due)
