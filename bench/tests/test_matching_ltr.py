"""The learning-to-rank experiment: its graph features by hand, its candidate lists on real data."""

import numpy as np
import pytest

from bench import matching_eval, matching_ltr
from bench.matching_data import HORIZON
from clustercollab.matching import partners


def test_a_small_project_binds_its_members_more_than_a_large_one():
    # Project 0: nodes 0, 1, 2; project 1: nodes 0 and 1 again; project 2: nodes 2..6.
    ties = matching_ltr.hypergraph_ties([[0, 1, 2], [0, 1], [2, 3, 4, 5, 6]], 7).toarray()
    assert ties[0, 1] == pytest.approx(1 / 2 + 1)
    assert ties[0, 2] == pytest.approx(1 / 2)
    assert ties[2, 3] == pytest.approx(1 / 4)
    assert ties[0, 3] == 0.0
    assert np.allclose(ties, ties.T)
    assert np.all(np.diag(ties) == 0)


def test_graphs_by_age_keep_each_project_in_its_bin():
    groups = [[0, 1], [1, 2], [2, 3]]
    recent, middle, old = matching_ltr.graphs_by_age(
        groups, [0.5, 1.5, 7.0], ((0, 1), (1, 2), (2, float("inf"))), 4
    )
    assert recent[0, 1] == 1 and recent[1, 2] == 0
    assert middle[1, 2] == 1 and middle[0, 1] == 0
    assert old[2, 3] == 1 and old.nnz == 2


def test_common_partners_count_and_shares():
    # 0 works with 1, 2, 3; 4 works with 1 and 2; 5 works with 3 only.
    graph = partners.co_participation_graph([[0, 1], [0, 2], [0, 3], [4, 1], [4, 2], [5, 3]], 6)
    common, of_query, of_candidate = matching_ltr.common_partner_shares(graph, [0], [4, 5])
    assert common.tolist() == [[2.0, 1.0]]
    assert of_query[0].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert of_candidate[0].tolist() == pytest.approx([1.0, 1.0])


def test_new_partners_are_those_missing_from_the_earlier_graph():
    earlier = partners.co_participation_graph([[0, 1]], 3)
    now = partners.co_participation_graph([[0, 1], [0, 2]], 3)
    assert matching_ltr.new_partners(now, earlier).tolist() == [1.0, 0.0, 1.0]


@pytest.mark.skipif(not HORIZON.exists(), reason="needs ../shared/data")
def test_candidate_lists_follow_the_linear_method_and_the_truth():
    data = matching_eval.load_cached(matching_eval.DEFAULT_CUTOFF)
    pool = sorted(
        pic for pic, o in data.organisations.items() if o.projects >= matching_eval.MIN_PROJECTS
    )
    pool = sorted(np.random.default_rng(6).choice(pool, size=60, replace=False).tolist())
    evaluation = matching_eval.Evaluation(data, pool, None)
    queries = np.array(sorted(evaluation.truth))[:5]
    lists = matching_ltr.candidate_lists(
        matching_ltr.CandidateFeatures(evaluation, data), queries, depth=20
    )

    assert lists.features.shape == (len(queries), 20, len(lists.names))
    linear = lists.column("linear")
    assert np.all(np.diff(linear, axis=1) <= 0)  # best first
    assert np.all(np.isfinite(lists.features))  # past partners and the query are left out
    assert lists.column("linear_rank")[0].tolist() == list(range(20))
    for row, query in enumerate(queries):
        assert lists.labels[row].sum() <= lists.truth_sizes[row] == len(evaluation.truth[query])
    per_query = matching_ltr.ndcg_per_query(linear, lists)
    assert np.all((per_query >= 0) & (per_query <= 1))
