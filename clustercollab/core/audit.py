from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from clustercollab.core.models import AuditLogEntry


def audit_log(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    reason: str = "",
    data: dict | None = None,
) -> AuditLogEntry:
    """Record one dotted action (e.g. ``organisations.profile.published``) in the audit log."""
    entry = AuditLogEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        reason=reason,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry
