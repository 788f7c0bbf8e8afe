from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clustercollab.partnering.importers import REVIEWED_FILE, cluster_networks_import


class Command(BaseCommand):
    help = (
        "Create the cluster networks of the reviewed CORDIS cluster list (run after "
        "import_demo_data, so that each network is linked to its profile)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", default=str(settings.SHARED_DATA_DIR))

    def handle(self, *args: object, **options: object) -> None:
        data_dir = Path(str(options["data_dir"]))
        if not (data_dir / REVIEWED_FILE).exists():
            raise CommandError(f"{data_dir / REVIEWED_FILE} not found")
        counts = cluster_networks_import(data_dir=data_dir, progress=options["verbosity"] > 0)
        self.stdout.write(
            "{created} created, {updated} updated, {linked} linked to a profile".format(**counts)
        )
