from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The last part of a dotted audit action, as members and staff read it in a history.
ACTION_LABELS = {
    "created": _("created"),
    "edited": _("edited"),
    "submitted": _("submitted for validation"),
    "resubmitted": _("resubmitted for validation"),
    "changes_requested": _("changes requested"),
    "published": _("published"),
    "restored": _("published again"),
    "archived": _("archived"),
    "changes_reviewed": _("edits reviewed by staff"),
    "joined": _("a member joined"),
    "removed": _("a member was removed"),
    "role_changed": _("a member's role changed"),
    "revoked": _("an invitation was withdrawn"),
}


@register.filter
def action_label(action: str) -> str:
    """Return a readable label for a dotted audit action such as organisations.x.published."""
    if action == "organisations.invitation.created":
        return str(_("a colleague was invited"))
    return str(ACTION_LABELS.get(action.rsplit(".", 1)[-1], action))
