"""Import of the CORDIS Horizon Europe demo data: projects, organisations and participations.

Reads ``cordis-horizon-europe/`` of the shared data directory (see its SOURCE.md). Each row is
checked by a pure ``*_row_clean`` function first; a broken row is reported with its line number
and skipped as a whole. Only then is anything written, in one transaction, comparing with what is
stored: new rows are bulk-created, changed rows bulk-updated, the ecosystem links diffed. A second
run therefore changes nothing.

Imported organisations become published profiles (source "cordis", keyed by their PIC). A profile
that its members have taken over (it has a membership, or its source is no longer "cordis") keeps
its own values: the import adds its new participations but does not overwrite it.
"""

import sys
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from clustercollab.core.audit import audit_log
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.organisations.importers.derivation import _KEYWORD_RULES
from clustercollab.organisations.importers.staging import DemoDataResult, _read_source
from clustercollab.organisations.importers.writes import (
    _write_organisations,
    _write_participations,
    _write_projects,
)

CORDIS_DIR = "cordis-horizon-europe"


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def demo_data_import(
    *,
    directory: Path,
    clusters_only: bool = False,
    limit: int | None = None,
    report: Callable[[str], None] = _stderr,
    show_progress: bool = False,
) -> DemoDataResult:
    """Import the CORDIS projects, organisations and participations in ``directory``.

    ``clusters_only``: only the reviewed cluster organisations and networks, their projects and
    their participations. ``limit``: the first ``limit`` organisation rows plus all clusters,
    their projects and participations. Broken rows go to ``report`` and are skipped.
    """
    result = DemoDataResult()
    ecosystems = dict(IndustrialEcosystem.objects.values_list("name", "id"))
    missing = sorted({name for name, _pattern in _KEYWORD_RULES} - ecosystems.keys())
    if missing:
        raise ValidationError(
            f"Load the taxonomies first (manage.py load_taxonomies); "
            f"missing ecosystems: {', '.join(missing)}"
        )
    source = _read_source(
        Path(directory),
        clusters_only=clusters_only,
        limit=limit,
        known_countries=set(Country.objects.values_list("code", flat=True)),
        ecosystem_order=ecosystems,
        result=result,
        report=report,
        show=show_progress,
    )
    with transaction.atomic():
        _write_projects(source, ecosystems, result.projects, show_progress)
        organisation_ids = _write_organisations(source, ecosystems, result, show_progress)
        _write_participations(source, organisation_ids, result.participations, show_progress)
        if result.changed:
            audit_log(
                actor=None,
                action="organisations.demo_data.imported",
                data={**result.as_dict(), "clusters_only": clusters_only, "limit": limit},
            )
    return result
