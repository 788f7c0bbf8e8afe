"""Factories and the cast of the content tests: visitor, outsider, editor, admin, staff."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from clustercollab.content import services
from clustercollab.content.models import (
    Campaign,
    Event,
    EventMode,
    EventType,
    FundingCall,
    News,
    SuccessStory,
)
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.tests.factories import make_organisation, make_user


@dataclass
class Cast:
    organisation: Organisation
    other_organisation: Organisation
    admin: object
    editor: object
    outsider: object  # a member of another organisation
    staff: object


def make_cast() -> Cast:
    admin, editor, outsider = make_user(), make_user(), make_user()
    organisation = make_organisation(
        admin=admin, editors=[editor], status=ModerationStatus.PUBLISHED
    )
    other = make_organisation(admin=outsider, status=ModerationStatus.PUBLISHED)
    return Cast(organisation, other, admin, editor, outsider, make_user(staff=True))


def soon(days: int = 10, hour: int = 9) -> datetime:
    day = (timezone.now() + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def post_news(
    *, actor: object, organisation: Organisation | None, submit: bool = False, **fields: object
) -> News:
    values = {"title": "Forest bioeconomy cluster opens a test lab", "body": "<p>Text</p>"}
    values.update(fields)
    return services.content_create(
        item=News(**values), actor=actor, organisation=organisation, submit=submit
    )


def post_event(
    *,
    actor: object,
    organisation: Organisation | None,
    submit: bool = False,
    m2m: dict | None = None,
    **fields: object,
) -> Event:
    values = {
        "title": "Bioeconomy matchmaking day",
        "event_type": EventType.MATCHMAKING,
        "mode": EventMode.ON_SITE,
        "starts_at": soon(),
        "ends_at": soon() + timedelta(hours=8),
        "timezone": "Europe/Helsinki",
        "city": "Joensuu",
    }
    values.update(fields)
    return services.content_create(
        item=Event(**values), actor=actor, organisation=organisation, submit=submit, m2m=m2m
    )


def post_call(
    *, actor: object, organisation: Organisation | None, submit: bool = False, **fields: object
) -> FundingCall:
    values = {
        "title": "Regional innovation vouchers",
        "programme": "Regional fund",
        "deadline_at": soon(40, 15),
        "timezone": "Europe/Brussels",
    }
    values.update(fields)
    return services.content_create(
        item=FundingCall(**values), actor=actor, organisation=organisation, submit=submit
    )


def post_story(
    *, actor: object, organisation: Organisation | None, submit: bool = False, **fields: object
) -> SuccessStory:
    values = {"title": "Two clusters build a joint pilot line", "outcome": "A pilot line."}
    values.update(fields)
    return services.content_create(
        item=SuccessStory(**values), actor=actor, organisation=organisation, submit=submit
    )


def make_campaign(**fields: object) -> Campaign:
    today = timezone.now().date()
    values = {
        "name": "EU Cluster Weeks test",
        "slug": "eu-cluster-weeks-test",
        "starts_on": today,
        "ends_on": today + timedelta(days=30),
    }
    values.update(fields)
    return Campaign.objects.create(**values)
