"""An organiser's published event with registration set up, and people to register."""

from datetime import datetime, timedelta

from django.utils import timezone

from clustercollab.content.models import EventMode
from clustercollab.content.tests.factories import post_event
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.tests.factories import make_organisation, make_user
from clustercollab.registrations import services

JOIN_LINK = "https://meet.example.org/cluster-conference-test"


def make_event(*, starts_in: timedelta = timedelta(days=10), organiser=None, **fields):
    """A published hybrid event posted by the organiser's organisation (organiser returned too)."""
    organiser = organiser or make_user()
    organisation = make_organisation(admin=organiser, status=ModerationStatus.PUBLISHED)
    starts = timezone.now() + starts_in
    values = {
        "title": "Test European Cluster Conference",
        "mode": EventMode.HYBRID,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=8),
    }
    values.update(fields)
    event = post_event(actor=organiser, organisation=organisation, **values)
    event.status = ModerationStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save()
    return event, organiser


def open_registration(
    event,
    organiser,
    *,
    on_site: int = 2,
    online: int = 2,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    join_link: str = JOIN_LINK,
):
    """Registration open now (by default) until the event starts."""
    now = timezone.now()
    return services.setup_save(
        event=event,
        actor=organiser,
        on_site_capacity=on_site,
        online_capacity=online,
        opens_at=opens_at or now - timedelta(hours=1),
        closes_at=closes_at or event.starts_at,
        join_link=join_link,
    )


def people(count: int) -> list:
    return [make_user() for _ in range(count)]
