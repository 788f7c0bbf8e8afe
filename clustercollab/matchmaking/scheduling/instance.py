"""Compact integer view of a Problem: slots, participants and requests as indices and bitmasks.

Slots are ordered session by session (sessions by their first start, slots by start), so the
slots of one session are consecutive bits and a participant's idle gaps in a session are
``span(mask) - popcount(mask)`` on the session's bits.
"""

from __future__ import annotations

from .problem import Problem


def bits(mask: int) -> list[int]:
    """The set bit positions of ``mask``, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class Instance:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        by_session: dict[int, list] = {}
        for slot in problem.slots:
            by_session.setdefault(slot.session_id, []).append(slot)
        sessions = sorted(
            by_session.values(),
            key=lambda group: (min(s.start for s in group), group[0].session_id),
        )
        ordered = []
        self.session_masks: list[int] = []
        for group in sessions:
            group.sort(key=lambda s: (s.start, s.id))
            first = len(ordered)
            ordered.extend(group)
            self.session_masks.append(((1 << len(group)) - 1) << first)
        self.slots = ordered
        self.S = len(ordered)
        self.slot_ids = [s.id for s in ordered]
        self.slot_index = {sid: i for i, sid in enumerate(self.slot_ids)}
        if len(self.slot_index) != self.S:
            raise ValueError("slot ids must be unique")
        self.cap = [max(0, int(s.capacity)) for s in ordered]
        self.all_mask = (1 << self.S) - 1

        ids = set(problem.available)
        for r in problem.requests:
            ids.add(r.a)
            ids.add(r.b)
        self.pids = sorted(ids)
        self.pindex = {p: i for i, p in enumerate(self.pids)}
        self.n = len(self.pids)
        self.avail = [0] * self.n
        for p, slot_ids in problem.available.items():
            mask = 0
            for sid in slot_ids:
                i = self.slot_index.get(sid)
                if i is not None:
                    mask |= 1 << i
            self.avail[self.pindex[p]] = mask
        self.maxm = []
        for p in self.pids:
            limit = problem.max_meetings.get(p)
            self.maxm.append(self.S if limit is None else max(0, min(int(limit), self.S)))

        self.requests = list(problem.requests)
        self.R = len(self.requests)
        self.rid = [r.id for r in self.requests]
        self.rindex = {r.id: i for i, r in enumerate(self.requests)}
        if len(self.rindex) != self.R:
            raise ValueError("request ids must be unique")
        self.ra = [self.pindex[r.a] for r in self.requests]
        self.rb = [self.pindex[r.b] for r in self.requests]
        self.w = [float(r.weight) for r in self.requests]
        self.common = [self.avail[a] & self.avail[b] for a, b in zip(self.ra, self.rb, strict=True)]
        self.previous = [-1] * self.R
        for req_id, sid in problem.previous.items():
            ri = self.rindex.get(req_id)
            if ri is not None and sid in self.slot_index:
                self.previous[ri] = self.slot_index[sid]

        self.reason: dict[int, str] = {}  # request index -> why it can never be scheduled
        self.locked: dict[int, int] = {}  # request index -> slot index (accepted locks)
        self._accept_locks()
        for ri in range(self.R):
            if ri in self.reason or ri in self.locked:
                continue
            if self.ra[ri] == self.rb[ri]:
                self.reason[ri] = "a participant cannot meet themself"
            elif not self.common[ri]:
                self.reason[ri] = "no common available slot"
            elif self.w[ri] <= 0:
                self.reason[ri] = "weight is not positive"
        self.free = [ri for ri in range(self.R) if ri not in self.reason and ri not in self.locked]
        # Slots a request may take: its locked slot, or any common slot.
        self.options = list(self.common)
        for ri, s in self.locked.items():
            self.options[ri] = 1 << s

    def gap_of_mask(self, mask: int) -> int:
        total = 0
        for sm in self.session_masks:
            m = mask & sm
            if m:
                total += m.bit_length() - (m & -m).bit_length() + 1 - m.bit_count()
        return total

    def _accept_locks(self) -> None:
        """Keep the locks that can hold together; give every other lock a reason."""
        locked = [ri for ri, r in enumerate(self.requests) if r.locked_slot is not None]
        locked.sort(key=lambda ri: (-self.w[ri], self.rid[ri]))
        busy = [0] * self.n
        deg = [0] * self.n
        load = [0] * self.S
        for ri in locked:
            r = self.requests[ri]
            a, b = self.ra[ri], self.rb[ri]
            s = self.slot_index.get(r.locked_slot)
            if a == b:
                self.reason[ri] = "a participant cannot meet themself"
                continue
            if s is None:
                self.reason[ri] = f"locked to slot {r.locked_slot}, which is not in this schedule"
                continue
            bit = 1 << s
            missing = [p for p in (a, b) if not self.avail[p] & bit]
            if missing:
                who = " and ".join(str(self.pids[p]) for p in missing)
                self.reason[ri] = (
                    f"locked to slot {r.locked_slot}, but participant {who} is not available then"
                )
                continue
            clash = [p for p in (a, b) if busy[p] & bit]
            if clash:
                who = " and ".join(str(self.pids[p]) for p in clash)
                self.reason[ri] = (
                    f"locked to slot {r.locked_slot}, but participant {who} already has "
                    "a locked meeting then"
                )
                continue
            if load[s] >= self.cap[s]:
                self.reason[ri] = f"locked to slot {r.locked_slot}, but all its tables are locked"
                continue
            full = [p for p in (a, b) if deg[p] >= self.maxm[p]]
            if full:
                p = full[0]
                self.reason[ri] = (
                    f"locked, but participant {self.pids[p]} already has the maximum of "
                    f"{self.maxm[p]} meetings locked"
                )
                continue
            busy[a] |= bit
            busy[b] |= bit
            deg[a] += 1
            deg[b] += 1
            load[s] += 1
            self.locked[ri] = s
