from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from clustercollab.response.services import expire_listings


class Command(BaseCommand):
    help = "Mark offers and requests past their dates as expired (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: object, today: date | None = None, **options: object) -> None:
        changed = expire_listings(today=today)
        self.stdout.write(f"{changed} listing(s) expired.")
