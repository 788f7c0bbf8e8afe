"""manage.py send_regional_summaries: the monthly e-mail to regional supporters (run monthly)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from clustercollab.regional.models import RegionalSupporter
from clustercollab.regional.selectors import previous_month
from clustercollab.regional.tasks import send_regional_summary


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise CommandError(f"--month takes YYYY-MM, not “{text}”.") from error


class Command(BaseCommand):
    help = (
        "Enqueue the monthly summary e-mail of every regional supporter (new registrations, "
        "stuck registrations and profiles published in its regions). By default the month that "
        "just ended; a supporter already sent that month's summary gets nothing again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args: Any, month: str | None = None, **options: Any) -> None:
        chosen = _month(month) if month else previous_month(timezone.localdate())
        supporter_ids = list(RegionalSupporter.objects.values_list("pk", flat=True))
        for supporter_id in tqdm(
            supporter_ids, desc="Summaries", unit=" supporters", disable=options["verbosity"] < 1
        ):
            send_regional_summary.enqueue(supporter_id=supporter_id, month=chosen.isoformat())
        if options["verbosity"] > 0:
            self.stdout.write(f"summaries of {chosen:%Y-%m} enqueued: {len(supporter_ids)}")
