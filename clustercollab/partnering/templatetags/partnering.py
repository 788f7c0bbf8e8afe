from typing import Any

from django import template

from clustercollab.organisations.models import Organisation
from clustercollab.partnering import selectors

register = template.Library()


@register.inclusion_tag("partnering/_organisation_partnering.html", takes_context=True)
def partnering_for_organisation(context: dict, organisation: Organisation) -> dict[str, Any]:
    """The partnerships, networks and open posts of an organisation, and "Contact this cluster"."""
    user = context.get("user")
    own = organisation.pk in selectors.organisation_ids_of(user)
    return {
        "organisation": organisation,
        "partnerships": list(selectors.partnerships_of(organisation)),
        "networks": list(selectors.networks_of(organisation)),
        "network": selectors.network_of_profile(organisation),
        "posts": list(selectors.posts_of_organisation(organisation)[:5]),
        "can_contact": organisation.is_public and not own,
        "user": user,
    }


@register.inclusion_tag("partnering/_dashboard_partnering.html")
def partnering_for_member(user: Any) -> dict[str, Any]:
    """A member's posts, expressions of interest and unread conversations."""
    return {
        "posts": list(selectors.posts_of_user(user)[:10]),
        "interests": list(selectors.interests_for_user(user).order_by("-created_at")[:10]),
        "unread": list(selectors.unread_threads(user)[:10]),
        "user": user,
    }
