"""Meeting-scheduler benchmark on instances drawn from real CORDIS data.

    python bench/scheduler.py            # 100, 500 and 2,000 participants
    python bench/scheduler.py --quick    # 100 and 500 only
    python bench/scheduler.py --long     # also give the 2,000 instance 60 s

Instances (fixed seeds, so every run sees the same ones):

* Participants: organisations from CORDIS Horizon Europe (``/work/shared/data/cordis-horizon-
  europe``: organisations, participations, projects; "Source: CORDIS, © European Union").
  Like a thematic matchmaking event, each instance picks the organisations active in one
  Horizon Europe cluster (``legal_basis`` HORIZON.2.5, "Climate, Energy and Mobility") and
  samples ``n`` of them uniformly.
* Interests: an organisation's topics are the EuroSciVoc labels of its projects; two
  organisations are close when they share projects (strongly) or topics (Jaccard).
* Requests: every participant sends 1 + Poisson(9) requests (about 10). Targets are drawn
  without replacement with probability proportional to ``(0.05 + 3·shared projects + topic
  Jaccard) · popularity^0.8`` where popularity is the organisation's real number of Horizon
  Europe participations — a long tail, so a few organisations are asked by many. The draw
  order is the requester's ranking. Two requests in both directions become one mutual request.
* Weights (stand-in for the matchmaking app's): one-sided ``1 + 0.5·(1 - (rank-1)/k)``, mutual
  ``2 + 0.5·(sum of both rank scores)/2`` — mutual beats one-sided, a higher rank beats a lower.
* Slots: two networking sessions of 8 slots of 20 minutes (16 slots). 70 % of participants
  attend both sessions, 15 % only the first, 15 % only the second; each slot is also blocked
  for a participant with probability 5 %. Maximum meetings: 12, but 20 % of participants set a
  lower limit (4–10).
* Tables per slot: ``ceil(0.22 n)`` — fewer than the meetings people would take, so the table
  capacity binds (the utilisation line shows it).

For each size the greedy baseline (heaviest request first, earliest feasible slot) and
``schedule`` run on the same instance, against the same proven upper bound (``upper_bound``,
HiGHS, no time limit). Re-planning: on the largest instance, 5 % of the requests change (half
withdrawn, half new), the schedule is re-planned with the old one as ``previous``, and the
share of untouched meetings (same request, scheduled before) that changed slot or were dropped
is printed.
"""

import argparse
import csv
import gzip
import math
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clustercollab.matchmaking.scheduling import (  # noqa: E402
    Problem,
    Request,
    Slot,
    greedy_schedule,
    schedule,
    upper_bound,
    verify,
)

DATA = Path("/work/shared/data/cordis-horizon-europe")
CLUSTER = "HORIZON.2.5"


