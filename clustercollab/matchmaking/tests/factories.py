"""Small factories for matchmaking events over the real taxonomies."""

from datetime import UTC, datetime, timedelta

from clustercollab.core.models import Country
from clustercollab.core.moderation import ModerationStatus
from clustercollab.matchmaking import services
from clustercollab.matchmaking.models import (
    Application,
    ApplicationStatus,
    MatchmakingEvent,
    Participant,
    SchedulingMode,
    Session,
    SessionKind,
)
from clustercollab.organisations.tests.factories import make_organisation, make_user

# The tests' calendar around the moment they run (pages use the real clock): applications
# closed two days ago, requests open from yesterday for five days, meetings in ten days.
IN_BOOKING = datetime.now(UTC).replace(microsecond=0)
DEADLINE = IN_BOOKING - timedelta(days=2)
BOOKING_OPENS = IN_BOOKING - timedelta(days=1)
BOOKING_CLOSES = IN_BOOKING + timedelta(days=5)
DAY = (IN_BOOKING + timedelta(days=10)).replace(hour=0, minute=0, second=0)


def make_event(*, organiser_organisation=None, tables: int = 2, slots: int = 4, **fields):
    """An event with one networking session of ``slots`` 20-minute slots and ``tables`` tables."""
    values = {
        "title": "Intra-European Cluster Matchmaking (test)",
        "time_zone": "Europe/Brussels",
        "mode": "hybrid",
        "scheduling_mode": SchedulingMode.ORGANISERS_SCHEDULE,
        "application_deadline": DEADLINE,
        "booking_opens_at": BOOKING_OPENS,
        "booking_closes_at": BOOKING_CLOSES,
        "meeting_link_pattern": "https://meet.example.org/iecm-{slot}-{table}",
    }
    values.update(fields)
    event = MatchmakingEvent.objects.create(**values)
    if organiser_organisation is not None:
        event.organiser_organisations.add(organiser_organisation)
    staff = make_user(staff=True)
    session = services.session_create(
        event=event,
        actor=staff,
        title="Networking session 1",
        kind=SessionKind.NETWORKING,
        start=DAY.replace(hour=8),
        end=max(DAY.replace(hour=12), DAY.replace(hour=9) + timedelta(minutes=25 * slots)),
    )
    if slots:
        services.block_create(
            session=session,
            actor=staff,
            start=DAY.replace(hour=9),
            end=DAY.replace(hour=9) + timedelta(minutes=25 * slots),
            slot_minutes=20,
            break_minutes=5,
        )
    if tables:
        services.tables_set(event=event, actor=staff, count=tables)
    return event


def make_participant(event, *, user=None, time_zone: str = "Europe/Brussels", **org_fields):
    """A selected participant whose organisation has ``user`` (or a new person) as admin."""
    user = user or make_user()
    org_fields.setdefault("status", ModerationStatus.PUBLISHED)
    organisation = make_organisation(admin=user, **org_fields)
    application = Application.objects.create(
        event=event,
        organisation=organisation,
        applicant=user,
        motivation="We look for partners in the bioeconomy.",
        status=ApplicationStatus.SELECTED,
    )
    participant = Participant.objects.create(
        event=event,
        organisation=organisation,
        application=application,
        name=organisation.name,
        country=organisation.country,
        time_zone=time_zone,
    )
    participant.sessions.set(Session.objects.filter(event=event))
    participant.user = user
    return participant


def country(code: str) -> Country:
    return Country.objects.get(code=code)
