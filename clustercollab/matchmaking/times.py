"""Showing UTC instants in a participant's or an event's time zone."""

import zoneinfo
from datetime import datetime

from django.utils import formats


def in_zone(value: datetime, zone_name: str) -> datetime:
    return value.astimezone(zoneinfo.ZoneInfo(zone_name))


def local_time_text(value: datetime, zone_name: str) -> str:
    """Return e.g. "Thu 12 Mar 2026, 10:30 Europe/Helsinki" for a UTC instant."""
    local = in_zone(value, zone_name)
    return f"{formats.date_format(local, 'D j M Y, H:i')} {zone_name}"
