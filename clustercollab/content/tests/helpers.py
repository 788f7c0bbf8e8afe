"""Small builders of content for the feed, sitemap and digest tests."""

from datetime import datetime, timedelta
from itertools import count

from django.utils import timezone

from clustercollab.content.models import Event, EventMode, EventType, FundingCall, News
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus

_numbers = count(1)


def make_content(model, *, status, ecosystems=(), countries=(), published_at=None, **fields):
    number = next(_numbers)
    values = {"title": f"Test item {number}", "slug": f"test-item-{number}", "status": status}
    if status == ModerationStatus.PUBLISHED:
        # A little in the past, so that a digest computed "now" surely includes it.
        values["published_at"] = published_at or timezone.now() - timedelta(minutes=5)
    values.update(fields)
    item = model.objects.create(**values)
    item.ecosystems.set(IndustrialEcosystem.objects.filter(slug__in=ecosystems))
    item.countries.set(Country.objects.filter(code__in=countries))
    return item


def make_news(*, status=ModerationStatus.PUBLISHED, **fields) -> News:
    return make_content(News, status=status, **fields)


def make_call(*, status=ModerationStatus.PUBLISHED, **fields) -> FundingCall:
    fields.setdefault("programme", "Horizon Europe")
    fields.setdefault("deadline_at", timezone.now() + timedelta(days=60))
    return make_content(FundingCall, status=status, **fields)


def make_event(
    *, starts_at: datetime, ends_at: datetime, status=ModerationStatus.PUBLISHED, **fields
) -> Event:
    fields.setdefault("event_type", EventType.CONFERENCE)
    fields.setdefault("mode", EventMode.ON_SITE)
    return make_content(Event, status=status, starts_at=starts_at, ends_at=ends_at, **fields)
