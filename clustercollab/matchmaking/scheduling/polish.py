"""CP-SAT polish: the exact time-indexed model, warm-started from the heuristic schedule.

Phase 1 maximises the (integer-scaled) weight; phase 2 keeps that weight and minimises idle
slots + MOVE_COST x published meetings moved. Used when the model is small enough to pay off
within the time limit (up to MAX_VARIABLES request-slot pairs, about 150 participants); on
larger instances CP-SAT could not even improve the greedy hint in the time (see the package
docstring), while the heuristic already meets the bound.
"""

from __future__ import annotations

import time

from .heuristic import MOVE_COST
from .instance import bits
from .state import State

MAX_VARIABLES = 20_000
BUILD_SECONDS_PER_VARIABLE = 1.5e-4  # measured model-building cost, to stay within the limit
WEIGHT_SCALE = 1_000_000  # the heaviest request; others in proportion


def _gap_cost(state: State) -> int:
    inst = state.inst
    gaps = sum(inst.gap_of_mask(m) for m in state.busy)
    moves = sum(
        1 for r in range(inst.R) if inst.previous[r] >= 0 and state.slot[r] != inst.previous[r]
    )
    return gaps + MOVE_COST * moves


def _adopt(state: State, values: dict[tuple[int, int], bool]) -> None:
    for r in range(state.inst.R):
        if state.slot[r] >= 0 and not state.fixed[r]:
            state.remove(r)
    for (r, s), on in values.items():
        if on:
            state.place(r, s)
    state.commit()


def cpsat_polish(state: State, bound: float, deadline: float) -> bool:
    """Improve the state in place; True when CP-SAT changed it."""
    inst = state.inst
    free = list(inst.free)
    variables = sum(inst.options[r].bit_count() for r in free)
    budget = deadline - time.perf_counter()
    if (
        not free
        or variables > MAX_VARIABLES
        or budget < 0.2 + variables * BUILD_SECONDS_PER_VARIABLE
    ):
        return False
    from ortools.sat.python import cp_model

    top = max(inst.w[r] for r in free)
    weight = {r: max(1, round(inst.w[r] / top * WEIGHT_SCALE)) for r in free}
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    at: dict[tuple[int, int], list] = {}
    per_slot: list[list] = [[] for _ in range(inst.S)]
    per_person: list[list] = [[] for _ in range(inst.n)]
    for r in free:
        mine = []
        for s in bits(inst.options[r]):
            var = model.new_bool_var(f"x{r}_{s}")
            x[(r, s)] = var
            mine.append(var)
            per_slot[s].append(var)
            for p in (inst.ra[r], inst.rb[r]):
                at.setdefault((p, s), []).append(var)
                per_person[p].append(var)
        model.add_at_most_one(mine)
    locked_at = set()
    locked_deg = [0] * inst.n
    locked_load = [0] * inst.S
    for r, s in inst.locked.items():
        for p in (inst.ra[r], inst.rb[r]):
            locked_at.add((p, s))
            locked_deg[p] += 1
        locked_load[s] += 1
    for (p, s), group in at.items():
        if (p, s) in locked_at:
            for var in group:
                model.add(var == 0)
        elif len(group) > 1:
            model.add_at_most_one(group)
    for s in range(inst.S):
        if len(per_slot[s]) > inst.cap[s] - locked_load[s]:
            model.add(sum(per_slot[s]) <= inst.cap[s] - locked_load[s])
    for p in range(inst.n):
        if len(per_person[p]) > inst.maxm[p] - locked_deg[p]:
            model.add(sum(per_person[p]) <= inst.maxm[p] - locked_deg[p])
    total = sum(weight[r] * var for (r, _s), var in x.items())
    for (r, s), var in x.items():
        model.add_hint(var, state.slot[r] == s)

    def solve(limit: float) -> tuple[cp_model.CpSolver, int] | None:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, limit)
        solver.parameters.num_workers = 2
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return solver, status
        return None

    changed = False
    model.maximize(total)
    heuristic_scaled = sum(weight[r] for r in free if state.slot[r] >= 0)
    remaining = deadline - time.perf_counter()
    best_scaled = heuristic_scaled
    if state.weight < bound - 1e-9:
        result = solve(remaining * 0.6)
        if result is not None:
            solver, _status = result
            values = {key: bool(solver.value(var)) for key, var in x.items()}
            new_weight = sum(inst.w[r] for (r, _s), on in values.items() if on)
            if new_weight > state.weight + 1e-9:
                _adopt(state, values)
                changed = True
                best_scaled = sum(weight[r] for (r, _s), on in values.items() if on)
                model.clear_hints()
                for key, var in x.items():
                    model.add_hint(var, values[key])

    # Phase 2: same weight, fewer idle slots and moves.
    remaining = deadline - time.perf_counter()
    if remaining < 0.05:
        return changed
    model.add(total >= best_scaled)
    cost_terms = []
    for p in range(inst.n):
        for sm in inst.session_masks:
            usable = [s for s in bits(sm) if (p, s) in at or (p, s) in locked_at]
            if len(usable) < 3:
                continue
            occupied = []
            for s in range(usable[0], usable[-1] + 1):
                if (p, s) in locked_at:
                    occupied.append(1)
                else:
                    occupied.append(sum(at.get((p, s), [])))
            started = [model.new_bool_var("") for _ in occupied]
            ended = [model.new_bool_var("") for _ in occupied]
            for i, occ in enumerate(occupied):
                model.add(started[i] >= occ)
                model.add(ended[i] >= occ)
                if i:
                    model.add(started[i] >= started[i - 1])
                    model.add(ended[i - 1] >= ended[i])
                inside = model.new_bool_var("")
                model.add(inside >= started[i] + ended[i] - 1)
                cost_terms.append(inside - occ)
    for (r, s), var in x.items():
        if inst.previous[r] >= 0 and s == inst.previous[r]:
            cost_terms.append(MOVE_COST * (1 - var))
    if not cost_terms:
        return changed
    model.minimize(sum(cost_terms))
    before = _gap_cost(state)
    result = solve(deadline - time.perf_counter())
    if result is None:
        return changed
    solver, _status = result
    values = {key: bool(solver.value(var)) for key, var in x.items()}
    new_weight = sum(inst.w[r] for (r, _s), on in values.items() if on)
    if new_weight < state.weight - 1e-9:
        return changed
    mark = state.mark()
    _adopt(state, values)
    if _gap_cost(state) < before:
        return True
    state.rollback(mark)
    state.commit()
    return changed
