"""Reads on content: what a viewer may see, public lists, the calendar, the moderation queue."""

import calendar
import heapq
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, F, Model, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from clustercollab.content.models import (
    Campaign,
    ContentItem,
    Event,
    FundingCall,
    News,
    PolicyFactsheet,
    SuccessStory,
)
from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus
from clustercollab.core.selectors import any_row_refers_to
from clustercollab.organisations.models import Membership, Organisation, Role

# The member content types, by the short name used in URLs and the moderation queue.
CONTENT_KINDS: dict[str, type[ContentItem]] = {
    "news": News,
    "event": Event,
    "call": FundingCall,
    "story": SuccessStory,
}
POSTING_ROLES = (Role.ADMIN, Role.EDITOR)


def kind_of(item: ContentItem) -> str:
    """The short name of a content item (news, event, call, story); for the moderated items of
    other apps built on ContentItem, their model's name."""
    return next(
        (kind for kind, model in CONTENT_KINDS.items() if isinstance(item, model)),
        item._meta.model_name,
    )


def with_relations(queryset: QuerySet) -> QuerySet:
    """The queryset with what list rows and detail pages show loaded up front."""
    queryset = queryset.select_related("organisation").prefetch_related("ecosystems", "countries")
    if queryset.model is Event:
        queryset = queryset.select_related("organiser", "campaign")
    if queryset.model is SuccessStory:
        queryset = queryset.select_related("event").prefetch_related("organisations_involved")
    return queryset


def public_items(model: type[ContentItem]) -> QuerySet:
    """Published items of one type, ready for a list."""
    return with_relations(model.objects.published())


def country_choices_in_use(model: type[ContentItem], also: str = "") -> list[tuple[str, str]]:
    """``(code, name)`` of the countries published items of ``model`` are about, by name.

    Lists offer only these in their country filter (``also`` keeps the one asked for); the
    filter itself still accepts every country.
    """
    from clustercollab.content.models import folded

    countries = Country.objects.filter(
        Q(pk__in=model.objects.published().values("countries")) | Q(pk=also.upper())
    )
    return sorted(
        ((country.pk, country.local_name) for country in countries),
        key=lambda choice: folded(choice[1]),
    )


def posting_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may post content for (admin or editor)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=POSTING_ROLES
    ).order_by("name")


