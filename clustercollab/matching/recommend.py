"""Recommended partners for an organisation, each with reasons a person can check.

The scoring is ``clustercollab.matching.partners`` (the method ``bench/matching_eval.py``
chose on real CORDIS collaboration data) fed from the database:

- the co-participation graph: imported CORDIS projects (``Participation``), strategic
  partnerships and networks (``partnering``), built once per process and rebuilt when those
  tables change (``_graph``);
- programme activity: the imported CORDIS projects' legal bases and call destinations, each
  project counting less the longer ago it started (``partners.programme_profiles``);
- text: the directory's full-text search for the organisation's keywords (any of them);
- meaning: ``matching.selectors.nearest_to_object`` (nothing until vectors exist, and the rest
  still works);
- geography and kind of organisation from the profiles.

Candidates are the organisations the graph reaches in two or three steps, the most active in
the organisation's programmes, and the text and vector hits (bounded, so a profile page stays
fast at any directory size); the organisation itself, its existing partners (a shared project,
partnership or network) and unpublished profiles are never recommended.

Measured with the 30,713 imported CORDIS organisations (SQLite, a loaded 2-core machine;
before programme activity was added, which costs one more query over the projects when the
graph is built and about a millisecond a ranking on synthetic data of that size): an uncached
ranking takes 62 ms (median; 125 ms for the busiest organisations). The graph (1.7 million
links, 119,000 project participations) builds in 0.2 s of CPU once per process; the random
walk and the programme profiles, which only the recommendations use, take 0.3 s more on the
first recommendation (the benchmark database of 150,000 profiles).
"""

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.cache import cache
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from scipy import sparse

from clustercollab.core.held import HeldPerProcess
from clustercollab.core.table_stamps import TableStamp
from clustercollab.matching import partners, selectors
from clustercollab.matching import reasons as reasons_module
from clustercollab.organisations.directory_index import directory_stamp
from clustercollab.organisations.models import Organisation, Participation, Project
from clustercollab.organisations.search import search_organisations
from clustercollab.partnering.models import Network, NetworkMember, PartnershipMember

CACHE_SECONDS = 15 * 60
MAX_GRAPH_CANDIDATES = 500
MAX_TEXT_CANDIDATES = 200
MAX_VECTOR_CANDIDATES = 200
MAX_QUERY_KEYWORDS = 8
MAX_PARTNERS_NAMED = 3
MAX_KEYWORDS_SHOWN = 5
NEARBY_KM = 200


@dataclass(frozen=True)
class Recommendation:
    organisation: Organisation
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Graph:
    stamp: int
    ids: np.ndarray  # node → organisation id
    node: dict[int, int]  # organisation id → node
    adjacency: sparse.csr_matrix
    popularity: np.ndarray
    adamic_adar_weights: sparse.dia_matrix
    # The CORDIS projects: their ids (in the order first met) and (node, project) pairs.
    project_ids: list[str]
    project_members: np.ndarray

    # Only the recommendations page walks the graph and weighs programmes; the profile pages'
    # "similar organisations" box does not wait for them.
    @cached_property
    def walk(self) -> sparse.csr_matrix:
        return partners.random_walk(self.adjacency)

    @cached_property
    def programmes(self) -> sparse.csr_matrix:
        """Node → recency-weighted projects per programme."""
        return _programme_profiles(self.project_ids, self.project_members, len(self.ids))


_graphs: HeldPerProcess[_Graph] = HeldPerProcess(lambda graph: graph.stamp)


def _graph_tables() -> list[str]:
    return [
        model._meta.db_table
        for model in (Participation, Project, PartnershipMember, NetworkMember, Network)
    ]


# Renewed by triggers on every write to those tables (``install_partner_graph_stamp``).
PARTNER_GRAPH_STAMP = TableStamp("matching_partner_graph", _graph_tables, trigger="graph_stamp")


def install_partner_graph_stamp(connection: BaseDatabaseWrapper) -> None:
    """Create the graph stamp's table and triggers (idempotent; after every migrate)."""
    PARTNER_GRAPH_STAMP.install(connection)


def _numbered(values: list) -> tuple[np.ndarray, list]:
    """Number the distinct values in the order they first come: (numbers, distinct values)."""
    numbers: dict = {}
    column = [numbers.setdefault(value, len(numbers)) for value in values]
    return np.asarray(column, dtype=np.int64), list(numbers)


