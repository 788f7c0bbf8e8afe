"""A mutable schedule with O(1) feasibility checks and an undo journal."""

from __future__ import annotations

import random

from .instance import Instance, bits


class State:
    def __init__(self, inst: Instance, seed: int = 0) -> None:
        self.inst = inst
        self.rng = random.Random(seed)
        self.occ = [[-1] * inst.S for _ in range(inst.n)]  # participant -> slot -> request
        self.busy = [0] * inst.n  # participant -> bitmask of occupied slots
        self.deg = [0] * inst.n
        self.load = [0] * inst.S
        self.members: list[set[int]] = [set() for _ in range(inst.S)]
        self.open = 0  # bitmask of slots with a free table
        for s in range(inst.S):
            if inst.cap[s] > 0:
                self.open |= 1 << s
        self.slot = [-1] * inst.R
        self.fixed = [False] * inst.R
        self.weight = 0.0
        self.journal: list[tuple[int, int, int]] = []  # (+1 place / -1 remove, request, slot)

    # -- elementary moves -------------------------------------------------------------------
    def place(self, r: int, s: int) -> None:
        inst = self.inst
        a, b = inst.ra[r], inst.rb[r]
        self.occ[a][s] = r
        self.occ[b][s] = r
        bit = 1 << s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.deg[a] += 1
        self.deg[b] += 1
        self.load[s] += 1
        if self.load[s] >= inst.cap[s]:
            self.open &= ~bit
        self.members[s].add(r)
        self.slot[r] = s
        self.weight += inst.w[r]
        self.journal.append((1, r, s))

    def remove(self, r: int) -> int:
        inst = self.inst
        s = self.slot[r]
        a, b = inst.ra[r], inst.rb[r]
        self.occ[a][s] = -1
        self.occ[b][s] = -1
        bit = 1 << s
        self.busy[a] &= ~bit
        self.busy[b] &= ~bit
        self.deg[a] -= 1
        self.deg[b] -= 1
        self.load[s] -= 1
        self.open |= bit
        self.members[s].discard(r)
        self.slot[r] = -1
        self.weight -= inst.w[r]
        self.journal.append((-1, r, s))
        return s

    def mark(self) -> int:
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        while len(self.journal) > mark:
            op, r, s = self.journal.pop()
            if op == 1:
                self.remove(r)
            else:
                self.place(r, s)
            self.journal.pop()

    def commit(self) -> None:
        self.journal.clear()

    # -- queries ----------------------------------------------------------------------------
    def room(self, r: int) -> bool:
        inst = self.inst
        a, b = inst.ra[r], inst.rb[r]
        return self.deg[a] < inst.maxm[a] and self.deg[b] < inst.maxm[b]

    def free_mask(self, r: int) -> int:
        inst = self.inst
        return inst.options[r] & ~self.busy[inst.ra[r]] & ~self.busy[inst.rb[r]] & self.open

    def gap_delta(self, p: int, add: int = 0, drop: int = 0) -> int:
        mask = self.busy[p]
        return self.inst.gap_of_mask((mask | add) & ~drop) - self.inst.gap_of_mask(mask)

    def choose(self, r: int, mask: int) -> int:
        """The best free slot for r: its previous slot, else fewest new gaps, else emptiest."""
        inst = self.inst
        prev = inst.previous[r]
        if prev >= 0 and mask >> prev & 1:
            return prev
        a, b = inst.ra[r], inst.rb[r]
        best, best_key = -1, None
        for s in bits(mask):
            bit = 1 << s
            key = (
                self.gap_delta(a, bit) + self.gap_delta(b, bit),
                self.load[s] - inst.cap[s],
                self.rng.random(),
            )
            if best_key is None or key < best_key:
                best, best_key = s, key
        return best

    # -- insertion with ejection chains -----------------------------------------------------
    def anchored(self, q: int) -> bool:
        """q sits in its published slot (moving it is a change people are told about)."""
        return self.inst.previous[q] == self.slot[q]

    def insert(self, r: int, depth: int, budget: list[int], avoid: int = 0) -> bool:
        """Place r, moving other meetings (never dropping them) up to `depth` levels deep;
        shallow chains first (iterative deepening), so as few meetings move as possible."""
        return any(self._insert(r, d, budget, avoid) for d in range(depth + 1))

    def _evictee(self, s: int, exclude: set[int]) -> int:
        """A movable meeting of slot s, preferably one not in its published slot."""
        members = self.members[s]
        pool = list(members) if len(members) <= 30 else self.rng.sample(list(members), 30)
        movable = [q for q in pool if not self.fixed[q] and q not in exclude]
        free = [q for q in movable if not self.anchored(q)]
        if free:
            return self.rng.choice(free)
        if movable:
            return self.rng.choice(movable)
        return -1

    def _insert(self, r: int, depth: int, budget: list[int], avoid: int) -> bool:
        inst = self.inst
        if not self.room(r):
            return False
        mask = self.free_mask(r) & ~avoid
        if mask:
            self.place(r, self.choose(r, mask))
            return True
        if depth <= 0 or budget[0] <= 0:
            return False
        a, b = inst.ra[r], inst.rb[r]
        candidates = bits(inst.options[r] & ~avoid)
        self.rng.shuffle(candidates)
        occ_a, occ_b = self.occ[a], self.occ[b]
        candidates.sort(
            key=lambda s: (
                (occ_a[s] >= 0) * (1 + self.anchored(occ_a[s]))
                + (occ_b[s] >= 0) * (1 + self.anchored(occ_b[s]))
            )
        )
        for s in candidates:
            budget[0] -= 1
            if budget[0] <= 0:
                return False
            blockers = {q for q in (self.occ[a][s], self.occ[b][s]) if q >= 0}
            if any(self.fixed[q] for q in blockers):
                continue
            if self.load[s] - len(blockers) >= inst.cap[s]:
                q = self._evictee(s, blockers)
                if q < 0:
                    continue
                blockers.add(q)
            mark = self.mark()
            for q in blockers:
                self.remove(q)
            self.place(r, s)
            ok = True
            for q in blockers:
                if not self._insert(q, depth - 1, budget, avoid | (1 << s)):
                    ok = False
                    break
            if ok:
                return True
            self.rollback(mark)
        return False

    def try_gain(self, r: int, budget: list[int]) -> bool:
        """Insert r by evicting lighter meetings when that raises the total weight."""
        inst = self.inst
        a, b = inst.ra[r], inst.rb[r]
        w = inst.w[r]
        for s in bits(inst.options[r]):
            budget[0] -= 1
            if budget[0] <= 0:
                return False
            evict = {q for q in (self.occ[a][s], self.occ[b][s]) if q >= 0}
            for p in (a, b):
                if (
                    self.deg[p] - sum(1 for q in evict if p in (inst.ra[q], inst.rb[q]))
                    >= inst.maxm[p]
                ):
                    mine = [
                        q for q in self.occ[p] if q >= 0 and q not in evict and not self.fixed[q]
                    ]
                    if not mine:
                        evict = None
                        break
                    evict.add(min(mine, key=lambda q: inst.w[q]))
            if evict is None or any(self.fixed[q] for q in evict):
                continue
            if self.load[s] - sum(1 for q in evict if self.slot[q] == s) >= inst.cap[s]:
                members = self.members[s]
                pool = list(members) if len(members) <= 40 else self.rng.sample(list(members), 40)
                movable = [q for q in pool if not self.fixed[q] and q not in evict]
                if not movable:
                    continue
                evict.add(min(movable, key=lambda q: (inst.w[q], self.anchored(q))))
            mark = self.mark()
            for q in evict:
                self.remove(q)
            self.place(r, s)
            lost = 0.0
            for q in sorted(evict, key=lambda q: -inst.w[q]):
                if not self.insert(q, 1, budget, 1 << s):
                    lost += inst.w[q]
            if lost < w - 1e-9:
                return True
            self.rollback(mark)
        return False
