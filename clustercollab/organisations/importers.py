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

import csv
import gzip
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from clustercollab.core.audit import audit_log
from clustercollab.core.geo import nuts_code_for_point, nuts_region_for_code
from clustercollab.core.models import Country, IndustrialEcosystem
from clustercollab.core.moderation import ModerationStatus
from clustercollab.core.taxonomy import iso_country_code
from clustercollab.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Participation,
    Project,
    Source,
)

CORDIS_DIR = "cordis-horizon-europe"
PROJECTS_FILE = "projects.csv.gz"
ORGANISATIONS_FILE = "organisations.csv.gz"
PARTICIPATIONS_FILE = "participations.csv.gz"
REVIEWED_CLUSTERS_FILE = "cluster_organisations_reviewed.csv"

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
# One organisation appears twice in a few projects (e.g. participant, then third party); the
# stronger role is kept.
ROLE_RANK = {"coordinator": 0, "participant": 1, "associatedPartner": 2, "thirdParty": 3}
MAX_KEYWORD_LENGTH = 80  # longer "keywords" are sentences or several words without commas
ORGANISATION_KEYWORDS = 10
ORGANISATION_ECOSYSTEMS = 3


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


# --- Ecosystems and keywords (pure) -----------------------------------------------------------

AEROSPACE = "Aerospace & defence"
AGRI_FOOD = "Agri-food"
CONSTRUCTION = "Construction"
CCI = "Cultural and creative industries (CCI)"
DIGITAL = "Digital"
ELECTRONICS = "Electronics"
EII = "Energy-intensive industries (EII)"
RENEWABLES = "Energy-renewables"
HEALTH = "Health"
MOBILITY = "Mobility-Transport-Automotive"
PROXIMITY = "Proximity, social economy and civil society"
RETAIL = "Retail"
TEXTILES = "Textiles"
TOURISM = "Tourism"