def _build_graph() -> _Graph:
    """The graph from every project, partnership and network membership (one group each)."""
    stamp = PARTNER_GRAPH_STAMP.read_for_rebuild()
    sources = {
        "project": list(
            Participation.objects.order_by().values_list("project_id", "organisation_id")
        ),
        "partnership": list(
            PartnershipMember.objects.order_by().values_list("partnership_id", "organisation_id")
        ),
        "network": [
            *NetworkMember.objects.order_by().values_list("network_id", "organisation_id"),
            # A network's own profile works with its members.
            *Network.objects.exclude(organisation=None)
            .order_by()
            .values_list("pk", "organisation_id"),
        ],
    }
    groups, members = [], []
    offset = 0
    for kind, rows in sources.items():
        numbers, distinct = _numbered([group for group, _organisation in rows])
        organisations = np.fromiter((o for _group, o in rows), dtype=np.int64, count=len(rows))
        if kind == "project":
            project_ids, projects_of, project_organisations = distinct, numbers, organisations
        groups.append(numbers + offset)
        members.append(organisations)
        offset += len(distinct)
    organisations = np.concatenate(members)
    ids = np.unique(organisations)
    adjacency = partners.membership_graph(
        np.concatenate(groups), np.searchsorted(ids, organisations), len(ids)
    )
    return _Graph(
        stamp,
        ids,
        {int(pk): i for i, pk in enumerate(ids)},
        adjacency,
        partners.popularity(adjacency),
        partners.adamic_adar_weights(adjacency),
        project_ids,
        np.column_stack([np.searchsorted(ids, project_organisations), projects_of]),
    )


def _programme_profiles(
    project_ids: list[str], project_members: np.ndarray, size: int
) -> sparse.csr_matrix:
    """Each node's CORDIS projects per programme, older ones counting less (undated: as new)."""
    today = timezone.localdate()
    projects = {
        pk: (partners.programme_labels(legal_basis, topic_code), start)
        for pk, legal_basis, topic_code, start in Project.objects.order_by()
        .values_list("pk", "legal_basis", "topic_code", "start_date")
        .iterator(chunk_size=5000)
    }
    # Projects that have no row (yet) count in no programme: renumber those that do, in order.
    known = np.array([pk in projects for pk in project_ids], dtype=bool)
    renumbered = np.cumsum(known) - 1
    member_nodes, member_projects = project_members[:, 0], project_members[:, 1]
    kept = known[member_projects]
    keys = [pk for pk, is_known in zip(project_ids, known, strict=True) if is_known]
    return partners.programme_profiles(
        np.column_stack([member_nodes[kept], renumbered[member_projects[kept]]]),
        [projects[key][0] for key in keys],
        [
            0.0 if projects[key][1] is None else (today - projects[key][1]).days / 365.25
            for key in keys
        ],
        size,
    )


def _graph(stamp: int | None = None) -> _Graph:
    """The co-participation graph, rebuilt when projects, partnerships or networks change.

    Checking costs one tiny query (none when the caller has just read the ``stamp``); callers
    fetch the graph once per ranking.
    """
    if stamp is None:
        stamp = PARTNER_GRAPH_STAMP.read()
    return _graphs.current("graph", stamp, _build_graph)


def partner_graph(stamp: int | None = None) -> _Graph:
    """The current co-participation graph (pass it to the helpers below to fetch it once).

    ``stamp``: ``partner_graph_stamp()`` if the caller has just read it.
    """
    return _graph(stamp)


def partner_graph_stamp() -> int:
    """What identifies the graph's data in every process: part of the key of any cached answer
    that depends on partners."""
    return PARTNER_GRAPH_STAMP.read()


def existing_partner_ids(organisation: Organisation, graph: _Graph | None = None) -> set[int]:
    """Organisations sharing a CORDIS project, a strategic partnership or a network with it."""
    graph = graph or _graph()
    i = graph.node.get(organisation.pk)
    if i is None:
        return set()
    return {int(pk) for pk in graph.ids[graph.adjacency[i].indices]}


def shared_partner_scores(
    organisation: Organisation, ids: list[int], graph: _Graph | None = None
) -> dict[int, float]:
    """Adamic–Adar of the organisation with each of ``ids``, scaled to the best (0 to 1)."""
    graph = graph or _graph()
    i = graph.node.get(organisation.pk)
    nodes = [graph.node.get(pk) for pk in ids]
    if i is None or all(n is None for n in nodes):
        return {}
    row = partners.adamic_adar(graph.adjacency, [i], graph.adamic_adar_weights)[0]
    row = partners.scaled_to_best(row)
    return {pk: float(row[n]) for pk, n in zip(ids, nodes, strict=True) if n is not None and row[n]}


def _keywords(organisation: Organisation) -> dict[str, str]:
    return {str(k).casefold(): str(k) for k in organisation.keywords or [] if str(k).strip()}