def load_cordis() -> tuple[list[str], dict, dict, dict]:
    """Organisations active in CLUSTER: ids, projects per org, topics per org, popularity."""
    project_topics = {}
    with gzip.open(DATA / "projects.csv.gz", "rt", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["legal_basis"].startswith(CLUSTER):
                labels = {t.strip() for t in row["euroscivoc"].split("|") if t.strip()}
                project_topics[row["project_id"]] = labels
    projects = defaultdict(set)
    popularity = defaultdict(int)
    with gzip.open(DATA / "participations.csv.gz", "rt", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            org = row["organisation_id"]
            popularity[org] += 1
            if row["project_id"] in project_topics:
                projects[org].add(row["project_id"])
    orgs = sorted(projects)
    topics = {o: set().union(*(project_topics[p] for p in projects[o])) for o in orgs}
    return orgs, projects, topics, popularity


def make_problem(n: int, seed: int, cordis: tuple) -> Problem:
    orgs_all, projects, topics, popularity = cordis
    rng = np.random.default_rng(seed)
    orgs = [orgs_all[i] for i in sorted(rng.choice(len(orgs_all), size=n, replace=False))]
    # Sparse incidence of projects and topics, for pairwise overlaps.
    project_ids = {p: i for i, p in enumerate(sorted(set().union(*(projects[o] for o in orgs))))}
    topic_ids = {t: i for i, t in enumerate(sorted(set().union(*(topics[o] for o in orgs))))}
    proj = np.zeros((n, len(project_ids)), dtype=np.float32)
    top = np.zeros((n, len(topic_ids)), dtype=np.float32)
    for i, o in enumerate(orgs):
        for p in projects[o]:
            proj[i, project_ids[p]] = 1
        for t in topics[o]:
            top[i, topic_ids[t]] = 1
    shared_projects = proj @ proj.T
    shared_topics = top @ top.T
    sizes = top.sum(axis=1)
    jaccard = shared_topics / np.maximum(sizes[:, None] + sizes[None, :] - shared_topics, 1)
    pop = np.array([popularity[o] for o in orgs], dtype=float) ** 0.8
    affinity = (0.05 + 3 * np.minimum(shared_projects, 1) + jaccard) * pop[None, :]
    np.fill_diagonal(affinity, 0)

    rank_score: dict[tuple[int, int], float] = {}
    for i in range(n):
        k = min(n - 1, 1 + rng.poisson(9))
        p = affinity[i] / affinity[i].sum()
        targets = rng.choice(n, size=k, replace=False, p=p)
        for rank, j in enumerate(targets):
            rank_score[(i, int(j))] = 1 - rank / k
    requests = []
    seen = set()
    for (i, j), score in sorted(rank_score.items()):
        key = (min(i, j), max(i, j))
        if key in seen:
            continue
        seen.add(key)
        back = rank_score.get((j, i))
        weight = 2 + 0.5 * (score + back) / 2 if back is not None else 1 + 0.5 * score
        requests.append(Request(len(requests) + 1, i + 1, j + 1, round(weight, 4)))

    slots = []
    for session in (1, 2):
        start = datetime(2026, 3, 10 + session, 9, 0, tzinfo=UTC)
        for k in range(8):
            begin = start + timedelta(minutes=20 * k)
            slots.append(Slot(len(slots) + 1, session, begin, begin + timedelta(minutes=20), 0))
    tables = math.ceil(0.22 * n)
    slots = [Slot(s.id, s.session_id, s.start, s.end, tables) for s in slots]
    available = {}
    max_meetings = {}
    for i in range(n):
        u = rng.random()
        sessions = {1, 2} if u < 0.7 else ({1} if u < 0.85 else {2})
        blocked = rng.random(len(slots)) < 0.05
        available[i + 1] = frozenset(
            s.id for s, b in zip(slots, blocked, strict=True) if s.session_id in sessions and not b
        )
        max_meetings[i + 1] = 12 if rng.random() < 0.8 else int(rng.integers(4, 11))
    return Problem(tuple(slots), tuple(requests), available, max_meetings, {})


def change_requests(problem: Problem, share: float, seed: int) -> tuple[Problem, set[int]]:
    """Withdraw share/2 of the requests and add as many new ones; returns the changed ids."""
    rng = np.random.default_rng(seed)
    requests = list(problem.requests)
    k = max(1, round(len(requests) * share / 2))
    withdrawn = {requests[i].id for i in rng.choice(len(requests), size=k, replace=False)}
    kept = [r for r in requests if r.id not in withdrawn]
    pairs = {(min(r.a, r.b), max(r.a, r.b)) for r in kept}
    people = sorted(problem.available)
    next_id = max(r.id for r in requests) + 1
    added = []
    while len(added) < k:
        a, b = (int(x) for x in rng.choice(people, size=2, replace=False))
        if (min(a, b), max(a, b)) in pairs:
            continue
        pairs.add((min(a, b), max(a, b)))
        added.append(Request(next_id, a, b, round(1 + 0.5 * rng.random(), 4)))
        next_id += 1
    changed = withdrawn | {r.id for r in added}
    new = Problem(problem.slots, tuple(kept + added), problem.available, problem.max_meetings, {})
    return new, changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 100 and 500 participants")
    parser.add_argument("--long", action="store_true", help="also 60 s on the largest instance")
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    sizes = [100, 500] if args.quick else [100, 500, 2000]

    started = time.perf_counter()
    cordis = load_cordis()
    seconds = time.perf_counter() - started
    print(f"CORDIS: {len(cordis[0])} organisations in {CLUSTER} ({seconds:.1f} s)")
    for n in sizes:
        problem = make_problem(n, seed=7 + n, cordis=cordis)
        t = time.perf_counter()
        bound = upper_bound(problem)
        bound_seconds = time.perf_counter() - t
        greedy = greedy_schedule(problem)
        ours = schedule(problem, time_limit=args.time_limit)
        tables = sum(s.capacity for s in problem.slots)
        print(
            f"n={n}: {len(problem.requests)} requests, {tables} tables in 16 slots, "
            f"upper bound {bound:.1f} ({bound_seconds:.1f} s)"
        )
        for name, sol in (("greedy", greedy), ("scheduler", ours)):
            violations = verify(problem, sol.assignment)
            print(
                f"  {name:9} meetings={len(sol.assignment)} (tables used "
                f"{len(sol.assignment) / tables:.1%}) weight={sol.objective:.1f} "
                f"ratio={sol.objective / bound:.4f} gaps={sum(sol.gaps.values())} "
                f"seconds={sol.seconds:.2f} violations={len(violations)}"
            )
        stages = ", ".join(f"{name} {t:.2f} s {w / bound:.4f}" for name, t, w in ours.trace)
        print(f"  scheduler stages (time, ratio): {stages}")
        last = (n, ours, greedy, bound, len(verify(problem, ours.assignment)))
    n, ours, greedy, bound, violations = last
    if args.long:
        long_run = schedule(problem, time_limit=60.0)
        print(
            f"  60 s:     meetings={len(long_run.assignment)} "
            f"ratio={long_run.objective / bound:.4f} gaps={sum(long_run.gaps.values())} "
            f"seconds={long_run.seconds:.2f} "
            f"violations={len(verify(problem, long_run.assignment))}"
        )

    changed_problem, changed = change_requests(problem, 0.05, seed=99)
    previous = {r: s for r, s in ours.assignment.items() if r not in changed}
    replanned = schedule(
        Problem(
            changed_problem.slots,
            changed_problem.requests,
            changed_problem.available,
            changed_problem.max_meetings,
            previous,
        ),
        time_limit=args.time_limit,
    )
    moved = sum(1 for r, s in previous.items() if replanned.assignment.get(r) != s)
    new_bound = upper_bound(changed_problem)
    print(
        f"re-planning n={n}: {len(changed)} requests changed (5%), {moved} of {len(previous)} "
        f"untouched meetings moved ({moved / max(1, len(previous)):.1%}), "
        f"ratio={replanned.objective / new_bound:.4f} seconds={replanned.seconds:.2f} "
        f"violations={len(verify(changed_problem, replanned.assignment))}"
    )
    print(
        f"scheduler n={n} ratio={ours.objective / bound:.4f} "
        f"greedy_ratio={greedy.objective / bound:.4f} seconds={ours.seconds:.2f} "
        f"violations={violations}"
    )


if __name__ == "__main__":
    main()
