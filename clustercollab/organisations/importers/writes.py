"""The writes of the CORDIS import, in the caller's transaction.

The staged rows are compared with what is stored: new rows are bulk-created, changed rows
bulk-updated, the ecosystem links diffed.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from clustercollab.core.geo import nuts_code_for_point, nuts_region_for_code
from clustercollab.core.moderation import ModerationStatus
from clustercollab.organisations.importers.rows import OrganisationRow
from clustercollab.organisations.importers.staging import (
    DemoDataResult,
    ImportCounts,
    _progress,
    _Source,
)
from clustercollab.organisations.models import (
    Membership,
    Organisation,
    Participation,
    Project,
    Source,
)


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk_create(
    model: type[models.Model],
    objs: list[models.Model],
    *,
    desc: str,
    show: bool,
    batch_size: int = 1000,
) -> None:
    with _progress(None, desc, show and bool(objs), total=len(objs)) as bar:
        for batch in _batches(objs, batch_size):
            model.objects.bulk_create(batch, batch_size=batch_size)
            bar.update(len(batch))


def _sync_links(
    *,
    through: type[models.Model],
    owner_field: str,
    wanted: dict[Any, set[int]],
    show: bool,
    desc: str,
) -> set[Any]:
    """Make the ecosystem links of the owners in ``wanted`` exactly these; return changed owners."""
    existing: dict[Any, dict[int, int]] = defaultdict(dict)
    rows = through.objects.values_list("id", owner_field, "industrialecosystem_id")
    for link_id, owner, ecosystem in rows:
        if owner in wanted:
            existing[owner][ecosystem] = link_id
    to_add = []
    to_remove = []
    changed = set()
    for owner, ecosystem_ids in wanted.items():
        have = existing.get(owner, {})
        for ecosystem in ecosystem_ids - have.keys():
            to_add.append(through(**{owner_field: owner, "industrialecosystem_id": ecosystem}))
            changed.add(owner)
        for ecosystem, link_id in have.items():
            if ecosystem not in ecosystem_ids:
                to_remove.append(link_id)
                changed.add(owner)
    _bulk_create(through, to_add, desc=desc, show=show)
    for batch in _batches(to_remove, 500):
        through.objects.filter(id__in=batch).delete()
    return changed


_PROJECT_FIELDS = [
    "acronym",
    "title",
    "start_date",
    "end_date",
    "topic_code",
    "legal_basis",
    "keywords",
]


def _write_projects(
    source: _Source, ecosystem_ids: dict[str, int], counts: ImportCounts, show: bool
) -> None:
    existing = {pid: values for pid, *values in Project.objects.values_list("id", *_PROJECT_FIELDS)}
    to_create, to_update = [], []
    for pid, row in source.projects.items():
        values = [
            row.acronym,
            row.title,
            row.start_date,
            row.end_date,
            row.topic_code,
            row.legal_basis,
            list(row.keywords),
        ]
        if pid not in existing:
            to_create.append(Project(id=pid, **dict(zip(_PROJECT_FIELDS, values, strict=True))))
        elif existing[pid] != values:
            to_update.append(Project(id=pid, **dict(zip(_PROJECT_FIELDS, values, strict=True))))
    _bulk_create(Project, to_create, desc="writing projects", show=show)
    Project.objects.bulk_update(to_update, _PROJECT_FIELDS, batch_size=500)
    wanted = {
        pid: {ecosystem_ids[name] for name in source.project_ecosystems[pid]}
        for pid in source.projects
    }
    relinked = _sync_links(
        through=Project.ecosystems.through,
        owner_field="project_id",
        wanted=wanted,
        show=show,
        desc="linking project ecosystems",
    )
    new = {project.id for project in to_create}
    updated = {project.id for project in to_update} | (relinked - new)
    counts.created += len(new)
    counts.updated += len(updated)
    counts.unchanged += len(source.projects) - len(new) - len(updated)


_ORGANISATION_FIELDS = [
    "kind",
    "name",
    "acronym",
    "slug",
    "website",
    "country_id",
    "nuts_region_id",
    "city",
    "latitude",
    "longitude",
    "keywords",
]


def organisation_nuts_code(row: OrganisationRow) -> str | None:
    """Return the NUTS 2024 code for an imported organisation, or None.

    In order: the CORDIS code when it is a NUTS 2024 code of the organisation's country; else the
    level-3 region at its coordinates (CORDIS codes are NUTS 2021, some changed; seven Belgian
    organisations carry the Dutch "NL415"); else the longest prefix of the code that is a region
    (the parent). A region in another country than the organisation's is never used.
    """
    region = nuts_region_for_code(row.nuts_code) if row.nuts_code else None
    if region is not None and region.code == row.nuts_code and region.country_id == row.country:
        return region.code
    if row.latitude is not None and row.longitude is not None:
        code = nuts_code_for_point(latitude=row.latitude, longitude=row.longitude)
        point_region = nuts_region_for_code(code) if code else None
        if point_region is not None and point_region.country_id == row.country:
            return point_region.code
    if region is not None and region.country_id == row.country:
        return region.code
    return None


def _organisation_values(row: OrganisationRow, keywords: list[str]) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "name": row.name,
        "acronym": row.acronym,
        "slug": slugify(row.name)[:80] or "organisation",
        "website": row.website,
        "country_id": row.country,
        "nuts_region_id": organisation_nuts_code(row),
        "city": row.city,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "keywords": keywords,
    }


def _write_organisations(
    source: _Source, ecosystem_ids: dict[str, int], result: DemoDataResult, show: bool
) -> dict[str, int]:
    """Create and update the profiles; return {PIC: organisation id} of all imported PICs."""
    counts = result.organisations
    claimed = set(Membership.objects.values_list("organisation_id", flat=True))
    existing = {}
    rows = Organisation.objects.filter(cordis_pic__isnull=False).values_list(
        "cordis_pic", "id", "source", *_ORGANISATION_FIELDS
    )
    for pic, pk, source_name, *values in rows:
        existing[pic] = (pk, source_name, dict(zip(_ORGANISATION_FIELDS, values, strict=True)))
    now = timezone.now()
    to_create, to_update, kept = [], [], set()
    changed_fields: set[str] = set()
    for pic, row in _progress(
        source.organisations.items(),
        "comparing organisations",
        show,
        total=len(source.organisations),
    ):
        values = _organisation_values(row, source.organisation_keywords[pic])
        if pic not in existing:
            to_create.append(
                Organisation(
                    **values,
                    cordis_pic=pic,
                    source=Source.CORDIS,
                    status=ModerationStatus.PUBLISHED,
                    published_at=now,
                    submitted_at=now,
                )
            )
            continue
        pk, source_name, stored = existing[pic]
        if source_name != Source.CORDIS or pk in claimed:
            kept.add(pk)
            continue
        changed = [name for name, value in values.items() if stored[name] != value]
        if changed:
            changed_fields.update(changed)
            to_update.append(Organisation(id=pk, updated_at=now, **values))
    _bulk_create(Organisation, to_create, desc="writing organisations", show=show, batch_size=500)
    if to_update:
        Organisation.objects.bulk_update(
            to_update, [*sorted(changed_fields), "updated_at"], batch_size=500
        )
    ids = {
        pic: pk
        for pic, pk in Organisation.objects.filter(cordis_pic__isnull=False).values_list(
            "cordis_pic", "id"
        )
        if pic in source.organisations
    }
    wanted = {
        ids[pic]: {ecosystem_ids[name] for name in source.organisation_ecosystems[pic]}
        for pic in source.organisations
        if ids[pic] not in kept
    }
    relinked = _sync_links(
        through=Organisation.ecosystems.through,
        owner_field="organisation_id",
        wanted=wanted,
        show=show,
        desc="linking organisation ecosystems",
    )
    new = {ids[organisation.cordis_pic] for organisation in to_create}
    updated = {organisation.id for organisation in to_update} | (relinked - new)
    counts.created += len(new)
    counts.updated += len(updated)
    counts.unchanged += len(source.organisations) - len(new) - len(updated)
    result.kept = len(kept)
    return ids


def _write_participations(
    source: _Source, organisation_ids: dict[str, int], counts: ImportCounts, show: bool
) -> None:
    existing = {
        (project_id, organisation_id): (pk, role)
        for pk, project_id, organisation_id, role in Participation.objects.values_list(
            "id", "project_id", "organisation_id", "role"
        )
    }
    to_create, to_update = [], []
    for (project_id, pic), role in source.participations.items():
        key = (project_id, organisation_ids[pic])
        if key not in existing:
            to_create.append(Participation(project_id=key[0], organisation_id=key[1], role=role))
        elif existing[key][1] != role:
            to_update.append(Participation(id=existing[key][0], role=role))
    _bulk_create(
        Participation, to_create, desc="writing participations", show=show, batch_size=2000
    )
    Participation.objects.bulk_update(to_update, ["role"], batch_size=500)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(source.participations) - len(to_create) - len(to_update)
