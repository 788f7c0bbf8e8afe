from django import template

from clustercollab.organisations.models import Organisation

register = template.Library()


@register.filter
def changed_field_labels(organisation: Organisation) -> list[str]:
    """Return the readable names of the fields edited since staff last reviewed the profile."""
    labels = []
    for name in organisation.unreviewed_changes:
        try:
            labels.append(str(Organisation._meta.get_field(name).verbose_name))
        except Exception:  # a field renamed since the edit was recorded
            labels.append(name)
    return labels
