"""manage.py load_taxonomies: countries, NUTS 2024, ecosystems, NACE Rev. 2, emerging industries."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from clustercollab.core.services import taxonomies_load


class Command(BaseCommand):
    help = (
        "Load the reference taxonomies from the shared data directory. Idempotent: a second run "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Directory holding nuts-2024/, nace-rev2/ and eu-industrial-ecosystems/ "
            "(default: SHARED_DATA_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = options["data_dir"] or Path(settings.SHARED_DATA_DIR)
        results = taxonomies_load(data_dir=data_dir)
        if options["verbosity"] > 0:
            for name, counts in results.items():
                self.stdout.write(f"{name}: {counts}")
