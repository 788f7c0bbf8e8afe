"""Similar organisations for a profile page, each with the reasons it was chosen.

The ranking is a weighted overlap (shared ecosystems, NACE sectors, keywords) plus closeness
(same NUTS region or country, or a short distance), plus the matching signals: how alike the
profiles are by meaning (``matching.selectors.nearest_to_object``: nothing until vectors exist)
and their shared partners (Adamic–Adar on the co-participation graph of
``clustercollab.matching.partners``, scaled to the best candidate).

It runs on every public profile page, so it never scores the whole directory: a bounded set of
candidates that share a sector or an ecosystem (nearby profiles, then clusters anywhere) is
gathered first, and only those few hundred are scored here. The candidates come from the
directory's in-memory index (``directory_index.py``, current with the directory stamp), so a
page reads only the candidates' coordinates and keywords from the database.

A ranking is cached for a while under everything it depends on that another process may
change: the directory stamp (any profile or its links), the partner graph's stamp and the
version of the profiles' vectors, besides the profile's own version and the language.
"""

import bisect
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clustercollab.core.models import IndustrialEcosystem, NaceActivity, NutsRegion
from clustercollab.matching import partners as matching_partners
from clustercollab.matching import reasons as matching_reasons
from clustercollab.matching.recommend import (
    partner_graph,
    partner_graph_stamp,
    shared_partner_scores,
    shared_partners_reasons,
    still_published,
)
from clustercollab.matching.selectors import nearest_to_object, vectors_version
from clustercollab.organisations.directory_index import (
    DirectoryIndex,
    LinkColumn,
    directory_index,
    directory_stamp,
)
from clustercollab.organisations.models import CLUSTER_KINDS, Organisation

CANDIDATES_PER_POOL = 100
CACHE_SECONDS = 15 * 60
MAX_KEYWORDS_COUNTED = 4
MAX_KEYWORDS_SHOWN = 5

WEIGHT_ECOSYSTEM = 2.0
WEIGHT_SAME_NACE = 3.0
WEIGHT_SAME_NACE_DIVISION = 1.5
WEIGHT_KEYWORD = 1.5
WEIGHT_SAME_KIND = 0.25
WEIGHT_MEANING = 6.0  # × the cosine normalised among the candidates (0 to 1)
WEIGHT_SHARED_PARTNERS = 3.0  # × Adamic–Adar scaled to the best candidate (0 to 1)
SEMANTIC_CANDIDATES = 50
# Closeness: the best of the region ladder and the distance ladder counts.
WEIGHT_REGION = {3: 2.0, 2: 1.5, 1: 1.0, 0: 0.5}  # NUTS level shared (0: the country)
DISTANCE_STEPS_KM = [(25, 2.0), (75, 1.5), (200, 1.0)]

_EcosystemThrough = Organisation.ecosystems.through
_NaceThrough = Organisation.nace_activities.through


@dataclass(frozen=True)
class SimilarOrganisation:
    organisation: Organisation
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Profile:
    """What the ranking compares, for the viewed profile and for each candidate."""

    pk: int
    kind: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None
    keywords: dict[str, str]  # case-folded → as written
    ecosystems: set[int] = field(default_factory=set)
    nace: set[str] = field(default_factory=set)

    @cached_property
    def divisions(self) -> set[str]:
        return {code[:2] for code in self.nace if len(code) >= 2}


@dataclass
class _Match:
    score: float
    ecosystems: list[int]
    nace: list[str]
    divisions: list[str]
    keywords: list[str]
    shared_region_level: int | None
    distance_km: float | None
    meaning: float = 0.0
    shared_partners: float = 0.0


def _profile(organisation: Organisation) -> _Profile:
    return _Profile(
        pk=organisation.pk,
        kind=organisation.kind,
        country=organisation.country_id,
        region=organisation.nuts_region_id or "",
        latitude=organisation.latitude,
        longitude=organisation.longitude,
        keywords={str(k).casefold(): str(k) for k in organisation.keywords or [] if str(k).strip()},
        ecosystems={e.pk for e in organisation.ecosystems.all()},
        nace={n.pk for n in organisation.nace_activities.all()},
    )


