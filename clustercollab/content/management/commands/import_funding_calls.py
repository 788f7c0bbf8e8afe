"""manage.py import_funding_calls: the EU Funding & Tenders call topics as published calls."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clustercollab.content.importers.funding_calls import (
    CALLS_DIR,
    funding_calls_fingerprint,
    funding_calls_import,
    funding_calls_import_record,
    last_funding_calls_import,
)
from clustercollab.content.models import CallSource, FundingCall


class Command(BaseCommand):
    help = (
        "Import the open and forthcoming EU funding call topics as published funding calls, "
        "keyed by topic identifier. Idempotent: a second run changes nothing. Broken rows are "
        "reported on stderr and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            metavar="PATH",
            help=f"Directory holding the *.jsonl.gz files (default: SHARED_DATA_DIR/{CALLS_DIR}).",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Skip the import when the files and the importer are the same as in the last "
            "completed import into this database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["data_dir"] or Path(settings.SHARED_DATA_DIR) / CALLS_DIR
        if not directory.is_dir():
            raise CommandError(f"No such directory: {directory}")
        verbosity = options["verbosity"]
        try:
            fingerprint = funding_calls_fingerprint(directory)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        if options["if_changed"]:
            previous = last_funding_calls_import(fingerprint)
            if previous and FundingCall.objects.filter(source=CallSource.IMPORTED).exists():
                if verbosity > 0:
                    when = previous.finished_at.strftime("%Y-%m-%d %H:%M")
                    self.stdout.write(
                        f"Funding calls unchanged since the import of {when} UTC; nothing to do."
                    )
                return
        result = funding_calls_import(
            directory=directory, report=self.stderr.write, show_progress=verbosity > 0
        )
        funding_calls_import_record(fingerprint=fingerprint, result=result)
        if verbosity > 0:
            self.stdout.write(
                "funding calls: {created} created, {updated} updated, {unchanged} unchanged, "
                "{kept} kept as staff edited them, {skipped} broken rows skipped".format(
                    **result.as_dict()
                )
            )
