"""Which organisations should work together: the signals and how they are combined.

Pure functions on plain arrays and sparse matrices, so that the benchmark
(``bench/matching_eval.py``, on real CORDIS collaboration data) and the production recommender
(``clustercollab.matching.recommend``) score candidates with the same code and weights.

Every signal gives one number per candidate for one organisation (the "query"):

- ``shared_partners``: Adamic–Adar on the co-participation graph, the sum over partners both
  organisations worked with of ``1 / log(number of partners of that partner)`` (scaled to the
  best candidate, and on a log scale);
- ``programme_activity``: how active the candidate has been, recently, in the programmes the
  organisation works in (its projects' legal bases and call destinations, weighted by the
  organisation's share of projects in each, with older projects counting less);
- ``three_hop``: how likely a three-step random walk on the graph leads to the candidate;
- ``text``: full-text similarity of the profile texts (BM25 in the benchmark);
- ``meaning``: cosine similarity of the profile embeddings; ``partners_meaning``: of the
  candidate to the mean embedding of the organisation's past partners;
- ``popularity`` and ``recent_popularity``: how many partners the candidate has had, ever and
  recently (a prior: busy organisations take on new partners more often);
- ``same_country``, ``nearby`` and ``same_kind``: geography and the kind of organisation.

Each signal is normalised per query (``normalise``) so that the weights carry over from the
benchmark's data to the site's, and the recommendation score is their weighted sum
(``combine``). The weights were chosen by ``bench/matching_eval.py`` on its validation queries
(never its test queries); its docstring has the figures.
"""

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

# Learned on the validation split of bench/matching_eval.py (coordinate ascent on nDCG@10 over
# 800 validation queries; cut-off 2024-01-01); its docstring has the test figures. The scale is
# ``shared_partners_log`` (1.0): shared partners and programme activity, both on a log scale,
# carry the ranking, the profile text refines it; the rest adds little.
PARTNER_WEIGHTS: dict[str, float] = {
    "shared_partners": 0.01,
    "shared_partners_log": 1.0,
    "programme_activity": 0.75,
    "three_hop": 0.1,
    "text": 1.0,
    "meaning": 0.1,
    "partners_meaning": 0.02,
    "popularity": 0.02,
    "recent_popularity": 0.02,
    "same_country": 0.04,
    "nearby": 0.0,
    "same_kind": 0.02,
}
SIGNALS = tuple(PARTNER_WEIGHTS)
# On the log scale of the graph signals, a candidate at this share of the best one counts as 0.
LOG_FLOOR = 0.01
# A project's weight in an organisation's programme activity: exp(-age in years / this).
PROGRAMME_DECAY_YEARS = 4.0
# log(1 + partners) of the busiest organisations is about this: popularity ends near 1.
POPULARITY_SCALE = 8.0
# Distance at which "nearby" has fallen to one half.
NEARBY_HALF_KM = 100.0


def co_participation_graph(groups: Sequence[Sequence[int]], size: int) -> sparse.csr_matrix:
    """Adjacency matrix (0/1, no self-loops) of nodes ``0..size-1`` that share a group.

    ``groups`` are the members of each project, partnership or network.
    """
    lengths = np.fromiter((len(group) for group in groups), dtype=np.int64, count=len(groups))
    members = np.fromiter(
        (member for group in groups for member in group), dtype=np.int64, count=int(lengths.sum())
    )
    return membership_graph(np.repeat(np.arange(len(groups)), lengths), members, size)


def membership_graph(groups: np.ndarray, members: np.ndarray, size: int) -> sparse.csr_matrix:
    """``co_participation_graph`` from (group, member) pairs: ``members[k]`` is in ``groups[k]``.

    Two members are linked when the product of the group × member incidence matrix with itself
    counts a group they share.
    """
    groups = np.asarray(groups, dtype=np.int64)
    members = np.asarray(members, dtype=np.int64)
    if not len(members):
        return sparse.csr_matrix((size, size), dtype=np.float32)
    incidence = sparse.csr_matrix(
        (np.ones(len(members), dtype=np.float32), (groups, members)),
        shape=(int(groups.max()) + 1, size),
    )
    shared = (incidence.T @ incidence).tocoo()
    keep = shared.row != shared.col
    graph = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float32), (shared.row[keep], shared.col[keep])),
        shape=(size, size),
    )
    graph.data[:] = 1.0
    return graph


