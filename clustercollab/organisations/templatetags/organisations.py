from typing import Any

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@register.simple_tag
def facet_items(facet: Any) -> str:
    """The <li> choices of one directory facet (checkboxes; radio buttons for EU).

    Built in Python: the facets of a page have a couple of hundred values, which the template
    engine (or format_html) renders several times slower.
    """
    radio = facet.name == "eu"
    kind = "radio" if radio else "checkbox"
    name = escape(facet.name)
    grouped = settings.USE_THOUSAND_SEPARATOR
    items = []
    if radio:
        checked = "" if facet.selected else " checked"
        items.append(
            f'<li><label><input type="radio" name="eu" value=""{checked}> '
            f"{escape(gettext('Anywhere'))}</label></li>"
        )
    for value in facet.values:
        count = formats.localize(value.count) if grouped else str(value.count)
        checked = " checked" if value.selected else ""
        items.append(
            f'<li><label><input type="{kind}" name="{name}" value="{escape(value.value)}"'
            f"{checked}>\n{escape(value.label)}</label> "
            f'<span class="count" data-count="{count}">{count}</span></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value is escaped above
