"""Registration for events on the platform, beside an event's external registration link.

An organiser opens registration on a ``content.Event`` with a ``RegistrationSetup``: capacity per
attendance mode, opening and closing dates, the online join link. Before registration opens,
people with an account say they are interested (and how they would attend); once it opens they
register, or join the mode's waiting list when it is full.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clustercollab.content.models import Event
from clustercollab.core.models import TimeStampedModel


class AttendanceMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


class Phase(models.TextChoices):
    """Where an event's registration stands at a given moment (computed, never stored)."""

    INTEREST = "interest", _("Registration not open yet: say you are interested")
    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    ENDED = "ended", _("The event has ended")


class RegistrationSetup(TimeStampedModel):
    """One event's registration settings; its row is the lock registrations take."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="registration_setup", verbose_name=_("event")
    )
    on_site_capacity = models.PositiveIntegerField(
        _("places on site"), default=0, help_text=_("0: no on-site attendance.")
    )
    online_capacity = models.PositiveIntegerField(
        _("places online"), default=0, help_text=_("0: no online attendance.")
    )
    opens_at = models.DateTimeField(_("registration opens"))
    closes_at = models.DateTimeField(_("registration closes"))
    join_link = models.URLField(
        _("online join link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to people registered online."),
    )

    class Meta:
        verbose_name = _("registration set-up")
        verbose_name_plural = _("registration set-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="registration_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)

    def capacity(self, mode: str) -> int:
        return self.on_site_capacity if mode == AttendanceMode.ON_SITE else self.online_capacity

    @property
    def modes(self) -> list[str]:
        """The attendance modes offered (those with places)."""
        return [mode for mode in AttendanceMode.values if self.capacity(mode) > 0]

    def phase(self, now: datetime) -> str:
        if now >= self.event.ends_at:
            return Phase.ENDED
        if now < self.opens_at:
            return Phase.INTEREST
        if now < self.closes_at:
            return Phase.OPEN
        return Phase.CLOSED


class Interest(TimeStampedModel):
    """Someone with an account would attend, in this mode (said before registration opens)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registration_interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_interests"
    )
    mode = models.CharField(_("attendance"), max_length=8, choices=AttendanceMode.choices)
    # When the "registration is open" e-mail went out (once).
    opening_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_interest_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.mode})"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


class Registration(TimeStampedModel):
    """A person's place at an event (or on its waiting list); cancelled ones stay as history."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    mode = models.CharField(_("attendance"), max_length=8, choices=AttendanceMode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    # The waiting list is served in this order (first come, first served).
    queued_at = models.DateTimeField(_("registered at"))
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(
                fields=["event", "mode", "status", "queued_at"], name="registration_queue"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["registered", "waiting"]),
                name="one_active_registration_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.mode}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