def adamic_adar_weights(graph: sparse.csr_matrix) -> sparse.dia_matrix:
    """``1 / log(degree)`` of every node on a diagonal (0 for nodes with one partner or none)."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
    return sparse.diags(inverse_log.astype(np.float32))


def adamic_adar(
    graph: sparse.csr_matrix, rows: Sequence[int], weights: sparse.dia_matrix | None = None
) -> np.ndarray:
    """Adamic–Adar scores of each node in ``rows`` against every node: shape (len(rows), n).

    ``weights``: ``adamic_adar_weights(graph)``, when the caller keeps it.
    """
    weights = adamic_adar_weights(graph) if weights is None else weights
    scores = graph[np.asarray(rows)] @ weights @ graph
    return np.asarray(scores.todense(), dtype=np.float32)


def random_walk(graph: sparse.csr_matrix) -> sparse.csr_matrix:
    """The graph's transition matrix: each row divided by the node's degree."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    inverse = np.where(degree > 0, 1.0 / np.maximum(degree, 1), 0.0).astype(np.float32)
    return (sparse.diags(inverse) @ graph).tocsr()


def three_hop(
    graph: sparse.csr_matrix,
    rows: Sequence[int],
    walk: sparse.csr_matrix | None = None,
    columns: Sequence[int] | None = None,
) -> np.ndarray:
    """Probability that a three-step random walk from each of ``rows`` ends at each node.

    ``walk``: ``random_walk(graph)``, when the caller keeps it; ``columns``: only those nodes.
    """
    walk = random_walk(graph) if walk is None else walk
    # Two steps stay sparse; the third multiplies a dense block, much faster than sparse × sparse.
    two_steps = (walk[np.asarray(rows)] @ walk).toarray()
    last = walk if columns is None else walk[:, np.asarray(columns)]
    return np.asarray((last.T @ two_steps.T).T, dtype=np.float32)


def partners_centroid_similarity(
    partner_matrix: sparse.csr_matrix, vectors: np.ndarray
) -> np.ndarray:
    """Cosine of each candidate to the mean vector of each query's past partners.

    ``partner_matrix`` is (queries, candidates), 1 where the candidate is a past partner;
    ``vectors`` (candidates, dim) are L2-normalised. Queries without partners get zeros.
    """
    centroids = np.asarray(partner_matrix @ vectors, dtype=np.float32)
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    centroids = np.where(norms > 0, centroids / np.maximum(norms, 1e-12), 0.0)
    return centroids @ vectors.T


def programme_labels(legal_basis: str, topic_code: str) -> list[str]:
    """The programmes of a project: its legal basis (``HORIZON.2.5``) and, for a Horizon Europe
    call, the call's cluster and destination (``CL5-D3`` of ``HORIZON-CL5-2022-D3-01-05``)."""
    labels = [legal_basis] if legal_basis else []
    parts = topic_code.split("-")
    if len(parts) >= 4 and parts[0] == "HORIZON":
        labels.append(f"{parts[1]}-{parts[3]}")
    return labels


def programme_profiles(
    memberships: Iterable[tuple[int, int]] | np.ndarray,
    project_labels: Sequence[Sequence[str]],
    ages_years: Sequence[float],
    size: int,
) -> sparse.csr_matrix:
    """Each node's recency-weighted number of projects in each programme: (size, programmes).

    ``memberships``: (node, project) pairs, or an array of them; ``project_labels[p]`` the
    programmes of project p (``programme_labels``) and ``ages_years[p]`` how long ago it started
    (a project starting now weighs 1, older ones ``exp(-age / PROGRAMME_DECAY_YEARS)``).
    """
    columns: dict[str, int] = {}
    rows, cols = [], []
    for project, labels in enumerate(project_labels):
        for label in labels:
            rows.append(project)
            cols.append(columns.setdefault(label, len(columns)))
    labels = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(project_labels), max(len(columns), 1)),
    )
    if not isinstance(memberships, np.ndarray):
        memberships = list(memberships)
    pairs = np.asarray(memberships, dtype=np.int64).reshape(-1, 2)
    decay = np.exp(
        -np.maximum(np.asarray(ages_years, dtype=np.float64), 0.0) / PROGRAMME_DECAY_YEARS
    )
    member = sparse.csr_matrix(
        (decay[pairs[:, 1]].astype(np.float32), (pairs[:, 0], pairs[:, 1])),
        shape=(size, len(project_labels)),
    )
    return (member @ labels).tocsr()


