"""manage.py refresh_statistics: compute the statistics dashboards' figures into the cache.

The unfiltered figures in every language, and with ``--countries`` those of every country that
has a published profile, so that no visitor waits for them after a deployment or a cache flush.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from tqdm import tqdm

from clustercollab.core.moderation import ModerationStatus
from clustercollab.insights.selectors import InsightsFilters, refresh_figures
from clustercollab.organisations.models import Organisation


class Command(BaseCommand):
    help = "Compute the statistics dashboards' figures into the cache."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--countries", action="store_true", help="also each country with a published profile"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        filters = [InsightsFilters()]
        if options["countries"]:
            codes = (
                Organisation.objects.filter(status=ModerationStatus.PUBLISHED)
                .values_list("country_id", flat=True)
                .distinct()
                .order_by("country_id")
            )
            filters += [InsightsFilters(country=code) for code in codes]
        jobs = [(language, f) for language, _name in settings.LANGUAGES for f in filters]
        for language, f in tqdm(
            jobs, desc="statistics", unit="set", disable=options["verbosity"] < 1
        ):
            with translation.override(language):
                refresh_figures(f)
        if options["verbosity"] > 0:
            self.stdout.write(f"{len(jobs)} sets of statistics figures computed")
