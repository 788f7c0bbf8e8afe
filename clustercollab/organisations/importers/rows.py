"""Reading and checking the CORDIS source rows (pure functions, apart from reading the files).

Each row is checked by a pure ``*_row_clean`` function; a broken row raises ``RowError``, whose
message says why, and the import reports it with its line number and skips it as a whole.
"""

import csv
import gzip
import math
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from clustercollab.core.taxonomy import iso_country_code
from clustercollab.organisations.models import OrganisationKind

ACTIVITY_KINDS = {
    "PRC": OrganisationKind.COMPANY,
    "HES": OrganisationKind.UNIVERSITY,
    "REC": OrganisationKind.RESEARCH,
    "PUB": OrganisationKind.PUBLIC_BODY,
    "OTH": OrganisationKind.OTHER,
}
REVIEWED_KINDS = {
    "cluster_organisation": OrganisationKind.CLUSTER,
    "cluster_network": OrganisationKind.CLUSTER_NETWORK,
    "not_cluster": None,  # a false positive of the name heuristic: keeps its CORDIS kind
}
MAX_KEYWORD_LENGTH = 80  # longer "keywords" are sentences or several words without commas


class RowError(ValueError):
    """A source row that cannot be imported; the message says why."""


# --- Row validation (pure) --------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectRow:
    id: str
    acronym: str
    title: str
    start_date: date | None
    end_date: date | None
    topic_code: str
    topic_title: str
    legal_basis: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationRow:
    pic: str
    name: str
    acronym: str
    kind: str
    country: str  # ISO 3166 alpha-2
    nuts_code: str
    city: str
    latitude: float | None
    longitude: float | None
    website: str


@dataclass(frozen=True)
class ParticipationRow:
    project_id: str
    pic: str
    role: str


def _text(row: dict[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def _required(row: dict[str, str | None], column: str, max_length: int) -> str:
    value = _text(row, column)
    if not value:
        raise RowError(f"missing {column}")
    if len(value) > max_length:
        raise RowError(f"{column} is longer than {max_length} characters")
    return value


def _optional(row: dict[str, str | None], column: str, max_length: int) -> str:
    value = _text(row, column)
    if len(value) > max_length:
        raise RowError(f"{column} is longer than {max_length} characters")
    return value


def _digits(row: dict[str, str | None], column: str, max_length: int) -> str:
    value = _required(row, column, max_length)
    if not value.isdigit():
        raise RowError(f"{column} {value!r} is not a number")
    return value


def _date(row: dict[str, str | None], column: str) -> date | None:
    value = _text(row, column)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"malformed {column} {value!r}") from None


def keywords_split(text: str) -> tuple[str, ...]:
    """Return the keywords of a CORDIS keywords cell, split on , ; and newlines, deduplicated.

    Case-insensitive duplicates keep their first spelling; keywords longer than
    MAX_KEYWORD_LENGTH are dropped.
    """
    seen: set[str] = set()
    keywords = []
    for part in re.split(r"[,;\n]", text or ""):
        keyword = " ".join(part.split()).strip(" .\"'")
        key = keyword.casefold()
        if keyword and len(keyword) <= MAX_KEYWORD_LENGTH and key not in seen:
            seen.add(key)
            keywords.append(keyword)
    return tuple(keywords)


def project_row_clean(row: dict[str, str | None]) -> ProjectRow:
    """Return the checked values of a projects.csv row; raise RowError when it is broken."""
    start_date, end_date = _date(row, "start_date"), _date(row, "end_date")
    if start_date and end_date and end_date < start_date:
        raise RowError("end_date is before start_date")
    return ProjectRow(
        id=_digits(row, "project_id", 12),
        acronym=_optional(row, "acronym", 100),
        title=_required(row, "title", 500),
        start_date=start_date,
        end_date=end_date,
        topic_code=_optional(row, "topic_code", 120),
        topic_title=_text(row, "topic_title"),
        legal_basis=_optional(row, "legal_basis", 60),
        keywords=keywords_split(_text(row, "keywords")),
    )


def coordinates_clean(
    latitude: str | None, longitude: str | None
) -> tuple[float | None, float | None]:
    """Return (lat, lon) as floats, (None, None) when both are empty; raise RowError otherwise."""
    latitude, longitude = (latitude or "").strip(), (longitude or "").strip()
    if not latitude and not longitude:
        return None, None
    if not latitude or not longitude:
        raise RowError("only one of lat and lon is given")
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        raise RowError(f"unparseable coordinates {latitude!r}, {longitude!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise RowError(f"coordinates out of range {latitude}, {longitude}")
    return lat, lon


_url_validator = URLValidator(schemes=["http", "https"])


def website_clean(url: str) -> str:
    """Return the URL with https:// added when it has no scheme, or "" when it is not valid."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"https://{url}"
    if len(url) > 300:
        return ""
    try:
        _url_validator(url)
    except ValidationError:
        return ""
    return url


def organisation_row_clean(
    row: dict[str, str | None],
    *,
    known_countries: Collection[str],
    reviewed_kind: str | None = None,
) -> OrganisationRow:
    """Return the checked values of an organisations.csv row; raise RowError when it is broken.

    ``known_countries`` are the ISO codes in the Country table; ``reviewed_kind`` is the kind
    from the reviewed cluster list, which wins over the CORDIS activity type.
    """
    pic = _digits(row, "organisation_id", 12)
    name = _required(row, "legal_name", 250)
    raw_country = _text(row, "country")
    if not raw_country:
        raise RowError("missing country")
    country = iso_country_code(raw_country)
    if country not in known_countries:
        raise RowError(f"unknown country {raw_country!r}")
    latitude, longitude = coordinates_clean(row.get("lat"), row.get("lon"))
    short_name = _text(row, "short_name")
    return OrganisationRow(
        pic=pic,
        name=name,
        # 743 "short names" are long English names, not acronyms: those are left out.
        acronym=short_name if len(short_name) <= 50 else "",
        kind=reviewed_kind
        or ACTIVITY_KINDS.get(_text(row, "activity_type"), OrganisationKind.OTHER),
        country=country,
        nuts_code=_text(row, "nuts_code").upper(),
        city=_text(row, "city")[:120],
        latitude=latitude,
        longitude=longitude,
        website=website_clean(_text(row, "url")),
    )


def participation_row_clean(row: dict[str, str | None]) -> ParticipationRow:
    """Return the checked values of a participations.csv row; raise RowError when it is broken."""
    return ParticipationRow(
        project_id=_digits(row, "project_id", 12),
        pic=_digits(row, "organisation_id", 12),
        role=_required(row, "role", 20),
    )


# --- Reading ----------------------------------------------------------------------------------


def read_csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number where the record starts, row) for each record of a .csv or .csv.gz."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:
            return
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1


def reviewed_cluster_kinds(path: Path) -> dict[str, str | None]:
    """Return {PIC: kind or None} from the reviewed cluster list (None: not a cluster)."""
    if not path.exists():
        return {}
    kinds = {}
    for _line, row in read_csv_rows(path):
        review = _text(row, "kind")
        if review in REVIEWED_KINDS:
            kinds[_text(row, "organisation_id")] = REVIEWED_KINDS[review]
    return kinds