def _text_hits(organisation: Organisation) -> dict[int, float]:
    keywords = list(_keywords(organisation).values())[:MAX_QUERY_KEYWORDS]
    if not keywords:
        return {}
    text = " or ".join('"' + k.replace('"', " ") + '"' for k in keywords)
    hits = (
        search_organisations(Organisation.objects.published(), text, ranked=True, similar=False)
        .exclude(pk=organisation.pk)
        .order_by("-search_rank")
        .values_list("pk", "search_rank")[:MAX_TEXT_CANDIDATES]
    )
    return {pk: float(rank) for pk, rank in hits}


def _top(values: np.ndarray, limit: int) -> np.ndarray:
    positive = np.flatnonzero(values > 0)
    if len(positive) > limit:
        positive = positive[np.argpartition(-values[positive], limit)[:limit]]
    return positive


@dataclass
class _Candidates:
    ids: list[int]
    signals: dict[str, np.ndarray]
    rows: dict[int, tuple]  # id → (name, kind, country, latitude, longitude, keywords)


def _candidates(
    organisation: Organisation, graph: _Graph, *, exclude_partners: bool
) -> _Candidates:
    aa = three = programme = None
    excluded = {organisation.pk}
    found: set[int] = set()
    i = graph.node.get(organisation.pk)
    if i is not None:
        aa = partners.adamic_adar(graph.adjacency, [i], graph.adamic_adar_weights)[0]
        three = partners.three_hop(graph.adjacency, [i], graph.walk)[0]
        programme = partners.programme_activity(graph.programmes, [i])[0]
        aa[i] = three[i] = programme[i] = 0.0
        if exclude_partners:
            excluded |= {int(pk) for pk in graph.ids[graph.adjacency[i].indices]}
        for values in (aa, three, programme):
            found |= {int(pk) for pk in graph.ids[_top(values, MAX_GRAPH_CANDIDATES)]}
    text = _text_hits(organisation)
    meaning = dict(
        selectors.nearest_to_object("organisation", organisation.pk, limit=MAX_VECTOR_CANDIDATES)
    )
    found = (found | set(text) | set(meaning)) - excluded
    rows = {
        pk: rest
        for pk, *rest in Organisation.objects.published()
        .filter(pk__in=found)
        .order_by()
        .values_list("pk", "name", "kind", "country_id", "latitude", "longitude", "keywords")
    }
    ids = sorted(rows)
    nodes = np.array([graph.node.get(pk, -1) for pk in ids], dtype=np.int64)
    in_graph = nodes >= 0

    def on_graph(values: np.ndarray | None) -> np.ndarray:
        result = np.zeros(len(ids), dtype=np.float32)
        if values is not None:
            result[in_graph] = values[nodes[in_graph]]
        return result

    latitudes = np.array([np.nan if rows[pk][3] is None else rows[pk][3] for pk in ids])
    longitudes = np.array([np.nan if rows[pk][4] is None else rows[pk][4] for pk in ids])
    distances = (
        partners.distance_km(organisation.latitude, organisation.longitude, latitudes, longitudes)
        if organisation.latitude is not None and organisation.longitude is not None
        else np.full(len(ids), np.nan)
    )
    popularity = on_graph(graph.popularity)
    signals = {
        "shared_partners": on_graph(aa),
        "three_hop": on_graph(three),
        "programme_activity": on_graph(programme),
        "text": np.array([text.get(pk, 0.0) for pk in ids], dtype=np.float32),
        "meaning": np.array([meaning.get(pk, 0.0) for pk in ids], dtype=np.float32),
        "popularity": popularity,
        "recent_popularity": popularity,
        "same_country": np.array(
            [rows[pk][2] == organisation.country_id for pk in ids], dtype=np.float32
        ),
        "nearby": partners.nearby(distances),
        "same_kind": np.array([rows[pk][1] == organisation.kind for pk in ids], dtype=np.float32),
    }
    signals["distance_km"] = distances
    return _Candidates(ids, signals, rows)


def shared_partners_reasons(
    organisation: Organisation, candidates: list[int], graph: _Graph | None = None
) -> dict[int, str]:
    """ "Shared partners: A, B, C, …" for each candidate that has any, in one query for names.

    The most telling shared partners come first: those with the fewest partners of their own.
    """
    graph = graph or _graph()
    i = graph.node.get(organisation.pk)
    if i is None:
        return {}
    own = graph.adjacency[i].indices
    degrees = np.diff(graph.adjacency.indptr)
    shared: dict[int, tuple[list[int], int]] = {}
    for candidate in candidates:
        j = graph.node.get(candidate)
        if j is None:
            continue
        common = np.intersect1d(own, graph.adjacency[j].indices)
        if len(common):
            ordered = common[np.argsort(degrees[common], kind="stable")][:MAX_PARTNERS_NAMED]
            shared[candidate] = ([int(pk) for pk in graph.ids[ordered]], len(common))
    wanted = {pk for ids, _count in shared.values() for pk in ids}
    names = dict(Organisation.objects.filter(pk__in=wanted).values_list("pk", "name"))
    reasons = {}
    for candidate, (ids, count) in shared.items():
        named = [names[pk] for pk in ids if pk in names]
        if not named:
            continue
        text = ", ".join(named) + (", …" if count > len(named) else "")
        reasons[candidate] = ngettext(
            "Shared partner: %(names)s", "Shared partners: %(names)s", count
        ) % {"names": text}
    return reasons