def _distance_km(a: _Profile, b: _Profile) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _shared_region_level(a: _Profile, b: _Profile) -> int | None:
    if a.region and b.region:
        # NUTS codes nest by prefix: FI1D3 (level 3) lies in FI1D (2), FI1 (1) and FI.
        for level, length in ((3, 5), (2, 4), (1, 3)):
            if len(a.region) >= length and a.region[:length] == b.region[:length]:
                return level
    return 0 if a.country == b.country else None


def _match(
    viewed: _Profile, other: _Profile, *, meaning: float = 0.0, shared_partners: float = 0.0
) -> _Match | None:
    ecosystems = sorted(viewed.ecosystems & other.ecosystems)
    nace = sorted(viewed.nace & other.nace)
    divisions = sorted((viewed.divisions & other.divisions) - {code[:2] for code in nace})
    keywords = sorted(viewed.keywords.keys() & other.keywords.keys())
    if not (ecosystems or nace or divisions or keywords or meaning > 0 or shared_partners > 0):
        return None  # closeness alone does not make two organisations alike
    level = _shared_region_level(viewed, other)
    distance = _distance_km(viewed, other)
    closeness = WEIGHT_REGION.get(level, 0.0) if level is not None else 0.0
    if distance is not None:
        closeness = max(
            [closeness] + [weight for km, weight in DISTANCE_STEPS_KM if distance <= km]
        )
    score = (
        WEIGHT_ECOSYSTEM * len(ecosystems)
        + WEIGHT_SAME_NACE * len(nace)
        + WEIGHT_SAME_NACE_DIVISION * len(divisions)
        + WEIGHT_KEYWORD * min(len(keywords), MAX_KEYWORDS_COUNTED)
        + closeness
        + (WEIGHT_SAME_KIND if viewed.kind == other.kind else 0.0)
        + WEIGHT_MEANING * meaning
        + WEIGHT_SHARED_PARTNERS * shared_partners
    )
    return _Match(
        score=score,
        ecosystems=ecosystems,
        nace=nace,
        divisions=divisions,
        keywords=[viewed.keywords[k] for k in keywords],
        shared_region_level=level,
        distance_km=distance,
        meaning=meaning,
        shared_partners=shared_partners,
    )


class _Links:
    """A link column of the directory index both ways: the values of one profile, and the
    profiles having one of some values."""

    def __init__(self, column: LinkColumn, size: int) -> None:
        self.values = column.values
        self.size = size
        by_profile = np.argsort(column.positions, kind="stable")
        self.codes_by_profile = column.codes[by_profile]
        self.profile_starts = np.searchsorted(column.positions[by_profile], np.arange(size + 1))
        by_value = np.argsort(column.codes, kind="stable")
        self.profiles_by_value = column.positions[by_value]
        self.value_starts = np.searchsorted(column.codes[by_value], np.arange(len(self.values) + 1))
        self.code_of = {value: code for code, value in enumerate(self.values)}

    def of(self, position: int) -> set:
        start, end = self.profile_starts[position], self.profile_starts[position + 1]
        return {self.values[code] for code in self.codes_by_profile[start:end].tolist()}

    def having(self, values: Iterable) -> np.ndarray:
        """A bool per profile: it has one of ``values``."""
        mask = np.zeros(self.size, dtype=bool)
        for value in values:
            code = self.code_of.get(value)
            if code is not None:
                mask[
                    self.profiles_by_value[self.value_starts[code] : self.value_starts[code + 1]]
                ] = True
        return mask


