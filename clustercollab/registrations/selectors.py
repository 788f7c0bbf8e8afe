"""Reads on event registration: who organises, where registration stands, lists and exports."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from clustercollab.content.models import Event
from clustercollab.organisations.models import Membership
from clustercollab.registrations.models import (
    ACTIVE_STATUSES,
    AttendanceMode,
    Interest,
    Registration,
    RegistrationSetup,
    RegistrationStatus,
)


def can_organise(*, user: Any, event: Event) -> bool:
    """Staff, and members of the organisation that posted or organises the event."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    organisations = {event.organisation_id, event.organiser_id} - {None}
    return Membership.objects.filter(user=user, organisation_id__in=organisations).exists()


def event_for_viewer(*, pk: int, user: Any) -> Event:
    """A published event, or any event the user organises; 404 otherwise."""
    event = Event.objects.select_related("registration_setup").filter(pk=pk).first()
    if event is None or not (event.is_public or can_organise(user=user, event=event)):
        raise Http404
    return event


def event_for_organiser(*, pk: int, user: Any) -> Event:
    """An event the user organises; 404 for everyone else (never reveal it)."""
    event = Event.objects.select_related("registration_setup").filter(pk=pk).first()
    if event is None or not can_organise(user=user, event=event):
        raise Http404
    return event


def setup_of(event: Event) -> RegistrationSetup | None:
    try:
        return event.registration_setup
    except RegistrationSetup.DoesNotExist:
        return None


@dataclass
class ModeFigures:
    mode: str
    label: str
    capacity: int
    registered: int
    waiting: int
    interested: int

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.registered, 0)


def figures(event: Event) -> list[ModeFigures]:
    """Capacity, registered, waiting and interested counts for each attendance mode."""
    setup = setup_of(event)
    counts = {
        (row["mode"], row["status"]): row["n"]
        for row in Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
        .values("mode", "status")
        .annotate(n=Count("id"))
    }
    interested = dict(
        Interest.objects.filter(event=event)
        .values("mode")
        .annotate(n=Count("id"))
        .values_list("mode", "n")
    )
    return [
        ModeFigures(
            mode=mode,
            label=str(label),
            capacity=setup.capacity(mode) if setup else 0,
            registered=counts.get((mode, RegistrationStatus.REGISTERED), 0),
            waiting=counts.get((mode, RegistrationStatus.WAITING), 0),
            interested=interested.get(mode, 0),
        )
        for mode, label in AttendanceMode.choices
    ]


def active_registration(*, event: Event, user: Any) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user, status__in=ACTIVE_STATUSES).first()


def interest_of(*, event: Event, user: Any) -> Interest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Interest.objects.filter(event=event, user=user).first()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on its mode's waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk),
        event_id=registration.event_id,
        mode=registration.mode,
        status=RegistrationStatus.WAITING,
    )
    return ahead.count() + 1


def join_link_for(*, event: Event, user: Any) -> str:
    """The online join link, for people registered online only (empty for everyone else)."""
    setup = setup_of(event)
    if setup is None or not setup.join_link:
        return ""
    registration = active_registration(event=event, user=user)
    if (
        registration is not None
        and registration.status == RegistrationStatus.REGISTERED
        and registration.mode == AttendanceMode.ONLINE
    ):
        return setup.join_link
    return ""


def waiting_list(event: Event, mode: str) -> QuerySet[Registration]:
    """A mode's waiting list, first in line first."""
    return Registration.objects.filter(
        event=event, mode=mode, status=RegistrationStatus.WAITING
    ).order_by("queued_at", "id")


def registrations_for_organiser(event: Event, *, status: str = "") -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event).select_related("user")
    if status:
        registrations = registrations.filter(status=status)
    return registrations.order_by("mode", "status", "queued_at", "id")


def registrations_of_user(user: Any) -> QuerySet[Registration]:
    """The user's registrations, next events first, then past and cancelled ones."""
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__registration_setup")
        .order_by("-event__starts_at", "-queued_at")
    )


def registrations_needing_reminder(*, start_before: datetime, now: datetime) -> QuerySet:
    return Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=start_before,
    )


def interests_needing_opening_notice(*, now: datetime) -> QuerySet[Interest]:
    """Interests in events whose registration is open now and that were not told yet."""
    return Interest.objects.filter(
        opening_notice_sent_at__isnull=True,
        event__registration_setup__opens_at__lte=now,
        event__registration_setup__closes_at__gt=now,
        event__ends_at__gt=now,
    )


CSV_HEADER = [
    "name",
    "email",
    "attendance",
    "status",
    "registered_at",
    "promoted_at",
    "cancelled_at",
]


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
    writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@") else v for v in values])
    return buffer.getvalue()


def registrations_csv_lines(event: Event) -> Iterator[str]:
    """The organiser's export: every registration, waiting and cancelled ones included."""
    yield _csv_line(CSV_HEADER)
    for registration in registrations_for_organiser(event).iterator(chunk_size=500):
        yield _csv_line(
            [
                registration.user.full_name,
                registration.user.email,
                registration.mode,
                registration.status,
                _iso(registration.queued_at),
                _iso(registration.promoted_at),
                _iso(registration.cancelled_at),
            ]
        )
