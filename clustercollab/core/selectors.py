from collections.abc import Sequence
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, models

from clustercollab.core.models import AuditLogEntry

# (model, name of a foreign key or many-to-many field of it)
Reference = tuple[type[models.Model], str]


def audit_log_for(target: models.Model) -> models.QuerySet[AuditLogEntry]:
    """Return the audit entries of one object, newest first, with their actors."""
    return AuditLogEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


def any_row_refers_to(
    pk: object, references: Sequence[Reference], *, using: str = DEFAULT_DB_ALIAS
) -> bool:
    """Whether any row refers to ``pk`` through one of ``references`` (whatever its status).

    One statement of EXISTS probes on the foreign keys' indexes. A page section that is empty
    for most objects asks it first and skips its own queries when nothing refers to the object:
    building one ORM query costs more than this whole statement.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(_references_sql(tuple(references), using), [pk] * len(references))
        row = cursor.fetchone()
    return bool(row and row[0])


@lru_cache(maxsize=64)
def _references_sql(references: tuple[Reference, ...], using: str) -> str:
    quote = connections[using].ops.quote_name
    probes = []
    for model, name in references:
        field = model._meta.get_field(name)
        if field.many_to_many:
            table, column = field.remote_field.through._meta.db_table, field.m2m_reverse_name()
        else:
            table, column = model._meta.db_table, field.column
        probes.append(f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)")
    return "SELECT CASE WHEN " + " OR ".join(probes) + " THEN 1 ELSE 0 END"  # noqa: S608
