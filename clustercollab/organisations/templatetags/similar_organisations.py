from django import template

from clustercollab.organisations.models import Organisation
from clustercollab.organisations.similar import similar_organisations

register = template.Library()

SHOWN = 5


@register.inclusion_tag("organisations/_similar.html")
def similar_organisations_box(organisation: Organisation) -> dict:
    """Render the "similar organisations" box of a public profile (nothing for other profiles)."""
    if not organisation.is_public:
        return {"similar": []}
    return {"similar": similar_organisations(organisation, limit=SHOWN)}
