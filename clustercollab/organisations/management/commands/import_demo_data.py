"""manage.py import_demo_data: CORDIS Horizon Europe projects, organisations and participations."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clustercollab.organisations.importers.cordis import CORDIS_DIR, demo_data_import
from clustercollab.organisations.importers.fingerprint import (
    demo_data_fingerprint,
    demo_data_import_record,
    last_demo_data_import,
)
from clustercollab.organisations.models import Organisation, Source
from clustercollab.organisations.search import analyse_tables


class Command(BaseCommand):
    help = (
        "Import the CORDIS Horizon Europe projects, organisations (as published profiles) and "
        "participations. Idempotent: a second run changes nothing. Broken rows are reported on "
        "stderr and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clusters-only",
            action="store_true",
            help="Only the reviewed cluster organisations and networks, their "
            "projects and participations.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            metavar="N",
            help="Only the first N organisations, plus all clusters.",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            metavar="PATH",
            help="Directory holding projects.csv.gz, organisations.csv.gz, "
            "participations.csv.gz and cluster_organisations_reviewed.csv "
            f"(default: SHARED_DATA_DIR/{CORDIS_DIR}).",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Skip the import when the files, the importer and the options are the same as "
            "in the last completed import into this database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["data_dir"] or Path(settings.SHARED_DATA_DIR) / CORDIS_DIR
        if not directory.is_dir():
            raise CommandError(f"No such directory: {directory}")
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError("--limit must be 0 or more.")
        verbosity = options["verbosity"]
        fingerprint = demo_data_fingerprint(
            directory=directory,
            options={"clusters_only": options["clusters_only"], "limit": options["limit"]},
        )
        if options["if_changed"]:
            previous = last_demo_data_import(fingerprint)
            if previous and Organisation.objects.filter(source=Source.CORDIS).exists():
                if verbosity > 0:
                    when = previous.finished_at.strftime("%Y-%m-%d %H:%M")
                    self.stdout.write(
                        f"Demo data unchanged since the import of {when} UTC; nothing to do."
                    )
                return
        try:
            result = demo_data_import(
                directory=directory,
                clusters_only=options["clusters_only"],
                limit=options["limit"],
                report=self.stderr.write,
                show_progress=verbosity > 0,
            )
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # The triggers indexed the bulk writes (and renewed the directory stamp, which every
        # cached count is keyed by); refresh the planner's statistics.
        analyse_tables()
        demo_data_import_record(
            fingerprint=fingerprint,
            summary={
                name: str(getattr(result, name))
                for name in ("projects", "organisations", "participations")
            },
        )
        if verbosity > 0:
            for name in ("projects", "organisations", "participations"):
                self.stdout.write(f"{name}: {getattr(result, name)}")
            if result.kept:
                self.stdout.write(f"organisations left as their members edited them: {result.kept}")
