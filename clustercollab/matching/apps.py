from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_partner_graph_stamp(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # After every migrate, also of a test database, and after a SQLite table rebuild dropped the
    # triggers.
    from clustercollab.matching.recommend import install_partner_graph_stamp

    install_partner_graph_stamp(connections[using])


class MatchingConfig(AppConfig):
    name = "clustercollab.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from clustercollab.matching import signals

        signals.connect()
        post_migrate.connect(
            _install_partner_graph_stamp, sender=self, dispatch_uid="matching-partner-graph-stamp"
        )
