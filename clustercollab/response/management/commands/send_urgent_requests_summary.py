from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from clustercollab.response.tasks import send_urgent_requests_summary


class Command(BaseCommand):
    help = "Queue the daily e-mail to staff about urgent requests without a match (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: object, today: date | None = None, **options: object) -> None:
        result = send_urgent_requests_summary.enqueue(today=today.isoformat() if today else None)
        self.stdout.write(f"Summary queued ({result.id}).")