def _reasons(
    organisation: Organisation,
    candidate: int,
    candidates: _Candidates,
    index: int,
    shared_partners: dict[int, str],
) -> list[str]:
    """Reasons anyone can check on the two profiles (each is a fact, not a score)."""
    name, kind, country, _lat, _lon, keywords = candidates.rows[candidate]
    reasons = []
    if candidate in shared_partners:
        reasons.append(shared_partners[candidate])
    elif candidates.signals["three_hop"][index] > 0:
        reasons.append(_("Works with partners of your partners"))
    own = _keywords(organisation)
    matching = sorted(own.keys() & {str(k).casefold() for k in keywords or []})
    if matching:
        reasons.append(
            ngettext(
                "Matching keyword: %(keywords)s", "Matching keywords: %(keywords)s", len(matching)
            )
            % {"keywords": ", ".join(own[k] for k in matching[:MAX_KEYWORDS_SHOWN])}
        )
    similar = reasons_module.similar_activities(float(candidates.signals["meaning"][index]))
    if similar is not None:
        reasons.append(str(similar))
    distance = candidates.signals["distance_km"][index]
    if not math.isnan(distance) and distance <= NEARBY_KM:
        reasons.append(_("%(km)d km away") % {"km": round(distance)})
    elif country == organisation.country_id:
        reasons.append(_("Same country"))
    return reasons


def _ranked(
    organisation: Organisation,
    graph: _Graph,
    *,
    weights: dict[str, float],
    exclude_partners: bool,
    limit: int,
) -> list[tuple[int, float, list[str]]]:
    candidates = _candidates(organisation, graph, exclude_partners=exclude_partners)
    if not candidates.ids:
        return []
    features = partners.features(
        {k: v for k, v in candidates.signals.items() if k != "distance_km"}
    )
    scores = partners.combine(features, weights)
    ids = np.array(candidates.ids)
    order = [int(index) for index in np.lexsort((ids, -scores))[:limit] if scores[index] > 0]
    shared = shared_partners_reasons(organisation, [int(ids[index]) for index in order], graph)
    return [
        (
            int(ids[index]),
            round(float(scores[index]), 4),
            _reasons(organisation, int(ids[index]), candidates, index, shared),
        )
        for index in order
    ]


def _cached_recommendations(
    organisation: Organisation,
    *,
    purpose: str,
    weights: dict[str, float],
    exclude_partners: bool,
    limit: int,
) -> list[Recommendation]:
    # Every process sees the same stamps (database triggers renew them), so a ranking is never
    # served after the profiles or the partner graph changed, whichever process changed them.
    graph_stamp = partner_graph_stamp()
    versions = f"{directory_stamp()}:{graph_stamp}"
    key = f"matching:{purpose}:{organisation.pk}:{versions}:{limit}:{get_language()}"
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranked(
            organisation,
            _graph(graph_stamp),
            weights=weights,
            exclude_partners=exclude_partners,
            limit=limit,
        )
        cache.set(key, ranked, CACHE_SECONDS)
    if not ranked:
        return []
    excluded = (
        existing_partner_ids(organisation, _graph(graph_stamp)) if exclude_partners else set()
    )
    return [
        Recommendation(organisation=candidate, score=score, reasons=reasons)
        for candidate, score, reasons in still_published(ranked)
        if candidate.pk not in excluded and candidate.pk != organisation.pk
    ]


def still_published(
    ranked: list[tuple[int, float, list[str]]],
) -> list[tuple[Organisation, float, list[str]]]:
    """A cached ranking's ``(id, score, reasons)`` with the profiles still published, in order."""
    published = (
        Organisation.objects.published()
        .select_related("country")
        .order_by()
        .in_bulk([pk for pk, _score, _reasons in ranked])
    )
    return [(published[pk], score, reasons) for pk, score, reasons in ranked if pk in published]


def recommended_partners(organisation: Organisation, *, limit: int = 20) -> list[Recommendation]:
    """Published organisations this one has never worked with and probably should, best first.

    Never the organisation itself, an unpublished profile, or an existing partner (a shared
    CORDIS project, strategic partnership or network). Cached until a profile or the
    partner graph changes (``CACHE_SECONDS`` at most).
    """
    return _cached_recommendations(
        organisation,
        purpose="partners",
        weights=partners.PARTNER_WEIGHTS,
        exclude_partners=True,
        limit=limit,
    )