def can_edit(*, user: Any, item: ContentItem) -> bool:
    """Staff, and admins/editors of the posting organisation, may edit an item."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    if item.organisation_id is None:
        return False
    return Membership.objects.filter(
        user=user, organisation_id=item.organisation_id, role__in=POSTING_ROLES
    ).exists()


def item_for_viewer(*, model: type[ContentItem], pk: int, user: Any) -> tuple[ContentItem, bool]:
    """Return an item and whether the viewer may edit it; 404 unless it is public or they may."""
    item = with_relations(model.objects.filter(pk=pk)).first()
    if item is None:
        raise Http404
    editable = can_edit(user=user, item=item)
    if item.is_public or editable:
        return item, editable
    raise Http404


def item_for_editor(*, model: type[ContentItem], pk: int, user: Any) -> ContentItem:
    """Return an item the user may edit, else 404 (never reveal it to others)."""
    item = with_relations(model.objects.filter(pk=pk)).first()
    if item is None or not can_edit(user=user, item=item):
        raise Http404
    return item


def content_of_user(user: Any) -> list[ContentItem]:
    """Everything posted by the user or for an organisation they post for, newest first."""
    organisations = posting_organisations(user).values("pk")
    items: list[ContentItem] = []
    for model in CONTENT_KINDS.values():
        items.extend(
            model.objects.filter(Q(author=user) | Q(organisation__in=organisations))
            .select_related("organisation")
            .order_by("-updated_at")[:50]
        )
    items.sort(key=lambda item: item.updated_at, reverse=True)
    return items


@dataclass
class QueueRow:
    kind: str
    item: Model
    submitted_at: datetime
    is_overdue: bool
    review_due_at: datetime | None
    review_url: str
    label: str = ""


def moderation_queue_rows() -> list[QueueRow]:
    """Every submitted profile and content item, oldest first, with its review link."""
    from django.urls import reverse

    streams = []
    for kind, model in CONTENT_KINDS.items():
        queryset = (
            model.objects.filter(status=ModerationStatus.SUBMITTED)
            .select_related("organisation", "author")
            .order_by("submitted_at", "id")
        )
        streams.append(
            [
                QueueRow(
                    kind=kind,
                    item=item,
                    submitted_at=item.submitted_at,
                    is_overdue=item.is_overdue,
                    review_due_at=item.review_due_at,
                    review_url=reverse(
                        "content:moderation_review", kwargs={"kind": kind, "pk": item.pk}
                    ),
                    label=str(model._meta.verbose_name),
                )
                for item in queryset
                if item.submitted_at is not None
            ]
        )
    profiles = Organisation.objects.filter(
        status=ModerationStatus.SUBMITTED, submitted_at__isnull=False
    ).order_by("submitted_at", "id")
    streams.append(
        [
            QueueRow(
                kind="profile",
                item=organisation,
                submitted_at=organisation.submitted_at,
                is_overdue=organisation.is_overdue,
                review_due_at=organisation.review_due_at,
                review_url=reverse(
                    "organisations:moderation_review", kwargs={"pk": organisation.pk}
                ),
                label=str(Organisation._meta.verbose_name),
            )
            for organisation in profiles.select_related("country")
        ]
    )
    streams.extend(_other_apps_queue_streams())
    return list(heapq.merge(*streams, key=lambda row: row.submitted_at))


def _other_apps_queue_streams() -> list[list[QueueRow]]:
    """Partner search posts, strategic partnerships, crisis-forum posts, publications and
    transition resources, reviewed on their own apps' pages."""
    from django.urls import reverse

    from clustercollab.partnering.models import PartnerPost, Partnership
    from clustercollab.partnering.selectors import (
        partnerships_awaiting_moderation,
        posts_awaiting_moderation,
    )
    from clustercollab.publications.selectors import library_queue_rows
    from clustercollab.response.models import ForumPost
    from clustercollab.response.selectors import forum_posts_awaiting_moderation

    def rows(kind: str, items: Any, review_url: Any, label: object) -> list[QueueRow]:
        return [
            QueueRow(
                kind=kind,
                item=item,
                submitted_at=item.submitted_at,
                is_overdue=item.is_overdue,
                review_due_at=item.review_due_at,
                review_url=review_url(item),
                label=str(label),
            )
            for item in items
            if item.submitted_at is not None
        ]

    return [
        rows(
            "partner_post",
            posts_awaiting_moderation(),
            lambda post: reverse("partnering:moderation_review", kwargs={"pk": post.pk}),
            PartnerPost._meta.verbose_name,
        ),
        rows(
            "forum_post",
            forum_posts_awaiting_moderation(),
            lambda post: post.get_absolute_url(),
            ForumPost._meta.verbose_name,
        ),
        rows(
            "partnership",
            partnerships_awaiting_moderation(),
            lambda partnership: reverse(
                "partnering:partnership_moderate", kwargs={"pk": partnership.pk}
            ),
            Partnership._meta.verbose_name,
        ),
        library_queue_rows(),
    ]


def news_latest(limit: int = 5) -> list[News]:
    return list(public_items(News).order_by("-published_at", "-id")[:limit])


def events_upcoming(limit: int = 5) -> list[Event]:
    return list(public_items(Event).upcoming()[:limit])


def calls_in_list_order(queryset: QuerySet, now: datetime | None = None) -> QuerySet:
    """Calls still open or forthcoming first, by their first deadline; closed ones last."""
    now = now or timezone.now()
    return (
        queryset.with_final_deadline()
        .annotate(is_closed=Case(When(final_deadline__lt=now, then=Value(1)), default=Value(0)))
        .order_by("is_closed", F("deadline_at").asc(nulls_last=True), "id")
    )


