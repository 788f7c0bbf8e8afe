"""Real profile texts from the CORDIS Horizon Europe files in ../shared/data, without a database.

Built the way ``texts.organisation_text`` builds the text of an imported CORDIS profile: the
titles of its projects, newest first (the name only when it has none). The embedding benchmark
and the cross-language tests use them as a realistic pool of profiles.
"""

import csv
import gzip
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from clustercollab.matching.texts import PROJECT_TITLES_PER_ORGANISATION, _joined, shorten


def _data_dir() -> Path:
    return Path(settings.SHARED_DATA_DIR) / "cordis-horizon-europe"


@dataclass(frozen=True)
class CordisProfile:
    organisation_id: int
    name: str
    short_name: str
    country: str
    project_titles: tuple[str, ...]

    @property
    def text(self) -> str:
        titles = self.project_titles[:PROJECT_TITLES_PER_ORGANISATION]
        return shorten(_joined(titles) or _joined([self.name, self.short_name]))


def _rows(name: str) -> csv.DictReader:
    return csv.DictReader(gzip.open(_data_dir() / name, "rt", encoding="utf-8", newline=""))


def cordis_profiles(organisation_ids: Collection[int] | None = None) -> list[CordisProfile]:
    """Profiles of these CORDIS organisations (every one when None), in id order."""
    wanted = set(organisation_ids) if organisation_ids is not None else None
    projects_of: dict[int, list[str]] = defaultdict(list)
    for row in _rows("participations.csv.gz"):
        organisation_id = int(row["organisation_id"])
        if wanted is None or organisation_id in wanted:
            projects_of[organisation_id].append(row["project_id"])
    needed = {project for projects in projects_of.values() for project in projects}
    projects: dict[str, tuple[str, str]] = {}
    for row in _rows("projects.csv.gz"):
        if row["project_id"] in needed:
            projects[row["project_id"]] = (row["start_date"] or "", row["title"])
    profiles = []
    for row in _rows("organisations.csv.gz"):
        organisation_id = int(row["organisation_id"])
        if wanted is not None and organisation_id not in wanted:
            continue
        dated = sorted(
            (projects[p] for p in projects_of.get(organisation_id, []) if p in projects),
            reverse=True,
        )
        profiles.append(
            CordisProfile(
                organisation_id=organisation_id,
                name=row["legal_name"],
                short_name=row["short_name"],
                country=row["country"],
                project_titles=tuple(title for _start, title in dated),
            )
        )
    return sorted(profiles, key=lambda profile: profile.organisation_id)
