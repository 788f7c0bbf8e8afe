"""manage.py rebuild_search_index: refill the directory's full-text index from the profiles."""

from typing import Any

from django.core.management.base import BaseCommand

from clustercollab.organisations.search import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index of published organisation profiles (FTS5 on SQLite, "
        "tsvector on PostgreSQL). Database triggers keep it in sync; run this after restoring a "
        "dump or changing how documents are built."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        indexed = rebuild_search_index(show_progress=verbosity > 0)
        if verbosity > 0:
            self.stdout.write(f"indexed {indexed} published profiles")
