"""Matchmaking events: set-up, applications, participants, requests, meetings and agendas.

All instants are stored in UTC; each event and each participant has an IANA time zone used
only to display them.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, TimeStampedModel
from clustercollab.organisations.models import Organisation, OrganisationKind


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone; use a name like Europe/Helsinki."),
            params={"value": value},
        )


class EventMode(models.TextChoices):
    ONSITE = "onsite", _("On-site")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class RequestMode(models.TextChoices):
    APPROVAL = "approval", _("The recipient accepts or declines")
    AUTOMATIC = "automatic", _("Requests are accepted automatically")


class SchedulingMode(models.TextChoices):
    PARTICIPANTS_PICK = "participants_pick", _("Participants pick slots")
    ORGANISERS_SCHEDULE = "organisers_schedule", _("Organisers schedule the meetings")


class MatchmakingEvent(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_time_zone]
    )
    mode = models.CharField(_("format"), max_length=10, choices=EventMode.choices)
    request_mode = models.CharField(
        _("meeting requests"),
        max_length=10,
        choices=RequestMode.choices,
        default=RequestMode.APPROVAL,
    )
    scheduling_mode = models.CharField(
        _("scheduling"),
        max_length=20,
        choices=SchedulingMode.choices,
        default=SchedulingMode.ORGANISERS_SCHEDULE,
    )
    max_meetings_per_participant = models.PositiveSmallIntegerField(
        _("maximum meetings per participant"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    request_expiry_hours = models.PositiveSmallIntegerField(
        _("requests expire after (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    application_deadline = models.DateTimeField(_("application deadline"))
    booking_opens_at = models.DateTimeField(_("meeting requests open"))
    booking_closes_at = models.DateTimeField(_("meeting requests close"))
    meeting_link_pattern = models.CharField(
        _("virtual meeting link pattern"),
        max_length=300,
        blank=True,
        help_text=_("For example https://meet.example.org/cluster-{slot}-{table}."),
    )
    # Eligibility criteria checked automatically on every application.
    require_eu_or_cosme_country = models.BooleanField(
        _("legal entity in an EU or COSME country"), default=True
    )
    require_profile = models.BooleanField(
        _("published profile, or one submitted before the deadline"), default=True
    )
    eligible_kinds = models.JSONField(
        _("eligible kinds of organisation"),
        default=list,
        blank=True,
        help_text=_("Leave empty to accept every kind."),
    )
    organiser_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="organised_matchmaking_events",
        verbose_name=_("organiser organisations"),
    )
    is_public = models.BooleanField(_("listed publicly"), default=True)

    class Meta:
        ordering = ["-booking_opens_at", "title"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=F("booking_opens_at")),
                name="matchmaking_event_booking_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:event", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if (
            self.booking_opens_at
            and self.booking_closes_at
            and self.booking_closes_at <= self.booking_opens_at
        ):
            raise ValidationError(
                {"booking_closes_at": _("Meeting requests must close after they open.")}
            )
        unknown = set(self.eligible_kinds or []) - set(OrganisationKind.values)
        if unknown:
            raise ValidationError({"eligible_kinds": _("Unknown kind of organisation.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def participants_pick(self) -> bool:
        return self.scheduling_mode == SchedulingMode.PARTICIPANTS_PICK


class ParticipantType(models.Model):
    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="participant_types"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant type")
        verbose_name_plural = _("participant types")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="participant_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class AllowedRequest(models.Model):
    """One cell of the request matrix: participants of ``from_type`` may request ``to_type``."""

    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="allowed_requests"
    )
    from_type = models.ForeignKey(ParticipantType, on_delete=models.CASCADE, related_name="+")
    to_type = models.ForeignKey(ParticipantType, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "from_type", "to_type"], name="allowed_request_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_type} → {self.to_type}"


class OpportunityType(models.Model):
    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="opportunity_types"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("opportunity type")
        verbose_name_plural = _("opportunity types")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="opportunity_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    NETWORKING = "networking", _("Networking (1:1 meetings)")


class Session(models.Model):
    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=SessionKind.choices, default=SessionKind.NETWORKING
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class MeetingBlock(models.Model):
    """A stretch of a networking session cut into slots of equal length with breaks between."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="blocks")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("break between slots (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("meeting block")
        verbose_name_plural = _("meeting blocks")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="block_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} UTC"

    def slot_times(self) -> list[tuple]:
        """Return the (start, end) of every slot that fits in the block."""
        length = timedelta(minutes=self.slot_minutes)
        step = length + timedelta(minutes=self.break_minutes)
        times, start = [], self.start
        while start + length <= self.end:
            times.append((start, start + length))
            start += step
        return times


class Slot(models.Model):
    block = models.ForeignKey(MeetingBlock, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["session", "start"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} UTC"


class Table(models.Model):
    """A numbered table or room (on-site), or a virtual room whose link follows the pattern."""

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name or room"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="table_unique_number")
        ]

    def __str__(self) -> str:
        return self.name or str(_("Table %(number)s") % {"number": self.number})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve list")
    REJECTED = "rejected", _("Rejected")


class Application(TimeStampedModel):
    """An organisation's expression of interest in taking part in an event."""

    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="matchmaking_applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivation = models.TextField(_("why do you want to take part?"))
    participant_type = models.ForeignKey(
        ParticipantType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("participant type"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    is_late = models.BooleanField(_("late"), default=False)
    # [{"criterion": ..., "passed": bool | None, "detail": ...}]; None = could not be checked.
    eligibility = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="one_application_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.event}"

    @property
    def is_eligible(self) -> bool | None:
        results = [check["passed"] for check in self.eligibility]
        if any(result is False for result in results):
            return False
        return None if any(result is None for result in results) else True


class Participant(TimeStampedModel):
    """A selected organisation taking part; members of the organisation act for it."""

    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="matchmaking_participations"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="participant"
    )
    participant_type = models.ForeignKey(
        ParticipantType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("participant type"),
    )
    name = models.CharField(_("name shown to others"), max_length=250)
    description = models.TextField(_("what we bring and what we look for"), blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    time_zone = models.CharField(_("my time zone"), max_length=64, validators=[validate_time_zone])
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="participants", verbose_name=_("sessions I attend")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="one_participant_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class OpportunityKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class Opportunity(TimeStampedModel):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(_("offer or request"), max_length=8, choices=OpportunityKind.choices)
    opportunity_type = models.ForeignKey(
        OpportunityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("cooperation opportunity")
        verbose_name_plural = _("cooperation opportunities")

    def __str__(self) -> str:
        return self.title


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class Priority(models.IntegerChoices):
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    TOP = 3, _("Top priority")


class MeetingRequest(TimeStampedModel):
    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="meeting_requests"
    )
    requester = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(_("message"))
    priority = models.PositiveSmallIntegerField(
        _("how much do you want this meeting?"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    expires_at = models.DateTimeField(_("expires"))
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="meeting_request_not_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_open_request_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class MeetingStatus(models.TextChoices):
    TENTATIVE = "tentative", _("Waiting for the partner's answer")
    CONFIRMED = "confirmed", _("Confirmed")


class Meeting(TimeStampedModel):
    """A meeting in the live agenda: one request in one slot at one table.

    The bookings (one per participant) make a double-booked person impossible; the unique
    (slot, table) makes a double-booked table impossible.
    """

    event = models.ForeignKey(MatchmakingEvent, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings")
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings")
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.CONFIRMED
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__start", "table__number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="one_meeting_per_table_and_slot")
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot}"

    @property
    def link(self) -> str:
        pattern = self.event.meeting_link_pattern
        if not pattern or self.event.mode == EventMode.ONSITE:
            return ""
        return pattern.replace("{slot}", str(self.slot_id)).replace(
            "{table}", str(self.table.number)
        )


class Booking(models.Model):
    """A participant's place in a slot, taken by a meeting."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], name="one_booking_per_participant_and_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.slot}"


class Outcome(models.TextChoices):
    NONE = "none", _("No outcome")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    AGREEMENT = "agreement", _("Agreement reached")


class MeetingFeedback(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    partner_no_show = models.BooleanField(_("my partner did not come"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.NONE
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="one_feedback_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_outcome_display()}"


class AgendaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class AgendaVersion(TimeStampedModel):
    """One run of the scheduler: a draft, then the published agenda, then history."""

    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="agenda_versions"
    )
    status = models.CharField(
        max_length=10, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    upper_bound = models.FloatField(default=0)
    objective = models.FloatField(default=0)
    seconds = models.FloatField(default=0)
    # [{"type", "message", "request_id" | "participant_id"}]
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status="draft"),
                name="one_draft_agenda_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"

    @property
    def ratio(self) -> float | None:
        return self.objective / self.upper_bound if self.upper_bound else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else 100 * self.ratio


class AgendaEntry(models.Model):
    version = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE, related_name="entries")
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="+")
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        ordering = ["slot__start", "table__number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "request"], name="agenda_entry_unique"),
            models.UniqueConstraint(
                fields=["version", "slot", "table"], name="agenda_entry_table_free"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} @ {self.slot_id}/{self.table_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunStage(models.TextChoices):
    BUILDING = "building", _("Reading the requests and slots")
    SOLVING = "solving", _("Optimising the schedule")
    STORING = "storing", _("Saving the draft agenda")


class SchedulingRun(TimeStampedModel):
    """One "schedule all", run in the background: its progress, then its result or its error.

    At most one run per event is queued or running (a partial unique constraint), so a second
    "schedule all" is refused while one is under way.
    """

    event = models.ForeignKey(
        MatchmakingEvent, on_delete=models.CASCADE, related_name="scheduling_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=10, choices=RunStage.choices, blank=True)
    stage_started_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    time_limit = models.FloatField(default=5.0)
    version = models.ForeignKey(
        AgendaVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requests = models.PositiveIntegerField(default=0)
    scheduled = models.PositiveIntegerField(default=0)
    upper_bound = models.FloatField(default=0)
    objective = models.FloatField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=200, blank=True)
    # [[stage, seconds so far, weight so far], ...] from the scheduler's Solution.trace.
    trace = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_scheduling_run_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} run #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def ratio(self) -> float | None:
        return self.objective / self.upper_bound if self.upper_bound else None

    @property
    def percent(self) -> float | None:
        return None if self.ratio is None else 100 * self.ratio

    @property
    def stage_seconds(self) -> float:
        """Seconds spent in the current stage so far."""
        if self.stage_started_at is None:
            return 0.0
        return max(0.0, (timezone.now() - self.stage_started_at).total_seconds())

    @property
    def solving_progress(self) -> float:
        """Share of the solver's time limit used so far (the solver stops at its limit)."""
        return min(1.0, self.stage_seconds / self.time_limit) if self.time_limit else 0.0
