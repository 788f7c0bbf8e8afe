from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _figures_changed(sender: Any, **kwargs: Any) -> None:
    from clustercollab.insights.selectors import insights_changed

    insights_changed()


class InsightsConfig(AppConfig):
    name = "clustercollab.insights"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from clustercollab.insights.selectors import CONTENT_MODELS
        from clustercollab.matchmaking.models import MatchmakingEvent, Meeting, Participant
        from clustercollab.organisations.models import Organisation
        from clustercollab.partnering.models import ExpressionOfInterest, PartnerPost
        from clustercollab.response.models import SupplyListing

        counted = [
            Organisation,
            *(model for _key, model in CONTENT_MODELS),
            PartnerPost,
            ExpressionOfInterest,
            MatchmakingEvent,
            Participant,
            Meeting,
            SupplyListing,
        ]
        for model in counted:
            for signal in (post_save, post_delete):
                signal.connect(_figures_changed, sender=model, dispatch_uid=f"insights-{model}")
        links = [Organisation.ecosystems, PartnerPost.ecosystems]
        for _key, model in CONTENT_MODELS:
            links += [model.ecosystems, model.countries]
        for link in links:
            m2m_changed.connect(
                _figures_changed, sender=link.through, dispatch_uid=f"insights-{link.through}"
            )
