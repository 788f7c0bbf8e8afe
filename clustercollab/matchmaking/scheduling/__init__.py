"""Meeting scheduler for matchmaking events (pure Python, NumPy, SciPy/HiGHS, OR-Tools; no Django).

Problem. Accepted requests (pairs of participants, with a weight) get a slot where both are
available; one meeting per participant per slot, at most ``capacity`` meetings (tables) per
slot, at most ``max_meetings[p]`` per participant, locked requests stay in their slot.
Objectives, in order: maximise the total weight; minimise idle gaps (empty slots between a
participant's first and last meeting of a session); disturb the ``previous`` (published)
schedule as little as possible. NP-hard in general (it contains list edge colouring).

Algorithm (``schedule``), chosen by measurement (below):

1. Selection — the weighted b-matching relaxation of ``bound.py`` (degree limits per
   participant, Hall-type table-capacity rows per set of common slots and per session). Its
   LP is solved first with HiGHS' dual simplex; on event data it comes out integral, which
   makes it the exact optimum of the relaxation *and* the proven upper bound. Otherwise the
   MIP (``scipy.optimize.milp``) runs under the remaining share of the time limit and its dual
   bound is reported. With a ``previous`` schedule, each published meeting gets a bonus of
   1e-6 of the lightest weight, which breaks the (many) ties towards it.
2. Colouring — the selected requests get slots: published slots first where they still fit,
   then most-constrained first (fewest common slots, busiest participants), each into the free
   common slot that adds the fewest idle gaps, then the emptiest.
3. Repair — a request that does not fit is inserted by ejection chains: take a common slot,
   move the meetings that block it (the partners' meetings there, or one meeting when the slot
   is full) to other slots, recursively, shallow chains first (iterative deepening, depth 3,
   bounded work), preferring meetings that are not in their published slot; undone if it fails.
4. Refill — unscheduled requests, heaviest first, are inserted the same way or by evicting
   lighter meetings when the total weight rises (swap moves). Skipped once the bound is met.
5. Gap polish — a participant's first or last meeting of a session moves into one of their
   idle slots (swapping with a meeting there when the tables are full) when that lowers
   idle slots + 2 x published meetings moved (a published meeting moves only to close more
   than two idle slots: people are told about every change).
6. CP-SAT polish (small events, <= 20,000 request-slot pairs): the exact time-indexed model,
   hinted with the heuristic schedule: maximise weight, then with that weight minimise idle
   slots + 2 x moves. On the tiny instances of the tests it proves the brute-force optimum.

Measurements that chose it (bench/scheduler.py instances from CORDIS, 16 slots; 2 shared
cores, so seconds are noisy). At 2,000 participants / 19,843 requests / 440 tables a slot:
greedy first fit 93.1 % of the bound; the b-matching selection coloured without repair 98.7 %
(96 requests did not fit); with ejection-chain repair 100.0 % (the bound is met, hence
optimal) in about 1.2 s for the LP plus 0.7 s; refill then has nothing to do. With 600 and
1,000 tables a slot: 99.3 % and 99.4 % before repair, 100.0 % after. CP-SAT on the full model,
hinted with greedy, did not improve the hint at 500 participants in 5 s nor at 2,000 in 20 s
(model building alone takes seconds), so it only polishes small events.

Complexity (n participants, R requests, S slots, bit masks of S bits so slot-set operations
are O(1) for S <= 64): preprocessing O(n + R); bound rows O(R + n + D^2) with D <= 3,000
distinct common-slot sets; the LP is polynomial (simplex in practice), the MIP only runs when
the LP is fractional and is time-limited; colouring O(R S); repair and refill
O(R S B) with a per-request budget of B <= 400 moves; each gap-polish pass O(n S K) with
K = 60 sampled swap partners. Everything after the LP is bounded by the time limit.

``greedy_schedule`` is the baseline (heaviest first, earliest feasible slot); ``verify``
lists constraint violations independently of the solver; ``idle_gaps`` measures gaps.
"""

from .bound import upper_bound as _upper_bound
from .problem import Problem, Request, Slot, Solution, Unscheduled
from .solver import greedy_schedule, schedule
from .verify import idle_gaps, verify


def upper_bound(problem: Problem, time_limit: float | None = 60.0) -> float:
    """A proven upper bound on the total weight of any feasible schedule (see bound.py).

    Exact for the relaxation when HiGHS finishes within ``time_limit`` (it takes well under a
    second at 20,000 requests); otherwise HiGHS' dual bound, which is still an upper bound."""
    return _upper_bound(problem, time_limit)


__all__ = [
    "Problem",
    "Request",
    "Slot",
    "Solution",
    "Unscheduled",
    "greedy_schedule",
    "idle_gaps",
    "schedule",
    "upper_bound",
    "verify",
]
