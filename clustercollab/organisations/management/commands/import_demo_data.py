"""manage.py import_demo_data: CORDIS Horizon Europe projects, organisations and participations."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clustercollab.organisations.importers.cordis import CORDIS_DIR, demo_data_import


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

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["data_dir"] or Path(settings.SHARED_DATA_DIR) / CORDIS_DIR
        if not directory.is_dir():
            raise CommandError(f"No such directory: {directory}")
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError("--limit must be 0 or more.")
        verbosity = options["verbosity"]
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
        if verbosity > 0:
            for name in ("projects", "organisations", "participations"):
                self.stdout.write(f"{name}: {getattr(result, name)}")
            if result.kept:
                self.stdout.write(f"organisations left as their members edited them: {result.kept}")