# Cluster 4 names its destinations by words: TWIN-TRANSITION is D1, RESILIENCE D2, DATA D3,
# DIGITAL(-EMERGING) and QUANTUM D4, SPACE D5, HUMAN D6.
_CL4_DESTINATIONS = {
    "TWIN": "D1",
    "RESILIENCE": "D2",
    "DATA": "D3",
    "DIGITAL": "D4",
    "QUANTUM": "D4",
    "SPACE": "D5",
    "HUMAN": "D6",
}
_CL5_DESTINATIONS = {
    "D1": {RENEWABLES},  # climate sciences and responses
    "D2": {MOBILITY, RENEWABLES},  # cross-sectoral solutions, batteries
    "D3": {RENEWABLES},  # energy supply
    "D4": {CONSTRUCTION, RENEWABLES},  # buildings and industrial energy use
    "D5": {MOBILITY},  # clean transport
    "D6": {MOBILITY},  # safe, smart mobility
}
# Partnerships and missions with a topic code of their own (token in the code → ecosystems).
_PARTNERSHIPS = {
    "SESAR": {AEROSPACE, MOBILITY},
    "AVIATION": {AEROSPACE, MOBILITY},  # Clean Aviation
    "CLEANH2": {RENEWABLES},
    "ER": {MOBILITY},  # Europe's Rail
    "IHI": {HEALTH},
    "EDCTP3": {HEALTH},
    "CANCER": {HEALTH},
    "CHIPS": {ELECTRONICS, DIGITAL},
    "KDT": {ELECTRONICS, DIGITAL},
    "SNS": {DIGITAL},
    "EUROHPC": {DIGITAL},
    "EUSPA": {AEROSPACE},
    "CBE": {AGRI_FOOD},  # Circular Bio-based Europe
    "SOIL": {AGRI_FOOD},
    "NEB": {CONSTRUCTION, CCI},  # New European Bauhaus
}
# Used only when the topic code names no cluster or partnership.
_LEGAL_BASES = {
    "HORIZON.2.1": {HEALTH},
    "HORIZON.2.2": {PROXIMITY},
    "HORIZON.2.3": {AEROSPACE},
    "HORIZON.2.4": {DIGITAL},
    "HORIZON.2.5": {RENEWABLES},
    "HORIZON.2.6": {AGRI_FOOD},
}
_ELECTRONICS_TOPIC = re.compile(
    r"\b(chips?|semiconductors?|photonics?|micro-?electronics|nano-?electronics|electronics?"
    r"|electronic (?:components|systems))\b"
)
_KEYWORD_RULES = [
    (
        TEXTILES,
        r"\btextiles?\b|\bfashion\b|\bgarments?\b|\bapparel\b|\bclothing\b|\bfootwear\b"
        r"|\bleather\b",
    ),
    (TOURISM, r"\btouris[mt]s?\b|\bhospitality\b"),
    (RETAIL, r"\bretail\w*|\be-?commerce\b|\bsupermarkets?\b"),
    (
        CONSTRUCTION,
        r"\bbuildings\b|\bbuilding (?:stock|envelopes?|sector|renovation|materials?"
        r"|information model\w*)\b|\bbuilt environment\b|\bconstruction (?:sector"
        r"|industry|materials?|sites?|products?|waste)\b|\brenovation\b|\bcement\b"
        r"|\bconcrete\b",
    ),
    # "soil health", "ocean health" and "plant health" are not the health ecosystem.
    (
        HEALTH,
        r"\bhealth\b(?<!soil health)(?<!ocean health)(?<!plant health)|\bhealthcare\b"
        r"|\bmedical\b|\bmedicines?\b|\bclinical\b|\bpatients?\b|\bcancers?\b|\bhospitals?\b"
        r"|\bvaccines?\b|\bpharmaceuticals?\b|\btherapies\b|\btherapy\b",
    ),
    (
        AGRI_FOOD,
        r"\bagri\w*|\bagro\w*|\bfarm\w*|\bfoods?\b|\bcrops?\b|\blivestock\b"
        r"|\baquaculture\b|\bfisher(?:y|ies)\b|\bdairy\b|\bviticulture\b",
    ),
    (
        RENEWABLES,
        r"\brenewables?\b|\brenewable energy\b|\bsolar\b|\bphotovoltaics?\b"
        r"|\bwind (?:energy|power|turbines?|farms?)\b|\bhydrogen\b|\bgeothermal\b"
        r"|\bbioenergy\b|\bbiofuels?\b|\bheat pumps?\b|\benergy storage\b"
        r"|\bsmart grids?\b",
    ),
    (
        MOBILITY,
        r"\bautomotive\b|\bvehicles?\b|\brailways?\b|\brail\b|\be-?mobility\b"
        r"|\belectromobility\b|\b(?:urban|smart|sustainable) mobility\b|\bmaritime\b"
        r"|\bshipping\b|\blogistics\b|\bfreight\b|\bpublic transport\b"
        r"|\b(?:road|air|urban) transport\b|\btransport (?:sector|systems?"
        r"|infrastructures?|modes?|policy|corridors?)\b",
    ),
    (
        AEROSPACE,
        r"\baerospace\b|\baircraft\b|\baviation\b|\bsatellites?\b|\bspacecraft\b"
        r"|\bspace (?:missions?|technolog\w*|debris|weather|systems?|sector|industry"
        r"|exploration)\b|\bearth observation\b|\bdefen[cs]e\b|\bdrones?\b"
        r"|\bcopernicus\b|\bgalileo\b",
    ),
    (
        DIGITAL,
        r"\bdigital\w*|\bartificial intelligence\b|\bai\b|\bmachine learning\b"
        r"|\bdeep learning\b|\bsoftware\b|\bcloud\b|\bcyber\w*|\brobot\w*"
        r"|\binternet of things\b|\biot\b|\b[56]g\b|\bblockchain\b"
        r"|\bhigh[- ]performance computing\b|\bbig data\b|\bdata spaces?\b",
    ),
    (
        ELECTRONICS,
        r"\bsemiconductors?\b|\bmicro-?electronics?\b|\bnano-?electronics?\b"
        r"|\bphotonics?\b|\bchips?\b|\belectronics\b|\bintegrated circuits?\b",
    ),
    (
        EII,
        r"\bsteel\b|\bcement\b|\balumini?um\b|\bceramics?\b|\bprocess industr\w*"
        r"|\bchemical industr\w*|\bpetrochemicals?\b|\bpulp and paper\b|\bfertili[sz]ers?\b"
        r"|\bindustrial symbiosis\b|\braw materials?\b",
    ),
    (
        CCI,
        r"\bcultural heritage\b|\bheritage\b|\bcreative industr\w*|\bcultural and creative\b"
        r"|\bmuseums?\b|\bmusic\b|\bfilms?\b|\baudiovisual\b|\bvideo games?\b"
        r"|\bperforming arts\b",
    ),
    (
        PROXIMITY,
        r"\bsocial economy\b|\bsocial enterprises?\b|\bcivil society\b"
        r"|\bsocial innovation\b|\bcooperatives?\b|\bnon-?profits?\b|\bvolunteer\w*"
        r"|\bthird sector\b|\bsocial inclusion\b",
    ),
]
_KEYWORD_PATTERNS = [(name, re.compile(pattern)) for name, pattern in _KEYWORD_RULES]


