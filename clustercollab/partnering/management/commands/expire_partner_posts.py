from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from clustercollab.partnering.services import expire_partner_posts


class Command(BaseCommand):
    help = (
        "Remind owners of partner search posts that expire within 14 days and expire the posts "
        "past their deadline or 12 months after publishing. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="Act as if it were this moment (ISO 8601, UTC if no offset is given)."
        )

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = datetime.fromisoformat(str(options["now"]))
            except ValueError as error:
                raise CommandError(f"--now: {error}") from error
            if timezone.is_naive(now):
                now = now.replace(tzinfo=UTC)
        with transaction.atomic():
            result = expire_partner_posts(now=now)
        self.stdout.write(f"{result['reminded']} reminded, {result['expired']} expired")
