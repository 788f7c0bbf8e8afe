"""Content posted on the platform: news, events, funding calls, success stories, country
policy factsheets and campaigns.

Member content (news, events, calls, stories) goes through the shared moderation workflow
(core.moderation); staff content publishes directly. Factsheets and campaigns are staff-edited.
"""

import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustercollab.core.models import Country, IndustrialEcosystem, TimeStampedModel
from clustercollab.core.moderation import ModeratedModel, ModerationStatus
from clustercollab.organisations.models import Organisation

# The small tag set members may use in rich text; everything else is stripped on save.
RICH_TEXT_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h2",
    "h3",
    "h4",
}
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_rich_text(html: str) -> str:
    """Return ``html`` with only the allowed tags and safe links left (scripts removed)."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def folded(text: str) -> str:
    """Return ``text`` lower-cased without accents or tags, for accent-insensitive search."""
    text = nh3.clean(text or "", tags=set()) if "<" in (text or "") else (text or "")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def validate_time_zone(name: str) -> None:
    """Raise ValidationError unless ``name`` is an IANA time zone such as Europe/Helsinki."""
    try:
        if not name or name != name.strip() or "/" not in name and name != "UTC":
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(name)s” is not a known time zone; use a name such as Europe/Brussels."),
            code="unknown_time_zone",
            params={"name": name},
        ) from exc


class ContentQuerySet(models.QuerySet):
    def published(self) -> "ContentQuerySet":
        return self.filter(status=ModerationStatus.PUBLISHED)


class ContentItem(TimeStampedModel, ModeratedModel):
    """Fields every moderated content type has.

    ``RICH_TEXT_FIELDS`` are sanitised and ``search_text`` is rebuilt from ``SEARCH_FIELDS`` in
    ``save()`` (so bulk_create/update must call ``refresh_search_text()`` themselves).
    """

    RICH_TEXT_FIELDS: tuple[str, ...] = ()
    SEARCH_FIELDS: tuple[str, ...] = ("title", "summary")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(max_length=80)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    ecosystems = models.ManyToManyField(
        IndustrialEcosystem, blank=True, related_name="+", verbose_name=_("industrial ecosystems")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.PROFILE_LANGUAGES, default="en"
    )
    # The organisation that posted it; empty for staff and imported content.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    # Folded (lower-case, accent-free) text of SEARCH_FIELDS: one plain search on every database.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def refresh_search_text(self) -> None:
        self.search_text = folded(" ".join(str(getattr(self, f) or "") for f in self.SEARCH_FIELDS))

    def save(self, *args: object, **kwargs: object) -> None:
        for field in self.RICH_TEXT_FIELDS:
            setattr(self, field, sanitise_rich_text(getattr(self, field)))
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", *self.RICH_TEXT_FIELDS}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        for field in self.RICH_TEXT_FIELDS:
            setattr(self, field, sanitise_rich_text(getattr(self, field)))


class News(ContentItem):
    RICH_TEXT_FIELDS = ("body",)
    SEARCH_FIELDS = ("title", "summary", "body")

    body = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to="content/news/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="news_latest"),
            models.Index(fields=["status", "submitted_at"], name="news_queue"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("content:news_detail", kwargs={"pk": self.pk, "slug": self.slug})


class EventMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventType(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    MATCHMAKING = "matchmaking", _("Matchmaking")
    FAIR = "fair", _("Fair")
    TRAINING = "training", _("Training")


class EventQuerySet(ContentQuerySet):
    def upcoming(self, now: datetime | None = None) -> "EventQuerySet":
        """Events that have not ended yet, soonest first."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "id")

    def past(self, now: datetime | None = None) -> "EventQuerySet":
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-id")

    def overlapping(self, start: datetime, end: datetime) -> "EventQuerySet":
        """Events running at some moment in [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gte=start)


class Campaign(TimeStampedModel):
    """A platform-wide campaign such as the EU Cluster Weeks, with its own call for events."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    events_deadline = models.DateTimeField(
        _("deadline for submitting events"),
        null=True,
        blank=True,
        help_text=_("Empty: events can be submitted until the campaign ends."),
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.description = sanitise_rich_text(self.description)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("content:campaign_detail", kwargs={"slug": self.slug})

    def accepts_events(self, now: datetime | None = None) -> bool:
        """Whether the call for events is still open at ``now``."""
        now = now or timezone.now()
        if self.events_deadline is not None:
            return now <= self.events_deadline
        return now.date() <= self.ends_on

    def window(self) -> tuple[datetime, datetime]:
        """The campaign's first and last day as an aware UTC [start, end) range."""
        start = datetime.combine(self.starts_on, datetime.min.time(), tzinfo=ZoneInfo("UTC"))
        end = datetime.combine(self.ends_on, datetime.min.time(), tzinfo=ZoneInfo("UTC"))
        return start, end + timedelta(days=1)


