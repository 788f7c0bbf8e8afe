"""Construction, repair, refill and gap polishing on a State."""

from __future__ import annotations

import time

from .instance import Instance, bits
from .state import State


def place_locks(state: State) -> None:
    for r, s in state.inst.locked.items():
        state.place(r, s)
        state.fixed[r] = True
    state.commit()


def greedy(inst: Instance) -> State:
    """Weight-ordered first fit: heaviest request first, earliest feasible slot."""
    state = State(inst)
    place_locks(state)
    for r in sorted(inst.free, key=lambda r: (-inst.w[r], inst.rid[r])):
        if state.room(r):
            mask = state.free_mask(r)
            if mask:
                state.place(r, (mask & -mask).bit_length() - 1)
    state.commit()
    return state


def colour(state: State, selection: list[int], deadline: float) -> list[int]:
    """Give slots to the selected requests; return those that did not fit."""
    inst = state.inst
    todo = [r for r in selection if state.slot[r] < 0]
    # Keep the published slot where it still works (minimal change), heaviest first.
    rest = []
    for r in sorted(todo, key=lambda r: -inst.w[r]):
        prev = inst.previous[r]
        if prev >= 0 and state.room(r) and state.free_mask(r) >> prev & 1:
            state.place(r, prev)
        else:
            rest.append(r)
    need = [0] * inst.n
    for r in rest:
        need[inst.ra[r]] += 1
        need[inst.rb[r]] += 1
    rest.sort(
        key=lambda r: (
            inst.options[r].bit_count(),
            -(need[inst.ra[r]] + need[inst.rb[r]]),
            -inst.w[r],
        )
    )
    failed = []
    for r in rest:
        if state.room(r):
            mask = state.free_mask(r)
            if mask:
                state.place(r, state.choose(r, mask))
                continue
        failed.append(r)
    left = []
    for r in failed:
        if time.perf_counter() > deadline or not state.insert(r, 3, [400]):
            left.append(r)
    state.commit()
    return left


def refill(state: State, deadline: float, bound: float, rounds: int = 3) -> None:
    """Add unscheduled requests, heaviest first, moving or evicting lighter meetings."""
    inst = state.inst
    for _ in range(rounds):
        changed = False
        scheduled = [inst.w[r] for r in range(inst.R) if state.slot[r] >= 0 and not state.fixed[r]]
        lightest = min(scheduled, default=0.0)
        for r in sorted(inst.free, key=lambda r: (-inst.w[r], inst.rid[r])):
            if state.slot[r] >= 0:
                continue
            if state.weight >= bound - 1e-9 or time.perf_counter() > deadline:
                state.commit()
                return
            placed = state.room(r) and state.insert(r, 2, [200])
            if placed or (inst.w[r] > lightest and state.try_gain(r, [200])):
                changed = True
        state.commit()
        if not changed:
            return


def polish_gaps(state: State, deadline: float) -> None:
    """Close idle gaps by moving a participant's first or last meeting of a session inwards
    (swapping with a meeting of the target slot when its tables are full); also move
    meetings back to their published slot. A move is kept only when it lowers
    idle slots + MOVE_COST x (meetings away from their published slot)."""
    inst = state.inst
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        order = list(range(inst.n))
        state.rng.shuffle(order)
        for p in order:
            if time.perf_counter() > deadline:
                break
            if inst.gap_of_mask(state.busy[p]) == 0:
                continue
            for sm in inst.session_masks:
                m = state.busy[p] & sm
                if not m:
                    continue
                lo = (m & -m).bit_length() - 1
                hi = m.bit_length() - 1
                holes = bits(((1 << hi) - (1 << lo)) & ~m & inst.avail[p])
                if not holes:
                    continue
                for s in (lo, hi):
                    r = state.occ[p][s]
                    if r < 0 or state.fixed[r]:
                        continue
                    if any(_try_move(state, r, g) for g in holes):
                        improved = True
                        break
        for r in range(inst.R):
            prev = inst.previous[r]
            if (
                prev >= 0
                and state.slot[r] >= 0
                and state.slot[r] != prev
                and not state.fixed[r]
                and inst.options[r] >> prev & 1
                and _try_move(state, r, prev)
            ):
                improved = True
    state.commit()


# Moving a published meeting costs as much as this many idle slots: once a schedule is out,
# people are told about every change, so a change must close more gaps than it costs.
MOVE_COST = 2


def _better(gap_change: int, move_change: int) -> bool:
    total = gap_change + MOVE_COST * move_change
    return total < 0 or (total == 0 and move_change < 0)


def _moves(inst: Instance, r: int, s: int) -> int:
    prev = inst.previous[r]
    return 1 if prev >= 0 and s != prev else 0


def _try_move(state: State, r: int, g: int) -> bool:
    inst = state.inst
    if not inst.options[r] >> g & 1:
        return False
    a, b = inst.ra[r], inst.rb[r]
    if state.occ[a][g] >= 0 or state.occ[b][g] >= 0:
        return False
    s = state.slot[r]
    before_gaps = inst.gap_of_mask(state.busy[a]) + inst.gap_of_mask(state.busy[b])
    before_moves = _moves(inst, r, s)
    if state.load[g] < inst.cap[g]:
        mark = state.mark()
        state.remove(r)
        state.place(r, g)
        after = inst.gap_of_mask(state.busy[a]) + inst.gap_of_mask(state.busy[b])
        if _better(after - before_gaps, _moves(inst, r, g) - before_moves):
            return True
        state.rollback(mark)
        return False
    sbit, gbit = 1 << s, 1 << g
    members = list(state.members[g])
    if len(members) > 60:
        members = state.rng.sample(members, 60)
    for q in members:
        if state.fixed[q]:
            continue
        c, d = inst.ra[q], inst.rb[q]
        if not inst.options[q] & sbit or c in (a, b) or d in (a, b):
            continue
        if state.busy[c] & sbit or state.busy[d] & sbit:
            continue
        people = (a, b, c, d)
        before = before_gaps + inst.gap_of_mask(state.busy[c]) + inst.gap_of_mask(state.busy[d])
        moves_before = before_moves + _moves(inst, q, g)
        mark = state.mark()
        state.remove(r)
        state.remove(q)
        state.place(r, g)
        state.place(q, s)
        after = sum(inst.gap_of_mask(state.busy[p]) for p in people)
        if _better(after - before, _moves(inst, r, g) + _moves(inst, q, s) - moves_before):
            return True
        state.rollback(mark)
    del gbit
    return False
