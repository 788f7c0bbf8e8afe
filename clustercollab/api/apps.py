from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "clustercollab.api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the schema extension of the token authentication with drf-spectacular.
        from clustercollab.api import schema  # noqa: F401