@dataclass
class _Pools:
    """What the candidate pools need of one directory index, derived once per index."""

    index: DirectoryIndex
    country_code: dict[str, int]
    regions: list[str]  # the NUTS codes in use, in code order
    region_rank: np.ndarray  # per profile: its NUTS code's place in ``regions`` (none: last)
    kind_rank: np.ndarray  # per profile: its kind's place in alphabetical order
    cluster: np.ndarray
    ecosystems: _Links
    nace: _Links

    @classmethod
    def of(cls, index: DirectoryIndex) -> "_Pools":
        pools = _pools_state.get("pools")
        if pools is None or pools.index is not index:
            pools = cls.derive(index)
            _pools_state["pools"] = pools
        return pools

    @classmethod
    def derive(cls, index: DirectoryIndex) -> "_Pools":
        by_code = sorted(range(len(index.regions)), key=index.regions.__getitem__)
        region_rank = np.empty(len(index.regions) + 1, dtype=np.int32)
        region_rank[by_code] = np.arange(len(by_code), dtype=np.int32)
        region_rank[-1] = len(by_code)
        kinds = sorted(index.kinds)
        kind_rank = np.array([kinds.index(kind) for kind in index.kinds], dtype=np.int32)
        return cls(
            index=index,
            country_code={country: code for code, country in enumerate(index.countries)},
            regions=[index.regions[code] for code in by_code],
            region_rank=region_rank[index.region],
            kind_rank=kind_rank[index.kind],
            cluster=np.isin(
                index.kind, [code for code, kind in enumerate(index.kinds) if kind in CLUSTER_KINDS]
            ),
            ecosystems=_Links(index.ecosystems, index.size),
            nace=_Links(index.nace, index.size),
        )

    def first(self, mask: np.ndarray, rank: np.ndarray | None = None) -> np.ndarray:
        """The first ``CANDIDATES_PER_POOL`` profiles of ``mask`` by id, or by ``rank`` then id.

        These are the orders in which the database's indexes gave each pool when the pools were
        queried (SQLite, LIMIT without ORDER BY), so that the rankings stayed what they were.
        """
        positions = np.flatnonzero(mask)
        if rank is not None:
            positions = positions[np.argsort(rank[positions], kind="stable")]
        return positions[:CANDIDATES_PER_POOL]

    def nace_mask(self, viewed: _Profile) -> np.ndarray:
        """Profiles with one of the viewed profile's NACE codes or a code in its divisions."""
        divisions = tuple(sorted(viewed.divisions))
        return self.nace.having(
            code
            for code in self.nace.values
            if code in viewed.nace or (divisions and code.startswith(divisions))
        )

    def country_mask(self, country: str) -> np.ndarray:
        code = self.country_code.get(country)
        if code is None:
            return np.zeros(self.index.size, dtype=bool)
        return self.index.country == code

    def region_mask(self, prefix: str) -> np.ndarray:
        """Profiles whose NUTS code starts with ``prefix``: a range of ``regions``."""
        low = high = bisect.bisect_left(self.regions, prefix)
        while high < len(self.regions) and self.regions[high].startswith(prefix):
            high += 1
        return (self.region_rank >= low) & (self.region_rank < high)


_pools_state: dict = {"pools": None}


def prepare_candidate_pools(index: DirectoryIndex) -> None:
    """Derive what the candidate pools need of ``index`` now rather than on first use."""
    _Pools.of(index)


