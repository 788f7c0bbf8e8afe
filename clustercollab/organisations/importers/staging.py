"""Staging of the CORDIS import: the checked rows chosen for a run and what is derived from them.

Also the counts of a run (``DemoDataResult``) and the progress bars.
"""

import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from clustercollab.organisations.importers.derivation import (
    organisation_ecosystems,
    organisation_keywords,
    project_ecosystems,
)
from clustercollab.organisations.importers.rows import (
    OrganisationRow,
    ProjectRow,
    RowError,
    _text,
    organisation_row_clean,
    participation_row_clean,
    project_row_clean,
    read_csv_rows,
    reviewed_cluster_kinds,
)

PROJECTS_FILE = "projects.csv.gz"
ORGANISATIONS_FILE = "organisations.csv.gz"
PARTICIPATIONS_FILE = "participations.csv.gz"
REVIEWED_CLUSTERS_FILE = "cluster_organisations_reviewed.csv"
# One organisation appears twice in a few projects (e.g. participant, then third party); the
# stronger role is kept.
ROLE_RANK = {"coordinator": 0, "participant": 1, "associatedPartner": 2, "thirdParty": 3}


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped"
        )


@dataclass
class DemoDataResult:
    """Counts by entity; ``kept`` profiles belong to their members and were not overwritten."""

    projects: ImportCounts = field(default_factory=ImportCounts)
    organisations: ImportCounts = field(default_factory=ImportCounts)
    participations: ImportCounts = field(default_factory=ImportCounts)
    kept: int = 0

    @property
    def changed(self) -> bool:
        return any(
            c.created or c.updated for c in (self.projects, self.organisations, self.participations)
        )

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: vars(getattr(self, name))
            for name in ("projects", "organisations", "participations")
        }


@dataclass
class _Source:
    """The checked rows chosen for this run, and what is derived from them."""

    projects: dict[str, ProjectRow]
    project_ecosystems: dict[str, set[str]]
    organisations: dict[str, OrganisationRow]
    organisation_ecosystems: dict[str, list[str]]
    organisation_keywords: dict[str, list[str]]
    participations: dict[tuple[str, str], str]  # (project id, PIC) → role


def _progress(iterable: Iterable[Any], desc: str, show: bool, total: int | None = None) -> tqdm:
    return tqdm(
        iterable,
        desc=desc,
        total=total,
        unit=" rows",
        file=sys.stderr,
        disable=not show,
        dynamic_ncols=True,
    )


def _read_source(
    directory: Path,
    *,
    clusters_only: bool,
    limit: int | None,
    known_countries: Collection[str],
    ecosystem_order: dict[str, int],
    result: DemoDataResult,
    report: Callable[[str], None],
    show: bool,
) -> _Source:
    reviewed = reviewed_cluster_kinds(directory / REVIEWED_CLUSTERS_FILE)

    projects: dict[str, ProjectRow] = {}
    for line, row in _progress(read_csv_rows(directory / PROJECTS_FILE), "projects", show):
        try:
            project = project_row_clean(row)
            if project.id in projects:
                raise RowError(f"project {project.id} appears twice")
        except RowError as error:
            report(f"{PROJECTS_FILE} line {line}: {error}; skipped")
            result.projects.skipped += 1
            continue
        projects[project.id] = project
    ecosystems = {
        project.id: project_ecosystems(
            topic_code=project.topic_code,
            legal_basis=project.legal_basis,
            title=project.title,
            keywords=project.keywords,
            topic_title=project.topic_title,
        )
        for project in projects.values()
    }

    organisations: dict[str, OrganisationRow] = {}
    broken_pics: set[str] = set()
    unselected_pics: set[str] = set()
    rows = read_csv_rows(directory / ORGANISATIONS_FILE)
    for index, (line, row) in enumerate(_progress(rows, "organisations", show)):
        pic = _text(row, "organisation_id")
        is_cluster = reviewed.get(pic) is not None
        if (clusters_only and not is_cluster) or (
            limit is not None and index >= limit and not is_cluster
        ):
            unselected_pics.add(pic)
            continue
        try:
            organisation = organisation_row_clean(
                row, known_countries=known_countries, reviewed_kind=reviewed.get(pic)
            )
            if organisation.pic in organisations:
                raise RowError(f"organisation {pic} appears twice")
        except RowError as error:
            report(f"{ORGANISATIONS_FILE} line {line}: {error}; skipped")
            result.organisations.skipped += 1
            broken_pics.add(pic)
            continue
        organisations[organisation.pic] = organisation

    # Each chosen organisation's participations all count for its ecosystems and keywords, so
    # --limit and --clusters-only derive the same values as a full run.
    roles: dict[tuple[str, str], str] = {}
    rows = read_csv_rows(directory / PARTICIPATIONS_FILE)
    for line, row in _progress(rows, "participations", show):
        try:
            participation = participation_row_clean(row)
            pic, project_id = participation.pic, participation.project_id
            if pic in unselected_pics and pic not in organisations:
                continue  # not asked for in this run
            if pic in broken_pics:
                raise RowError(f"organisation {pic} was skipped")
            if pic not in organisations:
                raise RowError(f"unknown organisation {pic}")
            if project_id not in projects:
                raise RowError(f"unknown or skipped project {project_id}")
        except RowError as error:
            report(f"{PARTICIPATIONS_FILE} line {line}: {error}; skipped")
            result.participations.skipped += 1
            continue
        key = (project_id, pic)
        previous = roles.get(key)
        if previous is None or ROLE_RANK.get(participation.role, 9) < ROLE_RANK.get(previous, 9):
            roles[key] = participation.role

    projects_of: dict[str, list[str]] = defaultdict(list)
    for project_id, pic in sorted(roles):
        projects_of[pic].append(project_id)
    if clusters_only or limit is not None:
        chosen = {project_id for project_id, _pic in roles}
        projects = {pid: project for pid, project in projects.items() if pid in chosen}
    return _Source(
        projects=projects,
        project_ecosystems={pid: ecosystems[pid] for pid in projects},
        organisations=organisations,
        organisation_ecosystems={
            pic: organisation_ecosystems(
                [ecosystems[p] for p in projects_of[pic]], order=ecosystem_order
            )
            for pic in organisations
        },
        organisation_keywords={
            pic: organisation_keywords([projects[p].keywords for p in projects_of[pic]])
            for pic in organisations
        },
        participations=roles,
    )
