"""Remind registered people before their event and tell interested people that registration
has opened. Each e-mail goes out once, so the command can run as often as you like (hourly).

``--now`` fixes the clock (tests, replays).
"""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clustercollab.registrations import services


class Command(BaseCommand):
    help = "Send event reminders to registered people and registration-open notices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO 8601 instant to use as the current time")
        parser.add_argument(
            "--hours", type=int, default=48, help="remind this many hours before the event"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours must be at least 1")
        now = self._now(options["now"])
        reminded = services.reminders_send(now=now, hours_before=options["hours"])
        opened = services.opening_notices_send(now=now)
        self.stdout.write(f"reminders={reminded} opening_notices={opened}")

    def _now(self, value: str | None) -> datetime:
        if not value:
            return timezone.now()
        parsed = parse_datetime(value)
        if parsed is None:
            raise CommandError(f"--now: not an ISO 8601 date-time: {value}")
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
