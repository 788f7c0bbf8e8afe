from datetime import UTC, datetime
from typing import Any

from django import template
from django.utils.formats import date_format

from clustercollab.core.selectors import any_row_refers_to
from clustercollab.matchmaking.models import MeetingRequest, Participant, RequestStatus
from clustercollab.matchmaking.times import in_zone

register = template.Library()


@register.filter
def local(value: datetime | None, zone_name: str) -> str:
    """Format a UTC instant as wall-clock time in the zone: "Tue 12 Mar 2026, 10:30"."""
    if value is None:
        return ""
    return date_format(in_zone(value, zone_name), "D j M Y, H:i")


@register.filter
def local_time(value: datetime | None, zone_name: str) -> str:
    return date_format(in_zone(value, zone_name), "H:i") if value else ""


@register.filter
def utc_iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


@register.inclusion_tag("matchmaking/_dashboard_rows.html")
def matchmaking_dashboard_section(user: Any) -> dict:
    """The member dashboard's matchmaking rows: each event the user takes part in."""
    participants = list(
        Participant.objects.filter(organisation__memberships__user=user)
        .select_related("event")
        .order_by("-event__booking_opens_at")[:10]
    )
    pending = dict.fromkeys((p.pk for p in participants), 0)
    for recipient_id in MeetingRequest.objects.filter(
        recipient__in=participants, status=RequestStatus.PENDING
    ).values_list("recipient_id", flat=True):
        pending[recipient_id] += 1
    return {
        "rows": [
            {"participant": p, "pending": pending[p.pk], "meetings": p.bookings.count()}
            for p in participants
        ]
    }


@register.inclusion_tag("matchmaking/_event_nav.html")
def event_nav(event: Any, user: Any) -> dict:
    from clustercollab.matchmaking import selectors

    return {
        "event": event,
        "is_organiser": selectors.can_organise(user=user, event=event),
        "participant": selectors.participant_of_user(user=user, event=event),
    }


@register.inclusion_tag("matchmaking/_organisation_events.html")
def matchmaking_organisation_section(organisation: Any) -> dict:
    """The public events an organisation takes part in, for its public page (latest ten)."""
    from clustercollab.matchmaking.models import MatchmakingEvent

    if not any_row_refers_to(organisation.pk, ((Participant, "organisation"),)):
        return {"events": []}  # most organisations: one probe
    events = MatchmakingEvent.objects.filter(
        is_public=True, participants__organisation=organisation
    ).order_by("-booking_opens_at")[:10]
    return {"events": list(events)}
