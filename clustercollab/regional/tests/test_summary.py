"""The monthly summary: what it says, to whom, and once per month however often it runs."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from clustercollab.core.models import NutsRegion
from clustercollab.organisations.models import Organisation, Source
from clustercollab.organisations.tests.factories import make_organisation
from clustercollab.regional.models import SummarySent

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def october(area):
    """Move the area's clusters into October 2026: some registered, one published, two stuck."""
    moves = {
        # registered in October, still a draft
        area.draft: {"created_at": _at(date(2026, 10, 20)), "updated_at": _at(date(2026, 10, 21))},
        # registered in October and published in October
        area.published: {
            "created_at": _at(date(2026, 10, 2)),
            "published_at": _at(date(2026, 10, 15)),
            "updated_at": _at(date(2026, 10, 15)),
        },
        # registered in the summer, changes requested, untouched since: stuck
        area.changes_requested: {
            "created_at": _at(date(2026, 7, 1)),
            "updated_at": _at(date(2026, 8, 1)),
        },
        # submitted in September: waiting for staff, neither new nor stuck
        area.submitted: {"created_at": _at(date(2026, 9, 5)), "updated_at": _at(date(2026, 9, 6))},
        # outside the area: never in the summary
        area.outside: {"created_at": _at(date(2026, 10, 3)), "updated_at": _at(date(2026, 10, 3))},
    }
    for organisation, fields in moves.items():
        Organisation.objects.filter(pk=organisation.pk).update(**fields)
    stale = make_organisation(
        name="Test Stalled Lapland Cluster", nuts_region=NutsRegion.objects.get(code="FI1D7")
    )
    Organisation.objects.filter(pk=stale.pk).update(
        created_at=_at(date(2026, 5, 1)), updated_at=_at(date(2026, 5, 2))
    )
    # Imported from CORDIS in October: not a registration on the platform.
    imported = make_organisation(
        name="Test Imported Oulu Cluster",
        status="published",
        source=Source.CORDIS,
        nuts_region=NutsRegion.objects.get(code="FI1D9"),
    )
    Organisation.objects.filter(pk=imported.pk).update(
        created_at=_at(date(2026, 10, 5)), published_at=_at(date(2026, 10, 5))
    )
    return stale


def test_the_summary_lists_new_published_and_stuck_registrations(area, october):
    call_command("send_regional_summaries", month="2026-10", verbosity=0)
    [email] = mail.outbox
    assert email.to == [area.office_admin.email, area.office_editor.email]
    assert email.subject == "Clusters of your regions in October 2026"
    body = email.body
    new, published, stuck = (
        body.split("2 new registrations:")[1].split("1 profile published:")[0],
        body.split("1 profile published:")[1].split("2 registrations without progress")[0],
        body.split("registrations without progress for a month or more:")[1],
    )
    assert "Test Karelia Wood Cluster (Draft)" in new
    assert "Test Lapland Tourism Cluster" in new
    assert "Test Lapland Tourism Cluster" in published
    assert area.published.get_absolute_url() in published
    assert "Test Kainuu Data Cluster (Changes requested" in stuck
    assert "Test Stalled Lapland Cluster" in stuck
    assert f"/regional/{area.supporter.pk}/organisations/{area.draft.pk}/" in new
    for absent in ["Test Oulu Health Cluster", "Test Turku Draft Cluster", "Imported Oulu"]:
        assert absent not in body
    record = SummarySent.objects.get()
    assert record.month == date(2026, 10, 1) and record.recipients == 2
    assert sorted(record.figures["stuck"]) == sorted([area.changes_requested.pk, october.pk])


def test_the_summary_is_sent_once_per_month(area, october):
    call_command("send_regional_summaries", month="2026-10", verbosity=0)
    call_command("send_regional_summaries", month="2026-10", verbosity=0)
    assert len(mail.outbox) == 1
    assert SummarySent.objects.count() == 1
    call_command("send_regional_summaries", month="2026-11", verbosity=0)
    assert len(mail.outbox) == 2
    november = mail.outbox[-1].body
    assert "0 new registrations:" in november and "0 profiles published:" in november
    assert SummarySent.objects.count() == 2


def test_by_default_the_month_that_just_ended_is_summarised(area):
    call_command("send_regional_summaries", verbosity=0)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    assert SummarySent.objects.get().month == last_month


def test_a_bad_month_is_refused(area):
    with pytest.raises(CommandError, match="--month takes YYYY-MM"):
        call_command("send_regional_summaries", month="2026-13", verbosity=0)
    assert not SummarySent.objects.exists()
    assert not mail.outbox
