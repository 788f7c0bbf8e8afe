"""Expire unanswered meeting requests (freeing their slots) and queue meeting reminders.

Run it every few minutes from cron; ``--now`` fixes the clock (tests, replays).
"""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clustercollab.matchmaking import services


class Command(BaseCommand):
    help = "Expire unanswered meeting requests and send reminders before meetings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO 8601 instant to use as the current time")
        parser.add_argument(
            "--remind-hours", type=int, default=24, help="remind this many hours before"
        )

    def handle(self, *args: object, **options: object) -> None:
        now = self._now(options["now"])
        expired = services.meeting_requests_expire(now=now)
        reminded = services.meeting_reminders_send(now=now, hours_before=options["remind_hours"])
        self.stdout.write(f"expired={expired} reminders={reminded}")

    def _now(self, value: str | None) -> datetime:
        if not value:
            return timezone.now()
        parsed = parse_datetime(value)
        if parsed is None:
            raise CommandError(f"--now: not an ISO 8601 date-time: {value}")
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
