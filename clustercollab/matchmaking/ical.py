"""iCalendar (RFC 5545) files of personal agendas, and the signed tokens of their feeds."""

from datetime import datetime

from django.conf import settings
from django.core import signing

from clustercollab.matchmaking.models import Participant

_SALT = "matchmaking.agenda-feed"


def feed_token(participant: Participant) -> str:
    return signing.dumps({"participant": participant.pk}, salt=_SALT, compress=True)


def participant_for_token(token: str) -> Participant | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return Participant.objects.select_related("event").filter(pk=data.get("participant")).first()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets as RFC 5545 asks."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # never split a UTF-8 character
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def agenda_calendar(participant: Participant, rows: list[dict], *, now: datetime) -> str:
    """Return the participant's meetings as a VCALENDAR, times in UTC."""
    event = participant.event
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//clustercollab//matchmaking//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(event.title)}",
    ]
    for row in rows:
        meeting, slot, partner = row["meeting"], row["slot"], row["partner"]
        where = meeting.link or str(meeting.table)
        lines += [
            "BEGIN:VEVENT",
            f"UID:matchmaking-meeting-{meeting.pk}-{participant.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(slot.start)}",
            f"DTEND:{_utc(slot.end)}",
            f"SUMMARY:{_escape(f'{event.title}: {partner.name}')}",
            f"LOCATION:{_escape(where)}",
            f"DESCRIPTION:{_escape(meeting.request.message)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