def _candidate_positions(viewed: _Profile, nearest: list[int], pools: _Pools) -> list[int]:
    """Published profiles sharing a sector or an ecosystem, from a few bounded pools, in turn
    until two pools' worth are found. ``nearest`` (the profiles nearest by meaning) come first.
    """
    index = pools.index
    others = np.ones(index.size, dtype=bool)
    others[index.positions_of([viewed.pk])] = False
    candidates: list = []  # callables, each giving one pool's positions in order
    if nearest:
        chosen = np.zeros(index.size, dtype=bool)
        chosen[index.positions_of(nearest)] = True
        candidates.append(lambda: pools.first(chosen & others))
    if viewed.nace:
        candidates.append(lambda: pools.first(pools.nace_mask(viewed) & others))
    if viewed.region:
        nearby_mask = pools.region_mask(viewed.region[:4])
        nearby_rank = pools.region_rank
    else:
        nearby_mask = pools.country_mask(viewed.country)
        nearby_rank = None
    if viewed.ecosystems:
        shares = pools.ecosystems.having(viewed.ecosystems) & others
        candidates += [
            lambda: pools.first(shares & nearby_mask, nearby_rank),
            lambda: pools.first(shares & pools.cluster, pools.kind_rank),
            lambda: pools.first(shares & pools.country_mask(viewed.country)),
        ]
    elif not viewed.nace and viewed.keywords:
        # Nothing to pre-filter on but keywords: look for them among the nearby profiles.
        candidates.append(lambda: pools.first(nearby_mask & others, nearby_rank))
    found: dict[int, None] = {}
    for pool in candidates:
        if len(found) >= 2 * CANDIDATES_PER_POOL:
            break
        found.update(dict.fromkeys(pool().tolist()))
    return list(found)


_CANDIDATE_ROWS = (
    "SELECT id, kind, country_id, nuts_region_id, latitude, longitude, keywords "
    f"FROM {Organisation._meta.db_table} WHERE id IN (%s)"
)


def _candidate_rows(ids: list[int]) -> list[tuple]:
    """The candidates' columns in one plain statement: for a few hundred rows, the ORM's
    query building and JSON converters take twice as long as reading them."""
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATE_ROWS % ", ".join(["%s"] * len(ids)), ids)
        rows = cursor.fetchall()
    # keywords: JSON text on SQLite, already a list on PostgreSQL (jsonb)
    return [(*row[:6], json.loads(row[6]) if isinstance(row[6], str) else row[6]) for row in rows]


def _candidates(viewed: _Profile, nearest: list[int], index: DirectoryIndex) -> list[_Profile]:
    """The candidates' profiles: links from the index, the rest from the database."""
    pools = _Pools.of(index)
    positions = _candidate_positions(viewed, nearest, pools)
    if not positions:
        return []
    links = {int(index.ids[position]): position for position in positions}
    return [
        _Profile(
            pk=pk,
            kind=kind,
            country=country,
            region=region or "",
            latitude=lat,
            longitude=lon,
            keywords={str(k).casefold(): str(k) for k in keywords or []},
            ecosystems=pools.ecosystems.of(links[pk]),
            nace=pools.nace.of(links[pk]) if viewed.nace else set(),
        )
        for pk, kind, country, region, lat, lon, keywords in _candidate_rows(list(links))
    ]


def _reasons(organisation: Organisation, pk: int, match: _Match, names: dict) -> list[str]:
    reasons = []
    if pk in names["partners"]:
        reasons.append(names["partners"][pk])
    similar = matching_reasons.similar_activities(match.meaning)
    if similar is not None:
        reasons.append(str(similar))
    if match.ecosystems:
        reasons.append(
            ngettext(
                "Shared ecosystem: %(names)s",
                "Shared ecosystems: %(names)s",
                len(match.ecosystems),
            )
            % {"names": ", ".join(names["ecosystems"][pk] for pk in match.ecosystems)}
        )
    if match.nace:
        reasons.append(
            _("Same NACE sector: %(sectors)s")
            % {"sectors": "; ".join(names["nace"][code] for code in match.nace)}
        )
    if match.divisions:
        reasons.append(
            _("Same NACE division: %(divisions)s")
            % {"divisions": "; ".join(names["nace"].get(code, code) for code in match.divisions)}
        )
    if match.keywords:
        reasons.append(
            ngettext(
                "Shared keyword: %(keywords)s",
                "Shared keywords: %(keywords)s",
                len(match.keywords),
            )
            % {"keywords": ", ".join(match.keywords[:MAX_KEYWORDS_SHOWN])}
        )
    level = match.shared_region_level
    if level in (1, 2, 3):
        code = (organisation.nuts_region_id or "")[: {3: 5, 2: 4, 1: 3}[level]]
        reasons.append(_("Same region: %(region)s") % {"region": names["regions"].get(code, code)})
    elif level == 0:
        reasons.append(_("Same country: %(country)s") % {"country": organisation.country})
    elif match.distance_km is not None and match.distance_km <= DISTANCE_STEPS_KM[-1][0]:
        reasons.append(_("%(km)d km away") % {"km": round(match.distance_km)})
    return reasons


