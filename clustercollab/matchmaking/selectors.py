"""Reads on matchmaking events: who may do what, lists, suggestions, agendas and figures."""

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from clustercollab.matchmaking.models import (
    AgendaStatus,
    AgendaVersion,
    Application,
    ApplicationStatus,
    Booking,
    MatchmakingEvent,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    RequestStatus,
    SchedulingRun,
    Slot,
)
from clustercollab.organisations.models import Membership


def _organisation_ids_of(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def can_organise(*, user: Any, event: MatchmakingEvent) -> bool:
    """Staff, and members of an organisation given organiser rights on the event."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return event.organiser_organisations.filter(memberships__user=user).exists()


def events_for_user(user: Any) -> QuerySet[MatchmakingEvent]:
    """Public events, plus every event the user organises, applied to or takes part in."""
    events = MatchmakingEvent.objects.all()
    if getattr(user, "is_staff", False):
        return events
    mine = _organisation_ids_of(user)
    if not mine:
        return events.filter(is_public=True)
    visible = events.filter(
        Q(is_public=True)
        | Q(organiser_organisations__in=mine)
        | Q(applications__organisation__in=mine)
    )
    return events.filter(pk__in=visible.values("pk"))


def event_for_viewer(*, pk: int, user: Any) -> MatchmakingEvent:
    event = events_for_user(user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def event_for_organiser(*, pk: int, user: Any) -> MatchmakingEvent:
    """Return the event if the user organises it, else 404 (outsiders never learn it exists)."""
    event = MatchmakingEvent.objects.filter(pk=pk).first()
    if event is None or not can_organise(user=user, event=event):
        raise Http404
    return event


def participants_of_user(*, user: Any, event: MatchmakingEvent) -> QuerySet[Participant]:
    return event.participants.filter(organisation__in=_organisation_ids_of(user)).select_related(
        "organisation", "participant_type", "country"
    )


def participant_of_user(*, user: Any, event: MatchmakingEvent) -> Participant | None:
    """Return the participant the user acts for in this event (their first organisation's)."""
    return participants_of_user(user=user, event=event).order_by("pk").first()


def acts_for(*, user: Any, participant: Participant) -> bool:
    return participant.organisation_id in _organisation_ids_of(user)


def applicable_organisations(*, user: Any, event: MatchmakingEvent) -> list:
    """Organisations of the user that have not applied to this event yet."""
    applied = event.applications.values_list("organisation_id", flat=True)
    return [
        membership.organisation
        for membership in Membership.objects.filter(user=user)
        .exclude(organisation__in=applied)
        .select_related("organisation", "organisation__country")
    ]


def applications_of_user(*, user: Any, event: MatchmakingEvent) -> QuerySet[Application]:
    return event.applications.filter(organisation__in=_organisation_ids_of(user)).select_related(
        "organisation"
    )


def applications_for_organiser(
    event: MatchmakingEvent, *, status: str = "", late: str = ""
) -> QuerySet[Application]:
    applications = event.applications.select_related(
        "organisation", "organisation__country", "participant_type"
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    if late == "yes":
        applications = applications.filter(is_late=True)
    return applications


def participant_list(
    event: MatchmakingEvent,
    *,
    query: str = "",
    country: str = "",
    participant_type: str = "",
    opportunity_type: str = "",
) -> QuerySet[Participant]:
    participants = event.participants.select_related(
        "organisation", "country", "participant_type"
    ).prefetch_related("opportunities", "opportunities__opportunity_type")
    if query:
        participants = participants.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(opportunities__title__icontains=query)
        )
    if country:
        participants = participants.filter(country=country)
    if participant_type.isdigit():
        participants = participants.filter(participant_type=participant_type)
    if opportunity_type.isdigit():
        participants = participants.filter(opportunities__opportunity_type=opportunity_type)
    return participants.distinct()


def _keywords(participant: Participant) -> set[str]:
    words = set(participant.keywords or []) | set(participant.organisation.keywords or [])
    return {word.strip().lower() for word in words if word.strip()}


def suggestions_for(participant: Participant, *, limit: int = 5) -> list[dict]:
    """Return whom to meet: participants sharing ecosystems or keywords, best first.

    Two queries: the other participants with their organisations' ecosystems prefetched.
    """
    mine_ecosystems = set(participant.organisation.ecosystems.values_list("pk", flat=True))
    mine_keywords = _keywords(participant)
    already = set(
        participant.requests_sent.filter(status__in=["pending", "accepted"]).values_list(
            "recipient_id", flat=True
        )
    )
    others = (
        participant.event.participants.exclude(pk=participant.pk)
        .exclude(pk__in=already)
        .select_related("organisation", "country")
        .prefetch_related("organisation__ecosystems")
    )
    scored = []
    for other in others:
        ecosystems = [e for e in other.organisation.ecosystems.all() if e.pk in mine_ecosystems]
        keywords = sorted(mine_keywords & _keywords(other))
        score = 2 * len(ecosystems) + len(keywords)
        if score:
            scored.append(
                {
                    "participant": other,
                    "ecosystems": ecosystems,
                    "keywords": keywords,
                    "score": score,
                }
            )
    scored.sort(key=lambda row: (-row["score"], row["participant"].name))
    return scored[:limit]


def requests_of(participant: Participant) -> dict[str, QuerySet[MeetingRequest]]:
    related = ("requester", "recipient", "meeting", "meeting__slot", "meeting__table")
    return {
        "incoming": participant.requests_received.select_related(*related),
        "outgoing": participant.requests_sent.select_related(*related),
    }


def available_slots(participant: Participant) -> QuerySet[Slot]:
    """Slots of the networking sessions the participant attends."""
    return Slot.objects.filter(session__in=participant.sessions.all()).order_by("start")


def free_common_slots(a: Participant, b: Participant) -> QuerySet[Slot]:
    booked = Booking.objects.filter(participant__in=[a, b]).values_list("slot_id", flat=True)
    return (
        available_slots(a)
        .filter(session__in=b.sessions.all())
        .exclude(pk__in=booked)
        .select_related("session")
    )


def agenda_of(participant: Participant) -> list[dict]:
    """Return the participant's meetings in time order, each with the partner."""
    bookings = (
        Booking.objects.filter(participant=participant)
        .select_related(
            "slot",
            "slot__session",
            "meeting",
            "meeting__table",
            "meeting__event",
            "meeting__request",
            "meeting__request__requester",
            "meeting__request__recipient",
            "meeting__request__requester__country",
            "meeting__request__recipient__country",
        )
        .order_by("slot__start")
    )
    rows = []
    for booking in bookings:
        meeting = booking.meeting
        request = meeting.request
        partner = request.recipient if request.requester_id == participant.pk else request.requester
        rows.append({"meeting": meeting, "slot": booking.slot, "partner": partner})
    return rows


def published_agenda(event: MatchmakingEvent) -> AgendaVersion | None:
    return event.agenda_versions.filter(status=AgendaStatus.PUBLISHED).first()


def draft_agenda(event: MatchmakingEvent) -> AgendaVersion | None:
    return event.agenda_versions.filter(status=AgendaStatus.DRAFT).first()


def agenda_entries(version: AgendaVersion) -> QuerySet:
    return version.entries.select_related(
        "slot", "table", "request", "request__requester", "request__recipient"
    )


def meeting_grid(event: MatchmakingEvent, tables: Any = None) -> dict:
    """Return the organiser's grid: rows of slots, a column per table, a meeting per cell.

    ``tables`` limits the columns (a page of them); every table of the event by default."""
    tables = list(event.tables.all() if tables is None else tables)
    slots = list(Slot.objects.filter(session__event=event).select_related("session"))
    meetings = Meeting.objects.filter(event=event, table__in=tables).select_related(
        "request__requester", "request__recipient"
    )
    cells = {(m.slot_id, m.table_id): m for m in meetings}
    rows = [
        {"slot": slot, "cells": [cells.get((slot.pk, table.pk)) for table in tables]}
        for slot in slots
    ]
    return {"tables": tables, "rows": rows}


def meetings_for_export(event: MatchmakingEvent) -> QuerySet[Meeting]:
    return Meeting.objects.filter(event=event).select_related(
        "slot",
        "slot__session",
        "table",
        "event",
        "request__requester",
        "request__recipient",
        "request__requester__country",
        "request__recipient__country",
    )


def dashboard_figures(event: MatchmakingEvent) -> dict:
    """Return the organiser dashboard's counts and chart series."""
    applications = Counter(event.applications.values_list("status", flat=True))
    requests = Counter(event.meeting_requests.values_list("status", flat=True))
    by_country = (
        event.participants.values("country__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "country__name")
    )
    by_type = (
        event.participants.values("participant_type__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "participant_type__name")
    )
    feedback = MeetingFeedback.objects.filter(meeting__event=event)
    outcomes = Counter(feedback.values_list("outcome", flat=True))
    no_shows = feedback.filter(partner_no_show=True).values("meeting").distinct().count()
    reported = feedback.filter(partner_no_show=False).values("meeting").distinct().count()
    return {
        "applications": sum(applications.values()),
        "applications_by_status": {
            s.label: applications.get(s.value, 0) for s in ApplicationStatus
        },
        "late_applications": event.applications.filter(is_late=True).count(),
        "participants": event.participants.count(),
        "by_country": [(row["country__name"], row["n"]) for row in by_country],
        "by_type": [(row["participant_type__name"] or "–", row["n"]) for row in by_type],
        "requests": sum(requests.values()),
        "requests_by_status": {s.label: requests.get(s.value, 0) for s in RequestStatus},
        "accepted": requests.get(RequestStatus.ACCEPTED, 0),
        "scheduled": Meeting.objects.filter(event=event).count(),
        "held": reported,
        "no_shows": no_shows,
        "outcomes": {
            label: outcomes.get(value, 0)
            for value, label in MeetingFeedback._meta.get_field("outcome").choices
        },
    }


def meetings_needing_reminder(*, start_before: Any, now: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        reminder_sent_at__isnull=True, slot__start__gt=now, slot__start__lte=start_before
    ).select_related("event", "slot", "table", "request__requester", "request__recipient")


def latest_scheduling_run(event: MatchmakingEvent) -> SchedulingRun | None:
    return event.scheduling_runs.select_related("created_by").first()