def _topic_ecosystems(topic_code: str, text: str) -> set[str]:
    tokens = topic_code.upper().split("-")
    programme = tokens[1] if len(tokens) > 1 and tokens[0] == "HORIZON" else tokens[0]
    # The first token after the programme and the year, e.g. "D3" or "RESILIENCE".
    destination = next((t for t in tokens[2:] if not t.isdigit()), "")
    if programme in {"HLTH", "CL1"}:
        return {HEALTH}
    if programme == "CL2":
        return {CCI} if destination in {"HERITAGE", "CCI"} else {PROXIMITY}
    if programme == "CL3":
        return {AEROSPACE}
    if programme == "CL4":
        destination = _CL4_DESTINATIONS.get(destination, destination)
        if destination in {"D1", "D2"}:
            return {EII}
        if destination == "D5":
            return {AEROSPACE}
        found = {DIGITAL}
        if _ELECTRONICS_TOPIC.search(text):
            found.add(ELECTRONICS)
        return found
    if programme == "CL5":
        return set(_CL5_DESTINATIONS.get(destination, {RENEWABLES}))
    if programme == "CL6":
        return {AGRI_FOOD}
    found: set[str] = set()
    for token in tokens:
        found |= _PARTNERSHIPS.get(token, set())
    return found


def project_ecosystems(
    *, topic_code: str, legal_basis: str, title: str, keywords: Iterable[str], topic_title: str = ""
) -> set[str]:
    """Return the names of the industrial ecosystems a Horizon Europe project belongs to.

    The rule, deterministic and deliberately simple:

    1. From the topic code (``HORIZON-<programme>-<year>-<destination>-…``):
       - Health (HLTH, the codes of Cluster 1) → Health.
       - CL2 → Cultural and creative industries for HERITAGE and CCI topics, otherwise
         Proximity, social economy and civil society (DEMOCRACY, TRANSFORMATIONS).
       - CL3 (civil security) → Aerospace & defence.
       - CL4: D1 TWIN-TRANSITION and D2 RESILIENCE → Energy-intensive industries; D3 DATA,
         D4 DIGITAL(-EMERGING)/QUANTUM and D6 HUMAN → Digital, plus Electronics when the topic
         title or project title is about chips, semiconductors, photonics or electronics;
         D5 SPACE → Aerospace & defence.
       - CL5: D1 and D3 → Energy-renewables; D2 (batteries) → Mobility + Energy-renewables;
         D4 (buildings, industry) → Construction + Energy-renewables; D5 and D6 → Mobility;
         other CL5 topics (SET plan, offshore) → Energy-renewables.
       - CL6 → Agri-food.
       - Partnerships and missions (a token of the code): SESAR and Clean Aviation → Aerospace +
         Mobility, CLEANH2 → Energy-renewables, Europe's Rail (ER) → Mobility, IHI, EDCTP3 and
         the cancer mission → Health, Chips and KDT → Electronics + Digital, SNS and EuroHPC →
         Digital, EUSPA → Aerospace, CBE and the soil mission → Agri-food, New European
         Bauhaus (NEB) → Construction + CCI.
    2. When the code gave nothing, the legal basis of the clusters: HORIZON.2.1 Health,
       2.2 Proximity, 2.3 Aerospace & defence, 2.4 Digital, 2.5 Energy-renewables, 2.6 Agri-food.
    3. Always, keyword rules (_KEYWORD_RULES: whole words, case-insensitive) over the title, the
       keywords and the topic title, e.g. "textile|fashion|garment…" → Textiles,
       "tourism|hospitality" → Tourism, "retail|e-commerce" → Retail, "buildings|renovation|
       cement…" → Construction, "health|clinical|patients…" → Health, "agri…|farm…|food…" →
       Agri-food. ERC, MSCA, EIC and Widening projects get ecosystems only this way; many get
       none, which is right for blue-sky research.
    """
    keywords = list(keywords)
    text = " ".join([title, *keywords, topic_title]).lower()
    found = _topic_ecosystems(topic_code, f"{title} {topic_title}".lower())
    if not found:
        found = set(_LEGAL_BASES.get(legal_basis, set()))
    for name, pattern in _KEYWORD_PATTERNS:
        if pattern.search(text):
            found.add(name)
    return found