def calls_closing_soon(*, now: datetime | None = None, limit: int | None = None) -> QuerySet:
    queryset = FundingCall.objects.published().closing_soon(
        now, days=settings.CALLS_CLOSING_SOON_DAYS
    )
    queryset = with_relations(queryset)
    return queryset[:limit] if limit else queryset


# Every way an item can belong to an organisation's page (organisation_content).
ORGANISATION_CONTENT_REFERENCES = (
    (News, "organisation"),
    (Event, "organisation"),
    (Event, "organiser"),
    (SuccessStory, "organisation"),
    (SuccessStory, "organisations_involved"),
)


def organisation_content(organisation: Organisation, limit: int = 5) -> dict:
    """Published news, upcoming events and stories of one organisation, for its page."""
    if not any_row_refers_to(organisation.pk, ORGANISATION_CONTENT_REFERENCES):
        return {"news": [], "events": [], "stories": []}  # most organisations: one probe
    return {
        "news": list(
            public_items(News).filter(organisation=organisation).order_by("-published_at")[:limit]
        ),
        "events": list(
            public_items(Event)
            .filter(Q(organisation=organisation) | Q(organiser=organisation))
            .upcoming()[:limit]
        ),
        "stories": list(
            public_items(SuccessStory)
            .filter(Q(organisation=organisation) | Q(organisations_involved=organisation))
            .distinct()
            .order_by("-published_at")[:limit]
        ),
    }


# --- the events calendar ---


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    events: list[Event]


def month_calendar(*, year: int, month: int, events: QuerySet) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of one month with the events running on each day.

    An event's days are the dates it runs on in its own time zone; ``events`` is narrowed here
    to the weeks shown.
    """
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    utc = ZoneInfo("UTC")
    # A day of slack each side: local dates differ from UTC dates by up to 14 hours.
    start = datetime.combine(first - timedelta(days=1), datetime.min.time(), tzinfo=utc)
    end = datetime.combine(last + timedelta(days=2), datetime.min.time(), tzinfo=utc)
    by_day: dict[date, list[Event]] = {}
    for event in events.overlapping(start, end).order_by("starts_at", "id"):
        day = max(event.local_starts_at.date(), first)
        last_day = min(event.local_ends_at.date(), last)
        while day <= last_day:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    return [
        [CalendarDay(day=d, in_month=d.month == month, events=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


# --- campaigns and policy factsheets ---


def campaign_for_viewer(*, slug: str, user: Any) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None or not (campaign.is_published or getattr(user, "is_staff", False)):
        raise Http404
    return campaign


def campaign_events(campaign: Campaign) -> QuerySet:
    """The campaign's published events inside its date window."""
    start, end = campaign.window()
    return public_items(Event).filter(campaign=campaign).overlapping(start, end)


def event_counts_by_country(events: QuerySet) -> list[dict]:
    """``[{"code", "name", "count"}]`` for the countries of ``events``, most events first."""
    counts: dict[str, int] = {}
    for country_code in events.values_list("countries", flat=True):
        if country_code:
            counts[country_code] = counts.get(country_code, 0) + 1
    result = [
        {"code": country.pk, "name": country.local_name, "count": counts[country.pk]}
        for country in Country.objects.filter(pk__in=counts)
    ]
    result.sort(key=lambda row: (-row["count"], row["name"]))
    return result


def campaigns_current(now: datetime | None = None) -> QuerySet[Campaign]:
    today = (now or timezone.now()).date()
    return Campaign.objects.filter(is_published=True, ends_on__gte=today).order_by("starts_on")


def factsheets_public() -> QuerySet[PolicyFactsheet]:
    return PolicyFactsheet.objects.published().select_related("country")


def factsheet_for_country(code: str) -> PolicyFactsheet:
    factsheet = factsheets_public().filter(country_id=code.upper()).first()
    if factsheet is None:
        raise Http404
    return factsheet
