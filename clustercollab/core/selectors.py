from django.contrib.contenttypes.models import ContentType
from django.db import models

from clustercollab.core.models import AuditLogEntry


def audit_log_for(target: models.Model) -> models.QuerySet[AuditLogEntry]:
    """Return the audit entries of one object, newest first, with their actors."""
    return AuditLogEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
