"""Who may act for an organisation."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from clustercollab.organisations.models import Membership


def is_member(user: Any, organisation_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation_id is None:
        return False
    return Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def require_member(user: Any, organisation_id: int | None) -> None:
    if not is_member(user, organisation_id):
        raise PermissionDenied(_("Only members of this organisation can do this."))