def _names(organisation: Organisation, matches: list[_Match]) -> dict:
    ecosystem_ids = {pk for m in matches for pk in m.ecosystems}
    nace_codes = {code for m in matches for code in m.nace + m.divisions}
    region = organisation.nuts_region_id or ""
    return {
        "ecosystems": {
            e.pk: str(e) for e in IndustrialEcosystem.objects.filter(pk__in=ecosystem_ids)
        },
        "nace": {n.code: str(n) for n in NaceActivity.objects.filter(code__in=nace_codes)},
        "regions": dict(
            NutsRegion.objects.filter(code__in=[region[:5], region[:4], region[:3]]).values_list(
                "code", "name_latin"
            )
        )
        if region
        else {},
    }


def _ranked(
    organisation: Organisation,
    limit: int,
    *,
    index: DirectoryIndex,
    graph_stamp: int,
) -> list[tuple[int, float, list[str]]]:
    """The best ``limit`` candidates as (id, score, reasons), from the current ``index`` and the
    partner graph of ``graph_stamp``."""
    viewed = _profile(organisation)
    nearest = dict(nearest_to_object("organisation", organisation.pk, limit=SEMANTIC_CANDIDATES))
    candidates = _candidates(viewed, list(nearest), index)
    meaning = dict(
        zip(
            nearest,
            matching_partners.normalise(np.array(list(nearest.values()))).tolist(),
            strict=True,
        )
        if nearest
        else {}
    )
    graph = partner_graph(stamp=graph_stamp)
    shared = shared_partner_scores(organisation, [c.pk for c in candidates], graph)
    scored = []
    for candidate in candidates:
        match = _match(
            viewed,
            candidate,
            meaning=meaning.get(candidate.pk, 0.0),
            shared_partners=shared.get(candidate.pk, 0.0),
        )
        if match is not None:
            scored.append((match, candidate.pk))
    scored.sort(key=lambda item: (-item[0].score, item[1]))
    best = scored[:limit]
    names = _names(organisation, [match for match, _pk in best]) if best else {}
    if best:
        with_partners = [pk for match, pk in best if match.shared_partners > 0]
        names["partners"] = shared_partners_reasons(organisation, with_partners, graph)
    return [
        (pk, round(match.score, 2), _reasons(organisation, pk, match, names)) for match, pk in best
    ]


def similar_organisations(
    organisation: Organisation, *, limit: int = 5
) -> list[SimilarOrganisation]:
    """Return up to ``limit`` published profiles most like this one, best first, with reasons.

    Never the profile itself, never an unpublished profile; only profiles sharing at least an
    ecosystem, a NACE sector (or division), a keyword, a partner or likeness by meaning. The
    ranking is cached for a while under the profile's version, the directory stamp, the partner
    graph's stamp, the vectors' version and the language (see the module's docstring).
    """
    stamp = directory_stamp()
    graph_stamp = partner_graph_stamp()
    depends_on = (
        organisation.updated_at.timestamp() if organisation.updated_at else None,
        stamp,
        graph_stamp,
        vectors_version("organisation"),
        limit,
        get_language() or "",
    )
    digest = hashlib.sha1(repr(depends_on).encode(), usedforsecurity=False).hexdigest()
    key = f"organisations:similar:{organisation.pk}:{digest}"
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranked(
            organisation,
            limit,
            index=directory_index(stamp=stamp),
            graph_stamp=graph_stamp,
        )
        cache.set(key, ranked, CACHE_SECONDS)
    return [
        SimilarOrganisation(organisation=candidate, score=score, reasons=reasons)
        for candidate, score, reasons in still_published(ranked)
    ]