class Event(ContentItem):
    RICH_TEXT_FIELDS = ("description",)
    SEARCH_FIELDS = ("title", "summary", "description", "venue", "city")

    description = models.TextField(_("description"), blank=True)
    event_type = models.CharField(
        _("type of event"), max_length=12, choices=EventType.choices, db_index=True
    )
    mode = models.CharField(_("format"), max_length=8, choices=EventMode.choices)
    # Stored in UTC; ``timezone`` is the zone the organiser gave the times in.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("The time zone the times are given in, e.g. Europe/Helsinki."),
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organiser"),
        help_text=_("Empty: the posting organisation organises it."),
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("campaign"),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_calendar"),
            models.Index(fields=["status", "ends_at"], name="event_upcoming"),
            models.Index(fields=["status", "submitted_at"], name="event_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="event_coordinates_in_world",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})

    def get_absolute_url(self) -> str:
        return reverse("content:event_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def organiser_or_poster(self) -> Organisation | None:
        return self.organiser or self.organisation


class DeadlineModel(models.TextChoices):
    SINGLE_STAGE = "single_stage", _("Single stage")
    TWO_STAGE = "two_stage", _("Two stages")
    MULTIPLE_CUT_OFF = "multiple_cut_off", _("Multiple cut-off dates")


class CallStatus(models.TextChoices):
    FORTHCOMING = "forthcoming", _("Forthcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CallSource(models.TextChoices):
    IMPORTED = "imported", _("Imported from the EU Funding & Tenders Portal")
    POSTED = "posted", _("Posted on the platform")


class FundingCallQuerySet(ContentQuerySet):
    def with_final_deadline(self) -> "FundingCallQuerySet":
        return self.annotate(
            final_deadline=models.functions.Coalesce("second_deadline_at", "deadline_at")
        )

    def forthcoming(self, now: datetime | None = None) -> "FundingCallQuerySet":
        """Calls not open yet at ``now`` (see FundingCall.status_at)."""
        now = now or timezone.now()
        return (
            self.with_final_deadline()
            .filter(Q(opens_at__gt=now) | Q(opens_at__isnull=True, opening_date_pending=True))
            .filter(Q(final_deadline__isnull=True) | Q(final_deadline__gte=now))
        )

    def open(self, now: datetime | None = None) -> "FundingCallQuerySet":
        """Calls open at ``now``: opened (or no opening date) and the last deadline not passed."""
        now = now or timezone.now()
        return (
            self.with_final_deadline()
            .filter(Q(opens_at__lte=now) | Q(opens_at__isnull=True, opening_date_pending=False))
            .filter(Q(final_deadline__isnull=True) | Q(final_deadline__gte=now))
        )

    def closed(self, now: datetime | None = None) -> "FundingCallQuerySet":
        return self.with_final_deadline().filter(final_deadline__lt=now or timezone.now())

    def with_status(self, status: str, now: datetime | None = None) -> "FundingCallQuerySet":
        return {
            CallStatus.FORTHCOMING: self.forthcoming,
            CallStatus.OPEN: self.open,
            CallStatus.CLOSED: self.closed,
        }[CallStatus(status)](now)

    def closing_soon(self, now: datetime | None = None, days: int = 30) -> "FundingCallQuerySet":
        """Open calls whose next deadline falls within ``days`` of ``now``, soonest first."""
        now = now or timezone.now()
        until = now + timedelta(days=days)
        return (
            self.open(now)
            .filter(
                Q(deadline_at__gte=now, deadline_at__lte=until)
                | Q(deadline_at__lt=now, second_deadline_at__gte=now, second_deadline_at__lte=until)
            )
            .annotate(
                next_deadline=models.Case(
                    models.When(deadline_at__gte=now, then="deadline_at"),
                    default="second_deadline_at",
                )
            )
            .order_by("next_deadline", "id")
        )


class FundingCall(ContentItem):
    RICH_TEXT_FIELDS = ("description",)
    SEARCH_FIELDS = (
        "title",
        "summary",
        "description",
        "programme",
        "call_identifier",
        "call_title",
        "topic_identifier",
        "type_of_action",
    )

    programme = models.CharField(_("programme"), max_length=200, db_index=True)
    call_identifier = models.CharField(_("call identifier"), max_length=120, blank=True)
    call_title = models.CharField(_("call title"), max_length=500, blank=True)
    # NULL for calls without an official topic; several NULLs do not collide.
    topic_identifier = models.CharField(
        _("topic identifier"), max_length=120, null=True, blank=True, unique=True
    )
    type_of_action = models.CharField(_("type of action"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    # The portal lists a call as forthcoming before it announces the opening date.
    opening_date_pending = models.BooleanField(
        _("opening date not announced yet"),
        default=False,
        help_text=_("The call is forthcoming; its opening date is not known yet."),
    )
    deadline_model = models.CharField(
        _("deadline model"),
        max_length=20,
        choices=DeadlineModel.choices,
        default=DeadlineModel.SINGLE_STAGE,
    )
    # Stored in UTC; ``timezone`` is the zone the deadlines are announced in.
    deadline_at = models.DateTimeField(
        _("deadline"), null=True, blank=True, help_text=_("For two stages: the first stage.")
    )
    second_deadline_at = models.DateTimeField(_("second-stage deadline"), null=True, blank=True)
    timezone = models.CharField(
        _("time zone of the deadlines"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
    )
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_grants = models.PositiveIntegerField(_("expected grants"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CallSource.choices, default=CallSource.POSTED
    )

    objects = FundingCallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline_at", "id"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="call_deadline"),
            models.Index(fields=["status", "submitted_at"], name="call_queue"),
        ]

    def clean(self) -> None:
        super().clean()
        if self.deadline_model == DeadlineModel.TWO_STAGE and self.deadline_at is None:
            raise ValidationError({"deadline_at": _("Give the first-stage deadline.")})
        if (
            self.deadline_model == DeadlineModel.TWO_STAGE
            and self.deadline_at
            and self.second_deadline_at
            and self.second_deadline_at < self.deadline_at
        ):
            raise ValidationError(
                {"second_deadline_at": _("The second stage cannot close before the first.")}
            )
        if self.deadline_model != DeadlineModel.TWO_STAGE and self.second_deadline_at:
            raise ValidationError(
                {"second_deadline_at": _("Only two-stage calls have a second deadline.")}
            )
        if self.opens_at and self.deadline_at and self.deadline_at < self.opens_at:
            raise ValidationError({"deadline_at": _("The deadline cannot be before the opening.")})

    def get_absolute_url(self) -> str:
        return reverse("content:call_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def final_deadline_at(self) -> datetime | None:
        return self.second_deadline_at or self.deadline_at

    def status_at(self, now: datetime | None = None) -> CallStatus:
        """Forthcoming, open or closed at ``now`` (default: the current time)."""
        now = now or timezone.now()
        final = self.final_deadline_at
        if final is not None and now > final:
            return CallStatus.CLOSED
        if self.opens_at is not None:
            return CallStatus.FORTHCOMING if now < self.opens_at else CallStatus.OPEN
        return CallStatus.FORTHCOMING if self.opening_date_pending else CallStatus.OPEN

    @property
    def call_status(self) -> CallStatus:
        return self.status_at()

    def next_deadline_at(self, now: datetime | None = None) -> datetime | None:
        now = now or timezone.now()
        for deadline in (self.deadline_at, self.second_deadline_at):
            if deadline is not None and deadline >= now:
                return deadline
        return None

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class SuccessStory(ContentItem):
    RICH_TEXT_FIELDS = ("body",)
    SEARCH_FIELDS = ("title", "summary", "body", "outcome", "origin")

    body = models.TextField(_("story"), blank=True)
    organisations_involved = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="success_stories",
        verbose_name=_("organisations involved"),
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="success_stories",
        verbose_name=_("event it came from"),
    )
    origin = models.CharField(_("partnership or event it came from"), max_length=250, blank=True)
    origin_url = models.URLField(_("link to the partnership or event"), max_length=500, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    quote = models.TextField(_("quote"), max_length=1000, blank=True)
    quote_author = models.CharField(_("quoted person"), max_length=200, blank=True)
    image = models.ImageField(_("image"), upload_to="content/stories/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="story_latest"),
            models.Index(fields=["status", "submitted_at"], name="story_queue"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("content:story_detail", kwargs={"pk": self.pk, "slug": self.slug})


class PolicyFactsheetQuerySet(models.QuerySet):
    def published(self) -> "PolicyFactsheetQuerySet":
        return self.filter(is_published=True)


class PolicyFactsheet(TimeStampedModel):
    """One country's cluster policy, kept by staff."""

    RICH_TEXT_FIELDS = ("summary", "programmes", "agencies", "support_instruments", "contacts")

    country = models.OneToOneField(
        Country,
        on_delete=models.CASCADE,
        related_name="policy_factsheet",
        verbose_name=_("country"),
    )
    summary = models.TextField(_("overview"), blank=True)
    programmes = models.TextField(_("national and regional cluster programmes"), blank=True)
    agencies = models.TextField(_("agencies"), blank=True)
    support_instruments = models.TextField(_("support instruments"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    last_reviewed = models.DateField(_("last reviewed"))
    is_published = models.BooleanField(_("published"), default=True)

    objects = PolicyFactsheetQuerySet.as_manager()

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("cluster-policy factsheet")
        verbose_name_plural = _("cluster-policy factsheets")

    def __str__(self) -> str:
        return str(self.country)

    def save(self, *args: object, **kwargs: object) -> None:
        for field in self.RICH_TEXT_FIELDS:
            setattr(self, field, sanitise_rich_text(getattr(self, field)))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("content:policy_detail", kwargs={"code": self.country_id.lower()})


# Models of issue 4 items 3–5 (imports, feeds, follows and digests) go below this line.


class FollowKind(models.TextChoices):
    ECOSYSTEM = "ecosystem", _("Industrial ecosystem")
    COUNTRY = "country", _("Country")
    ORGANISATION = "organisation", _("Organisation")
    SEARCH = "search", _("Saved search")


class SavedSearchList(models.TextChoices):
    """The lists whose searches a member can follow; values are the list's URL prefix."""

    NEWS = "news", _("News")
    EVENTS = "events", _("Events")
    CALLS = "calls", _("Funding calls")


SAVED_SEARCH_LIST_URLS = {
    SavedSearchList.NEWS: "content:news_list",
    SavedSearchList.EVENTS: "content:event_list",
    SavedSearchList.CALLS: "content:call_list",
}


class Follow(TimeStampedModel):
    """Something a member follows: new items about it go into their weekly digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_follows"
    )
    kind = models.CharField(_("what is followed"), max_length=12, choices=FollowKind.choices)
    ecosystem = models.ForeignKey(
        IndustrialEcosystem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    # A saved search: the list and its filters as a normalised query string ("country=FI&q=ai").
    search_list = models.CharField(
        _("list"), max_length=8, choices=SavedSearchList.choices, blank=True
    )
    search_query = models.CharField(_("filters"), max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind=FollowKind.ECOSYSTEM,
                    ecosystem__isnull=False,
                    country__isnull=True,
                    organisation__isnull=True,
                    search_list="",
                )
                | Q(
                    kind=FollowKind.COUNTRY,
                    ecosystem__isnull=True,
                    country__isnull=False,
                    organisation__isnull=True,
                    search_list="",
                )
                | Q(
                    kind=FollowKind.ORGANISATION,
                    ecosystem__isnull=True,
                    country__isnull=True,
                    organisation__isnull=False,
                    search_list="",
                )
                | (
                    Q(
                        kind=FollowKind.SEARCH,
                        ecosystem__isnull=True,
                        country__isnull=True,
                        organisation__isnull=True,
                    )
                    & ~Q(search_list="")
                ),
                name="follow_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "ecosystem"],
                condition=Q(kind=FollowKind.ECOSYSTEM),
                name="follow_ecosystem_once",
            ),
            models.UniqueConstraint(
                fields=["user", "country"],
                condition=Q(kind=FollowKind.COUNTRY),
                name="follow_country_once",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(kind=FollowKind.ORGANISATION),
                name="follow_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["user", "search_list", "search_query"],
                condition=Q(kind=FollowKind.SEARCH),
                name="follow_search_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.kind == FollowKind.ECOSYSTEM:
            return str(self.ecosystem)
        if self.kind == FollowKind.COUNTRY:
            return self.country.local_name if self.country else ""
        if self.kind == FollowKind.ORGANISATION:
            return str(self.organisation)
        from clustercollab.content.follows.searches import search_description

        label = str(SavedSearchList(self.search_list).label) if self.search_list else ""
        if not self.search_query:
            return label
        return f"{label}: {search_description(self.search_list, self.search_query)}"

    @property
    def target_url(self) -> str:
        if self.kind == FollowKind.ORGANISATION and self.organisation:
            return self.organisation.get_absolute_url()
        if self.kind == FollowKind.SEARCH:
            path = reverse(SAVED_SEARCH_LIST_URLS[self.search_list])
            return f"{path}?{self.search_query}" if self.search_query else path
        return ""


class DigestSubscription(TimeStampedModel):
    """A member's weekly digest: when it was last sent, and whether they unsubscribed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    last_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None
