"""Independent checks of an assignment against a Problem, and the idle-gap measure."""

from __future__ import annotations

from collections import Counter, defaultdict

from .problem import Problem


def verify(problem: Problem, assignment: dict[int, int]) -> list[str]:
    """Every constraint the assignment breaks, as readable messages (empty when valid).

    Not scheduling a request is never a violation; a locked request in another slot is.
    """
    slots = {s.id: s for s in problem.slots}
    requests = {r.id: r for r in problem.requests}
    errors = []
    per_slot: Counter[int] = Counter()
    per_person_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    per_person: Counter[int] = Counter()
    for req_id, slot_id in sorted(assignment.items()):
        request = requests.get(req_id)
        if request is None:
            errors.append(f"request {req_id} does not exist")
            continue
        if slot_id not in slots:
            errors.append(f"request {req_id} is in slot {slot_id}, which does not exist")
            continue
        if request.a == request.b:
            errors.append(f"request {req_id} is a meeting of participant {request.a} with themself")
        if request.locked_slot is not None and request.locked_slot != slot_id:
            errors.append(
                f"request {req_id} is locked to slot {request.locked_slot} but is in slot {slot_id}"
            )
        for p in {request.a, request.b}:
            if slot_id not in problem.available.get(p, frozenset()):
                errors.append(
                    f"participant {p} is not available in slot {slot_id} (request {req_id})"
                )
            per_person_slot[(p, slot_id)].append(req_id)
            per_person[p] += 1
        per_slot[slot_id] += 1
    for (p, slot_id), reqs in sorted(per_person_slot.items()):
        if len(reqs) > 1:
            errors.append(
                f"participant {p} has {len(reqs)} meetings in slot {slot_id} (requests {reqs})"
            )
    for slot_id, count in sorted(per_slot.items()):
        if count > slots[slot_id].capacity:
            errors.append(
                f"slot {slot_id} has {count} meetings for {slots[slot_id].capacity} tables"
            )
    for p, count in sorted(per_person.items()):
        limit = problem.max_meetings.get(p)
        if limit is not None and count > limit:
            errors.append(f"participant {p} has {count} meetings, more than the maximum of {limit}")
    return errors


def idle_gaps(problem: Problem, assignment: dict[int, int]) -> dict[int, int]:
    """Participant id -> empty slots between their first and last meeting, summed per session
    (slots ordered by start within a session). Participants without a meeting get 0."""
    position: dict[int, tuple[int, int]] = {}
    by_session: dict[int, list] = defaultdict(list)
    for slot in problem.slots:
        by_session[slot.session_id].append(slot)
    for session_id, group in by_session.items():
        for i, slot in enumerate(sorted(group, key=lambda s: (s.start, s.id))):
            position[slot.id] = (session_id, i)
    requests = {r.id: r for r in problem.requests}
    taken: dict[tuple[int, int], set[int]] = defaultdict(set)
    people = set()
    for r in problem.requests:
        people.update((r.a, r.b))
    for req_id, slot_id in assignment.items():
        request = requests.get(req_id)
        if request is None or slot_id not in position:
            continue
        session_id, i = position[slot_id]
        for p in {request.a, request.b}:
            taken[(p, session_id)].add(i)
    gaps = dict.fromkeys(people, 0)
    for (p, _session), used in taken.items():
        gaps[p] = gaps.get(p, 0) + max(used) - min(used) + 1 - len(used)
    return gaps