def organisation_ecosystems(
    project_ecosystems: list[Collection[str]], order: dict[str, int] | None = None
) -> list[str]:
    """Return an organisation's ecosystems from those of its projects, most frequent first.

    An ecosystem counts when it occurs in at least max(1, 25 %) of the organisation's projects;
    at most ORGANISATION_ECOSYSTEMS are kept. Ties go by ``order`` (ecosystem id), then name.
    """
    counts = Counter(name for found in project_ecosystems for name in set(found))
    total = len(project_ecosystems)
    order = order or {}
    kept = [name for name, count in counts.items() if count >= 1 and count * 4 >= total]
    kept.sort(key=lambda name: (-counts[name], order.get(name, 0), name))
    return kept[:ORGANISATION_ECOSYSTEMS]


def _nice_form(forms: Counter[str]) -> str:
    # The most frequent spelling; on a tie, one that is not shouted ("CIRCULAR ECONOMY"; short
    # all-capital forms such as "AI" are acronyms), then the first seen (Counter keeps order).
    def score(item: tuple[int, str]) -> tuple[int, bool, int]:
        position, form = item
        return (forms[form], not (form.isupper() and len(form) > 5), -position)

    return max(enumerate(forms), key=score)[1]


def organisation_keywords(project_keywords: list[Iterable[str]]) -> list[str]:
    """Return the ORGANISATION_KEYWORDS most frequent keywords across an organisation's projects.

    Keywords are compared case-insensitively and counted once per project; each keeps its most
    frequent (and not all-capital) spelling. Ties go by first appearance.
    """
    counts: Counter[str] = Counter()  # insertion order = first appearance
    per_project = []
    for keywords in project_keywords:
        spellings: dict[str, str] = {}
        for keyword in keywords:
            spellings.setdefault(keyword.casefold(), keyword)
        counts.update(spellings.keys())
        per_project.append(spellings)
    position = {key: index for index, key in enumerate(counts)}
    top = sorted(counts, key=lambda key: (-counts[key], position[key]))[:ORGANISATION_KEYWORDS]
    forms: dict[str, Counter[str]] = {key: Counter() for key in top}
    for spellings in per_project:
        for key, form in spellings.items():
            if key in forms:
                forms[key][form] += 1
    return [_nice_form(forms[key]) for key in top]


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


# --- Import -----------------------------------------------------------------------------------


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


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


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
