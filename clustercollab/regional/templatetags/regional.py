from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from clustercollab.regional import selectors

register = template.Library()


@register.simple_tag
def regional_dashboard(user: Any) -> dict:
    """The member's supporter roles and the latest support messages to their organisations."""
    received = selectors.messages_received_by_user(user)
    return {
        "supporters": list(selectors.supporters_of_user(user)),
        "messages": list(received[:5]),
        "recent": received.filter(created_at__gte=timezone.now() - timedelta(days=30)).count(),
    }
