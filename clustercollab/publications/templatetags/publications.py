from django import template

from clustercollab.organisations.models import Membership
from clustercollab.publications import selectors

register = template.Library()


@register.inclusion_tag("publications/_dashboard_library.html")
def library_dashboard_section(user: object) -> dict:
    """The member's publications, and for each of their organisations the transition resources
    and good practices that share an ecosystem or a keyword with it."""
    if not getattr(user, "is_authenticated", False):
        return {"rows": [], "publications": []}
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("organisation__ecosystems")
        .order_by("organisation__name")
    )
    rows = [
        {
            "organisation": membership.organisation,
            "recommendations": selectors.resources_for_organisation(membership.organisation),
        }
        for membership in memberships
    ]
    return {
        "rows": rows,
        "publications": list(selectors.publications_of_user(user)[:10]),
        "can_post": bool(rows) or user.is_staff,
    }


@register.inclusion_tag("publications/_organisation_publications.html")
def organisation_publications(organisation: object) -> dict:
    return {
        "organisation": organisation,
        **selectors.publications_of_organisation(organisation),
    }


@register.inclusion_tag("publications/_partnership_good_practices.html")
def partnership_good_practices(partnership: object) -> dict:
    return {"good_practices": selectors.good_practices_of_partnership(partnership)}
