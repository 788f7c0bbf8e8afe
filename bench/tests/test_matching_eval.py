"""The partner-matching evaluation: its metrics by hand, and a tiny run of its --quick path."""

import math

import numpy as np
import pytest

from bench import matching_eval
from bench.matching_data import HORIZON


def test_ranks_break_ties_by_the_fixed_order():
    scores = np.array([0.9, 0.5, 0.5, 0.1, 0.7])
    tiebreak = np.array([0.0, 0.2, 0.8, 0.0, 0.0])
    # Order: 0 (0.9), 4 (0.7), 2 (0.5, tiebreak 0.8), 1 (0.5, tiebreak 0.2), 3 (0.1).
    ranks = matching_eval.ranks_of(scores, np.array([1, 2, 3]), tiebreak)
    assert ranks.tolist() == [4, 3, 5]


def test_recall_mrr_and_ndcg_by_hand():
    ranks = np.array([2, 5, 60])  # three new partners, found at ranks 2, 5 and 60
    assert matching_eval.recall_at(ranks, 10) == pytest.approx(2 / 3)
    assert matching_eval.recall_at(ranks, 50) == pytest.approx(2 / 3)
    assert matching_eval.recall_at(np.array([2, 5, 50]), 50) == pytest.approx(1.0)
    assert matching_eval.reciprocal_rank(ranks) == pytest.approx(0.5)
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert matching_eval.ndcg_at(ranks, 10) == pytest.approx(dcg / ideal)
    assert matching_eval.ndcg_at(np.array([1, 2]), 10) == pytest.approx(1.0)
    assert matching_eval.ndcg_at(np.array([11]), 10) == 0.0


def test_the_batch_ndcg_used_for_tuning_agrees_with_the_per_query_one():
    rng = np.random.default_rng(3)
    scores = rng.random((4, 30))
    excluded = np.zeros_like(scores, dtype=bool)
    excluded[:, 0] = True
    truth = [np.array([1, 2]), np.array([5]), np.array([7, 8, 9]), np.array([0, 29])]
    tiebreak = np.zeros(30)
    expected = np.mean(
        [
            matching_eval.ndcg_at(
                matching_eval.ranks_of(np.where(excluded[i], -np.inf, scores[i]), t, tiebreak), 10
            )
            for i, t in enumerate(truth)
        ]
    )
    assert matching_eval.mean_ndcg(scores, excluded, truth) == pytest.approx(expected)


@pytest.mark.skipif(not HORIZON.exists(), reason="needs ../shared/data")
def test_the_quick_path_runs_on_a_tiny_pool(capsys):
    outcome = matching_eval.main(["--quick", "--pool", "40"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("matching ndcg@10=")
    assert "best_baseline=" in last
    assert set(outcome["results"]) >= {*matching_eval.BASELINES, "rrf", "ours"}
    for figures in outcome["results"].values():
        assert all(0.0 <= value <= 1.0 for value in figures.values())
