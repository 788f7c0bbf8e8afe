"""Similar organisations for a profile page, each with the reasons it was chosen.

The ranking is a weighted overlap (shared ecosystems, NACE sectors, keywords) plus closeness
(same NUTS region or country, or a short distance), plus the matching signals: how alike the
profiles are by meaning (``matching.selectors.nearest_to_object``: nothing until vectors exist)
and their shared partners (Adamic–Adar on the co-participation graph of
``clustercollab.matching.partners``, scaled to the best candidate).

It runs on every public profile page, so it never scores the whole directory: the database first
gathers a bounded set of candidates that share a sector or an ecosystem (nearby profiles, then
clusters anywhere), and only those few hundred are scored here.
"""

import math
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

import numpy as np
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clustercollab.core.models import IndustrialEcosystem, NaceActivity, NutsRegion
from clustercollab.matching import partners as matching_partners
from clustercollab.matching import reasons as matching_reasons
from clustercollab.matching.recommend import (
    partner_graph,
    shared_partner_scores,
    shared_partners_reasons,
    still_published,
)
from clustercollab.matching.selectors import nearest_to_object
from clustercollab.organisations.models import Organisation
from clustercollab.organisations.selectors import DIRECTORY_VERSION_KEY

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

    @property
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


_PROFILE_COLUMNS = (
    "pk",
    "kind",
    "country_id",
    "nuts_region_id",
    "latitude",
    "longitude",
    "keywords",
)


def _candidates(viewed: _Profile, nearest: list[int]) -> list[_Profile]:
    """Return published profiles sharing a sector or an ecosystem, from a few bounded pools.

    ``nearest`` (the profiles nearest by meaning) come first.
    """
    published = Organisation.objects.published().exclude(pk=viewed.pk).order_by()
    pools = [published.filter(pk__in=nearest)] if nearest else []
    if viewed.nace:
        division_codes = NaceActivity.objects.filter(
            reduce(or_, (Q(code__startswith=d) for d in viewed.divisions), Q(code__in=viewed.nace))
        ).values("code")
        pools.append(
            published.filter(
                Exists(
                    _NaceThrough.objects.filter(
                        organisation_id=OuterRef("pk"), naceactivity_id__in=division_codes
                    )
                )
            )
        )
    if viewed.region:
        nearby = Q(nuts_region__in=NutsRegion.objects.filter(code__startswith=viewed.region[:4]))
    else:
        nearby = Q(country=viewed.country)
    if viewed.ecosystems:
        # A correlated EXISTS lets the database stop at the pool's limit; "pk IN (subquery)"
        # would first collect every profile of a popular ecosystem.
        shares = Exists(
            _EcosystemThrough.objects.filter(
                organisation_id=OuterRef("pk"), industrialecosystem_id__in=viewed.ecosystems
            )
        )
        pools += [
            published.filter(shares, nearby),
            published.clusters().filter(shares),
            published.filter(shares, country=viewed.country),
        ]
    elif not viewed.nace and viewed.keywords:
        # Nothing to pre-filter on but keywords: look for them among the nearby profiles.
        pools.append(published.filter(nearby))
    rows: dict[int, tuple] = {}
    for pool in pools:
        if len(rows) >= 2 * CANDIDATES_PER_POOL:
            break
        for row in pool.values_list(*_PROFILE_COLUMNS)[:CANDIDATES_PER_POOL]:
            rows.setdefault(row[0], row)
    profiles = {
        pk: _Profile(
            pk=pk,
            kind=kind,
            country=country,
            region=region or "",
            latitude=lat,
            longitude=lon,
            keywords={str(k).casefold(): str(k) for k in keywords or []},
        )
        for pk, kind, country, region, lat, lon, keywords in rows.values()
    }
    if not profiles:
        return []
    for pk, ecosystem in _EcosystemThrough.objects.filter(organisation_id__in=profiles).values_list(
        "organisation_id", "industrialecosystem_id"
    ):
        profiles[pk].ecosystems.add(ecosystem)
    if viewed.nace:
        for pk, code in _NaceThrough.objects.filter(organisation_id__in=profiles).values_list(
            "organisation_id", "naceactivity_id"
        ):
            profiles[pk].nace.add(code)
    return list(profiles.values())


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


def _ranked(organisation: Organisation, limit: int) -> list[tuple[int, float, list[str]]]:
    viewed = _profile(organisation)
    nearest = dict(nearest_to_object("organisation", organisation.pk, limit=SEMANTIC_CANDIDATES))
    candidates = _candidates(viewed, list(nearest))
    meaning = dict(
        zip(
            nearest,
            matching_partners.normalise(np.array(list(nearest.values()))).tolist(),
            strict=True,
        )
        if nearest
        else {}
    )
    graph = partner_graph()
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
    ranking is cached for a while per profile version, directory version and language;
    profiles unpublished meanwhile are still left out.
    """
    key = ":".join(
        [
            "organisations:similar",
            str(organisation.pk),
            str(organisation.updated_at.timestamp() if organisation.updated_at else ""),
            str(cache.get_or_set(DIRECTORY_VERSION_KEY, 1, timeout=None)),
            str(limit),
            get_language() or "",
        ]
    )
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranked(organisation, limit)
        cache.set(key, ranked, CACHE_SECONDS)
    return [
        SimilarOrganisation(organisation=candidate, score=score, reasons=reasons)
        for candidate, score, reasons in still_published(ranked)
    ]
