from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_search_structures(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # After every migrate, also of a test database built without migrations, and after a SQLite
    # table rebuild dropped the triggers: the search index is never missing.
    from clustercollab.organisations.directory_index import install_directory_stamp
    from clustercollab.organisations.search import install_search_structures

    install_search_structures(connections[using])
    install_directory_stamp(connections[using])


class OrganisationsConfig(AppConfig):
    name = "clustercollab.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        post_migrate.connect(
            _install_search_structures, sender=self, dispatch_uid="organisations-search-index"
        )
