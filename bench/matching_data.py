"""The temporal partner-matching data set of ``bench/matching_eval.py``, from real CORDIS data.

History is every Horizon 2020 participation (2014–2022, no titles) plus every Horizon Europe
project starting before the cut-off; the future is every Horizon Europe project starting on or
after it. See ``matching_eval.py`` for how queries, candidates and the truth are chosen.
"""

import csv
import gzip
import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from clustercollab.matching.partners import programme_labels

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
HORIZON = DATA / "cordis-horizon-europe"
H2020 = DATA / "cordis-h2020-participations"
CACHE = ROOT / "var" / "matching-eval"

PROGRAMME_PARTS = {
    "ERC": "frontier research (ERC)",
    "MSCA": "researcher mobility and training (Marie Skłodowska-Curie)",
    "FET": "future and emerging technologies",
    "INFRA": "research infrastructures",
    "LEIT": "industrial technologies: ICT, nanotechnologies, materials, manufacturing, space",
    "SME": "innovation in SMEs",
    "RISK": "access to risk finance",
    "SC1": "health, demographic change and wellbeing",
    "SC2": "food security, sustainable agriculture, marine research and the bioeconomy",
    "SC3": "secure, clean and efficient energy",
    "SC4": "smart, green and integrated transport",
    "SC5": "climate action, environment, resource efficiency and raw materials",
    "SC6": "inclusive, innovative and reflective societies",
    "SC7": "secure societies",
    "SWAFS": "science with and for society",
    "SEWP": "spreading excellence and widening participation",
    "EIT": "European Institute of Innovation and Technology",
    "JRC": "Joint Research Centre",
    "EURATOM": "nuclear research (Euratom)",
}
# Words of an embedded profile text: about two tokens each (names and acronyms split), so ~50
# tokens a profile: short enough to embed ~8,500 profiles within the run's time budget.
EMBED_WORDS = 24


@dataclass
class Organisation:
    pic: str
    name: str
    country: str
    kind: str
    latitude: float | None
    longitude: float | None
    titles: list[str] = field(
        default_factory=list
    )  # Horizon Europe, before the cut-off, newest first
    keywords: list[str] = field(default_factory=list)
    programme_parts: list[str] = field(default_factory=list)  # Horizon 2020
    projects: int = 0  # every project before the cut-off


@dataclass
class MatchingData:
    cutoff: str
    organisations: dict[str, Organisation]
    # project key → participating PICs (every organisation, named or not)
    history: dict[str, set[str]]
    future: dict[str, set[str]]
    # project key → start and end dates (ISO), for the history's projects
    started: dict[str, str] = field(default_factory=dict)
    ended: dict[str, str] = field(default_factory=dict)
    # project key → its programme: the Horizon 2020 programme part, or the Horizon Europe
    # legal basis and call destination (e.g. "HORIZON.2.5", "CL5-D3")
    programmes: dict[str, list[str]] = field(default_factory=dict)


def _rows(path: Path) -> "csv.DictReader":
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def load(cutoff: str, until: str | None = None) -> MatchingData:
    """History before ``cutoff``; the future from it until ``until`` (excluded), or all of it."""
    projects = {row["project_id"]: row for row in _rows(HORIZON / "projects.csv.gz")}
    organisations = {
        row["organisation_id"]: Organisation(
            pic=row["organisation_id"],
            name=row["legal_name"].strip(),
            country=row["country"],
            kind=row["activity_type"],
            latitude=_float(row["lat"]),
            longitude=_float(row["lon"]),
        )
        for row in _rows(HORIZON / "organisations.csv.gz")
    }
    parts = {row["rcn"]: row["programme_part"] for row in _rows(H2020 / "programme_parts.csv.gz")}
    history: dict[str, set[str]] = defaultdict(set)
    future: dict[str, set[str]] = defaultdict(set)
    started: dict[str, str] = {}
    ended: dict[str, str] = {}
    programmes: dict[str, list[str]] = {}
    for row in _rows(HORIZON / "participations.csv.gz"):
        project = projects[row["project_id"]]
        key = "he:" + row["project_id"]
        if project["start_date"] < cutoff:
            history[key].add(row["organisation_id"])
            started[key] = project["start_date"]
            ended[key] = project["end_date"]
            programmes[key] = programme_labels(project["legal_basis"], project["topic_code"])
        elif until is None or project["start_date"] < until:
            future[key].add(row["organisation_id"])
    for row in _rows(H2020 / "h2020_participations.csv.gz"):
        if row["start_date"] < cutoff:
            history["h2020:" + row["rcn"]].add(row["pic"])
            started["h2020:" + row["rcn"]] = row["start_date"]
            ended["h2020:" + row["rcn"]] = row["end_date"]
            if row["rcn"] in parts:
                programmes["h2020:" + row["rcn"]] = ["H2020." + parts[row["rcn"]]]
    for key, members in history.items():
        source, number = key.split(":")
        for pic in members:
            organisation = organisations.get(pic)
            if organisation is None:
                continue
            organisation.projects += 1
            if source == "h2020":
                part = parts.get(number)
                if part and part not in organisation.programme_parts:
                    organisation.programme_parts.append(part)
    newest_first = sorted(
        (key for key in history if key.startswith("he:")),
        key=lambda key: projects[key[3:]]["start_date"],
        reverse=True,
    )
    for key in newest_first:
        project = projects[key[3:]]
        keywords = [k.strip() for k in project["keywords"].replace(";", ",").split(",")]
        for pic in history[key]:
            organisation = organisations.get(pic)
            if organisation is not None:
                organisation.titles.append(project["title"].strip())
                organisation.keywords += [k for k in keywords if k]
    return MatchingData(
        cutoff,
        organisations,
        dict(history),
        dict(future),
        started=started,
        ended=ended,
        programmes=programmes,
    )


def search_text(organisation: Organisation) -> str:
    """The profile text BM25 indexes: name, project titles and keywords, programme parts."""
    return " ".join(
        [organisation.name, *organisation.titles, *organisation.keywords]
        + [PROGRAMME_PARTS.get(part, "") for part in organisation.programme_parts]
    )


def embedding_text(organisation: Organisation) -> str:
    """The shorter profile text that is embedded: name, then the newest titles (or themes)."""
    parts = [organisation.name, *organisation.titles]
    if not organisation.titles:
        parts += [PROGRAMME_PARTS.get(part, part) for part in organisation.programme_parts]
    words = ". ".join(parts).split()
    return " ".join(words[:EMBED_WORDS])


class VectorCache:
    """Passage vectors on disk, keyed by a hash of the text (float16, one .npz per model)."""

    def __init__(self, name: str = "e5-small-passage") -> None:
        self.path = CACHE / f"{name}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            stored = np.load(self.path)
            self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]

    def missing(self, texts: list[str]) -> list[str]:
        return sorted({t for t in texts if self.key(t) not in self.vectors})

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        for text, vector in zip(texts, vectors, strict=True):
            self.vectors[self.key(text)] = vector.astype(np.float16)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.vectors)
        tmp = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))
        tmp.replace(self.path)

    def matrix(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[self.key(t)] for t in texts]).astype(np.float32)
