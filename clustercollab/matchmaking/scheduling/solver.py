"""schedule(): b-matching selection, slot colouring, repair, refill, gap polish, CP-SAT polish."""

from __future__ import annotations

import time

from .bound import solve_bmatching
from .heuristic import colour, greedy, place_locks, polish_gaps, refill
from .instance import Instance
from .problem import Problem, Solution, Unscheduled
from .state import State
from .verify import idle_gaps

# Keeping a published meeting is worth 1e-6 of the lightest request's weight in the b-matching:
# it breaks the many ties towards the published schedule (HiGHS' simplex honours it exactly).
PREVIOUS_BONUS = 1e-6


def _solution(
    inst: Instance,
    state: State,
    bound: float,
    started: float,
    method: str,
    trace: tuple[tuple[str, float, float], ...] = (),
) -> Solution:
    problem = inst.problem
    assignment = {
        inst.rid[r]: inst.slot_ids[state.slot[r]] for r in range(inst.R) if state.slot[r] >= 0
    }
    unscheduled = tuple(
        Unscheduled(inst.rid[r], _reason(inst, state, r))
        for r in range(inst.R)
        if state.slot[r] < 0
    )
    moved = tuple(
        req_id
        for req_id, slot_id in sorted(problem.previous.items())
        if req_id in inst.rindex and assignment.get(req_id) != slot_id
    )
    objective = sum(inst.w[r] for r in range(inst.R) if state.slot[r] >= 0)
    return Solution(
        assignment=assignment,
        unscheduled=unscheduled,
        upper_bound=max(bound, objective) + 0.0,  # never -0.0
        objective=objective,
        gaps=idle_gaps(problem, assignment),
        seconds=time.perf_counter() - started,
        moved=moved,
        method=method,
        trace=trace,
    )


def _reason(inst: Instance, state: State, r: int) -> str:
    if r in inst.reason:
        return inst.reason[r]
    a, b = inst.ra[r], inst.rb[r]
    for p in (a, b):
        if state.deg[p] >= inst.maxm[p]:
            limit = inst.problem.max_meetings.get(inst.pids[p])
            if limit is None or limit > inst.S:
                return f"participant {inst.pids[p]} has a meeting in every slot they can attend"
            return f"participant {inst.pids[p]} reached the maximum of {limit} meetings"
    common = inst.options[r]
    if not common & ~state.busy[a] & ~state.busy[b]:
        return "every common slot is taken by another meeting of one of the participants"
    if not common & ~state.busy[a] & ~state.busy[b] & state.open:
        return "all common slots are full"
    return "left out for heavier meetings (time limit)"


def schedule(problem: Problem, time_limit: float = 5.0) -> Solution:
    """The best schedule found within ``time_limit`` seconds (see the package docstring)."""
    started = time.perf_counter()
    deadline = started + time_limit
    inst = Instance(problem)
    bonus = None
    if any(p >= 0 for p in inst.previous):
        lightest = min((w for w in inst.w if w > 0), default=1.0)
        bonus = [lightest * PREVIOUS_BONUS if p >= 0 else 0.0 for p in inst.previous]
    bound, selection, _optimal = solve_bmatching(inst, time_limit * 0.5, bonus)
    state = State(inst)
    place_locks(state)
    trace = [("bound", time.perf_counter() - started, 0.0)]
    if sum(inst.w[r] for r in selection) >= 0.9 * bound:
        colour(state, selection, started + time_limit * 0.65)
        method = "b-matching + colouring + repair"
    else:
        # HiGHS ran out of time without a good selection: heaviest first, then refill.
        for r in sorted(inst.free, key=lambda r: (-inst.w[r], inst.rid[r])):
            if state.room(r):
                mask = state.free_mask(r)
                if mask:
                    state.place(r, state.choose(r, mask))
        state.commit()
        method = "weight order + repair"
    trace.append(("colour", time.perf_counter() - started, state.weight))
    refill(state, started + time_limit * 0.8, bound)
    trace.append(("refill", time.perf_counter() - started, state.weight))
    polish_gaps(state, started + time_limit * 0.85)
    trace.append(("gaps", time.perf_counter() - started, state.weight))
    try:
        from .polish import cpsat_polish

        if cpsat_polish(state, bound, deadline - 0.05 * time_limit):
            method += " + CP-SAT"
            trace.append(("cp-sat", time.perf_counter() - started, state.weight))
    except ImportError:  # OR-Tools missing: the heuristic result stands
        pass
    return _solution(inst, state, bound, started, method, tuple(trace))


def greedy_schedule(problem: Problem) -> Solution:
    """Baseline: heaviest request first, earliest feasible slot, nothing ever moved.

    Its ``upper_bound`` is NaN (not computed); call ``upper_bound(problem)`` for the bound."""
    started = time.perf_counter()
    inst = Instance(problem)
    state = greedy(inst)
    return _solution(inst, state, float("nan"), started, "greedy")
