"""Fusing several rankings of the same candidates into one.

Every retrieval signal (full text, vectors, shared partners, shared ecosystems, distance…)
produces a ranking of candidate ids, best first. ``fuse_rankings`` combines them; the weights
and the constant are chosen by ``bench/matching_eval.py`` on real collaboration data.
"""

from collections.abc import Mapping, Sequence

# Reciprocal rank fusion constant: larger values flatten the difference between top ranks.
RRF_K = 60


def fuse_rankings(
    rankings: Mapping[str, Sequence[int]],
    *,
    weights: Mapping[str, float] | None = None,
    k: int = RRF_K,
) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: ``score(id) = Σ weight[s] / (k + rank_s(id))``.

    ``rankings`` maps a signal name to candidate ids, best first (ranks start at 1). Returns
    ``(id, score)`` pairs, best first; ties keep the order of first appearance.
    """
    scores: dict[int, float] = {}
    for signal, ranking in rankings.items():
        weight = 1.0 if weights is None else weights.get(signal, 0.0)
        if not weight:
            continue
        for rank, candidate in enumerate(ranking, start=1):
            scores[candidate] = scores.get(candidate, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)