def programme_activity(
    profiles: sparse.csr_matrix, rows: Sequence[int], columns: Sequence[int] | None = None
) -> np.ndarray:
    """How active each candidate is in the programmes of each of ``rows``: shape (rows, nodes).

    The row's share of its (recency-weighted) projects in each programme times
    ``log(1 + the candidate's recency-weighted projects there)``, summed over programmes.
    """
    own = profiles[np.asarray(rows)]
    totals = np.asarray(own.sum(axis=1)).ravel()
    shares = sparse.diags(np.where(totals > 0, 1.0 / np.maximum(totals, 1e-12), 0.0)) @ own
    candidates = profiles if columns is None else profiles[np.asarray(columns)]
    return np.asarray((shares @ candidates.log1p().T).todense(), dtype=np.float32)


def popularity(graph: sparse.csr_matrix) -> np.ndarray:
    """``log(1 + number of partners)`` of every node."""
    return np.log1p(np.asarray(graph.sum(axis=1)).ravel()).astype(np.float32)


def distance_km(
    latitude: float, longitude: float, latitudes: np.ndarray, longitudes: np.ndarray
) -> np.ndarray:
    """Great-circle distances from one point to many (NaN where a coordinate is missing)."""
    lat1, lon1 = np.radians(latitude), np.radians(longitude)
    lat2, lon2 = np.radians(latitudes), np.radians(longitudes)
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def nearby(distances_km: np.ndarray) -> np.ndarray:
    """Closeness in [0, 1]: 1 at the same place, ½ at ``NEARBY_HALF_KM``, 0 when unknown."""
    closeness = 1.0 / (1.0 + np.asarray(distances_km, dtype=np.float32) / NEARBY_HALF_KM)
    return np.nan_to_num(closeness, nan=0.0)


def normalise(scores: np.ndarray) -> np.ndarray:
    """Scale one query's scores to [0, 1]: the median (a typical candidate) → 0, the best → 1.

    Works on the last axis, so a (queries, candidates) matrix is normalised row by row.
    """
    scores = np.asarray(scores, dtype=np.float32)
    median = np.median(scores, axis=-1, keepdims=True)
    top = scores.max(axis=-1, keepdims=True)
    spread = np.where(top > median, top - median, 1.0)
    return np.clip((scores - median) / spread, 0.0, 1.0)


def scaled_to_best(scores: np.ndarray) -> np.ndarray:
    """Divide one query's scores by its best (row by row for a matrix); all zeros stay zeros."""
    scores = np.asarray(scores, dtype=np.float32)
    top = scores.max(axis=-1, keepdims=True)
    return scores / np.where(top > 0, top, 1.0)


def log_scaled(scores: np.ndarray) -> np.ndarray:
    """``scaled_to_best`` on a log scale, in [0, 1]: the best → 1, ``LOG_FLOOR`` of it or less → 0.

    Adding log-scaled signals multiplies the underlying ones, so a candidate must do well on
    each (many shared partners *and* active in the organisation's programmes).
    """
    floor = math.log(LOG_FLOOR)
    return np.clip(1.0 - np.log(scaled_to_best(scores) + LOG_FLOOR) / floor, 0.0, 1.0)


def features(signals: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Normalised features from raw signals (see the module docstring); absent signals are left out.

    Raw signals: ``shared_partners`` (Adamic–Adar; also gives ``shared_partners_log``, its
    ``log_scaled`` form), ``programme_activity`` (``log_scaled``), ``three_hop``, ``text``,
    ``meaning``,
    ``partners_meaning`` (cosines), ``popularity`` and ``recent_popularity`` (log(1 + partners),
    all time and recent), ``same_country``, ``nearby``, ``same_kind`` (already in [0, 1]).
    """
    result = {}
    for name, values in signals.items():
        values = np.asarray(values, dtype=np.float32)
        if name == "shared_partners":
            result[name] = scaled_to_best(values)
            result["shared_partners_log"] = log_scaled(values)
        elif name == "programme_activity":
            result[name] = log_scaled(values)
        elif name in ("three_hop", "text"):
            result[name] = scaled_to_best(values)
        elif name in ("meaning", "partners_meaning"):
            result[name] = normalise(values)
        elif name in ("popularity", "recent_popularity"):
            result[name] = values / POPULARITY_SCALE
        else:
            result[name] = values
    return result


def combine(
    features: Mapping[str, np.ndarray], weights: Mapping[str, float] = PARTNER_WEIGHTS
) -> np.ndarray:
    """The recommendation score: ``Σ weight[signal] × feature[signal]`` (missing signals add 0).

    Features must already be normalised (``normalise`` for per-query scores; the 0/1 and
    [0, 1] signals as they are).
    """
    total: np.ndarray | float = 0.0
    for signal, weight in weights.items():
        if weight and signal in features:
            total = total + weight * np.asarray(features[signal], dtype=np.float32)
    return np.asarray(total, dtype=np.float32)
