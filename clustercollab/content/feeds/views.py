"""The iCalendar feed of events, filtered like the event list."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clustercollab.content.feeds.ical import CalendarEvent, calendar_text
from clustercollab.content.feeds.syndication import filter_parameters
from clustercollab.content.filters import EventFilter
from clustercollab.content.models import Event
from clustercollab.content.selectors import public_items

ICAL_LENGTH = 500


def _calendar_event(event: Event, host: str) -> CalendarEvent:
    place = ", ".join(part for part in (event.venue, event.city) if part)
    return CalendarEvent(
        uid=f"event-{event.pk}@{host}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        description=event.summary,
        location=place or str(event.get_mode_display()),
        url=settings.SITE_URL + event.get_absolute_url(),
        latitude=event.latitude,
        longitude=event.longitude,
        categories=(str(event.get_event_type_display()),),
        last_modified=event.updated_at,
    )


def event_feed_ical(request: HttpRequest) -> HttpResponse:
    """Published events matching the list's filters as an .ics file, times in UTC."""
    query = filter_parameters(request.GET)
    # As on the event list: upcoming events unless the URL says otherwise ("when=" is any time).
    query.setdefault("when", "upcoming")
    events = EventFilter(query, queryset=public_items(Event)).qs[:ICAL_LENGTH]
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "clustercollab"
    body = calendar_text(
        (_calendar_event(event, host) for event in events),
        name=_("Events · clustercollab"),
        now=timezone.now(),
        product="clustercollab//Events",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="clustercollab-events.ics"'
    return response


# Pages that are private or one person's: no use to a search engine.
ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/moderation/", "/follows/", "/digests/", "/api/"]


def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: where the sitemap is, and which private areas not to crawl."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('content:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
