"""The meeting scheduler on small instances whose optimum is known by brute force.

Plain pytest, no database: the scheduler is pure Python.
"""

import itertools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from clustercollab.matchmaking.scheduling import (
    Problem,
    Request,
    Slot,
    greedy_schedule,
    idle_gaps,
    schedule,
    upper_bound,
    verify,
)

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
FAST = 2.0  # seconds: tiny instances finish far sooner


def make_slots(per_session, capacity=1, sessions=1):
    slots = []
    for session in range(1, sessions + 1):
        for k in range(per_session):
            start = T0 + timedelta(days=session, minutes=20 * k)
            slots.append(
                Slot(len(slots) + 1, session, start, start + timedelta(minutes=20), capacity)
            )
    return tuple(slots)


def make_problem(slots, requests, available=None, max_meetings=None, previous=None):
    people = {p for r in requests for p in (r.a, r.b)}
    if available is None:
        available = {p: frozenset(s.id for s in slots) for p in people}
    return Problem(tuple(slots), tuple(requests), available, max_meetings or {}, previous or {})


def weight_of(problem, assignment):
    weights = {r.id: r.weight for r in problem.requests}
    return sum(weights[r] for r in assignment)


def brute_force(problem):
    """(best weight, fewest gaps at that weight) over every assignment of every request."""
    slots = {s.id: s for s in problem.slots}
    choices = []
    for r in problem.requests:
        if r.locked_slot is not None:
            choices.append([r.locked_slot])
            continue
        common = problem.available.get(r.a, frozenset()) & problem.available.get(r.b, frozenset())
        choices.append([None, *sorted(common)])
    best = (-1.0, 0)
    for combo in itertools.product(*choices):
        per_slot = Counter()
        per_person_slot = set()
        per_person = Counter()
        weight = 0.0
        ok = True
        for r, s in zip(problem.requests, combo, strict=True):
            if s is None:
                continue
            per_slot[s] += 1
            for p in (r.a, r.b):
                if (p, s) in per_person_slot:
                    ok = False
                per_person_slot.add((p, s))
                per_person[p] += 1
            weight += r.weight
        if not ok or any(per_slot[s] > slots[s].capacity for s in per_slot):
            continue
        if any(per_person[p] > problem.max_meetings.get(p, 99) for p in per_person):
            continue
        assignment = {r.id: s for r, s in zip(problem.requests, combo, strict=True) if s}
        gaps = sum(idle_gaps(problem, assignment).values())
        if weight > best[0] + 1e-9 or (abs(weight - best[0]) <= 1e-9 and gaps < best[1]):
            best = (weight, gaps)
    return best


def check_optimal(problem):
    solution = schedule(problem, time_limit=FAST)
    assert verify(problem, solution.assignment) == []
    weight, gaps = brute_force(problem)
    assert solution.objective == pytest.approx(weight)
    assert sum(solution.gaps.values()) == gaps
    assert solution.upper_bound >= weight - 1e-9
    return solution


def reasons(solution):
    return {u.request_id: u.reason for u in solution.unscheduled}


# -- every constraint, against brute force ---------------------------------------------------


def test_meetings_only_where_both_participants_are_available():
    slots = make_slots(3)
    requests = [Request(1, 1, 2, 3.0), Request(2, 1, 3, 2.0), Request(3, 2, 3, 1.0)]
    available = {1: frozenset({1, 2}), 2: frozenset({2, 3}), 3: frozenset({1, 3})}
    solution = check_optimal(make_problem(slots, requests, available))
    assert solution.assignment == {1: 2, 2: 1, 3: 3}


def test_no_common_slot_is_reported():
    slots = make_slots(2)
    requests = [Request(1, 1, 2, 1.0)]
    available = {1: frozenset({1}), 2: frozenset({2})}
    solution = check_optimal(make_problem(slots, requests, available))
    assert reasons(solution) == {1: "no common available slot"}


def test_one_meeting_per_participant_per_slot():
    # Participant 1 is asked by three others but there are only two slots.
    slots = make_slots(2, capacity=5)
    requests = [Request(1, 1, 2, 1.0), Request(2, 1, 3, 3.0), Request(3, 1, 4, 2.0)]
    solution = check_optimal(make_problem(slots, requests))
    assert set(solution.assignment) == {2, 3}
    assert reasons(solution)[1] == "participant 1 has a meeting in every slot they can attend"


def test_table_capacity_per_slot():
    slots = make_slots(1, capacity=1)
    requests = [Request(1, 1, 2, 1.0), Request(2, 3, 4, 2.0)]
    solution = check_optimal(make_problem(slots, requests))
    assert solution.assignment == {2: 1}
    assert reasons(solution) == {1: "all common slots are full"}


def test_maximum_meetings_per_participant():
    slots = make_slots(4, capacity=4)
    requests = [Request(i, 1, i + 1, float(i)) for i in range(1, 5)]
    problem = make_problem(slots, requests, max_meetings={1: 2})
    solution = check_optimal(problem)
    assert set(solution.assignment) == {3, 4}
    assert reasons(solution)[1] == "participant 1 reached the maximum of 2 meetings"


def test_locked_meeting_stays_in_its_slot():
    # Unlocked, request 1 would take slot 1 or 2; locked to slot 2 it must stay there, and the
    # rest is optimal around it.
    slots = make_slots(2, capacity=2)
    requests = [
        Request(1, 1, 2, 1.0, locked_slot=2),
        Request(2, 1, 3, 5.0),
        Request(3, 2, 3, 4.0),
    ]
    available = {1: frozenset({1, 2}), 2: frozenset({1, 2}), 3: frozenset({2})}
    solution = check_optimal(make_problem(slots, requests, available))
    assert solution.assignment[1] == 2
    assert solution.objective == 1.0  # both heavier requests need slot 2, taken by the lock


def test_infeasible_locks_are_reported_not_crashed():
    slots = make_slots(2, capacity=1)
    requests = [
        Request(1, 1, 2, 1.0, locked_slot=2),  # participant 2 is not there in slot 2
        Request(2, 3, 4, 1.0, locked_slot=99),  # no such slot
        Request(3, 5, 6, 2.0, locked_slot=1),
        Request(4, 7, 8, 1.0, locked_slot=1),  # slot 1 has one table, taken by request 3
        Request(5, 5, 7, 1.0, locked_slot=1),  # participant 5 is already locked in slot 1
        Request(6, 9, 10, 1.0),
    ]
    available = {p: frozenset({1, 2}) for p in range(1, 11)}
    available[2] = frozenset({1})
    problem = make_problem(slots, requests, available)
    solution = schedule(problem, time_limit=FAST)
    assert verify(problem, solution.assignment) == []
    why = reasons(solution)
    assert "participant 2 is not available" in why[1]
    assert "not in this schedule" in why[2]
    assert "all its tables are locked" in why[4]
    assert "participant 5 already has a locked meeting" in why[5]
    assert solution.assignment == {3: 1, 6: 2}


def test_request_to_oneself_is_never_scheduled():
    slots = make_slots(1)
    problem = make_problem(slots, [Request(1, 1, 1, 1.0)])
    solution = schedule(problem, time_limit=FAST)
    assert solution.assignment == {}
    assert "themself" in reasons(solution)[1]


def test_idle_gaps_are_minimised():
    # Participant 1 meets 2 and 3 in a session of four slots; 2 is only there in slot 1, 3 can
    # come to slots 2-4: the meeting with 3 belongs in slot 2, right after the first.
    slots = make_slots(4, capacity=2)
    requests = [Request(1, 1, 2, 1.0), Request(2, 1, 3, 1.0), Request(3, 3, 4, 1.0)]
    available = {
        1: frozenset({1, 2, 3, 4}),
        2: frozenset({1}),
        3: frozenset({2, 3, 4}),
        4: frozenset({3, 4}),
    }
    solution = check_optimal(make_problem(slots, requests, available))
    assert solution.assignment[2] == 2
    assert sum(solution.gaps.values()) == 0


def test_gaps_count_per_session():
    slots = make_slots(3, sessions=2)
    problem = make_problem(slots, [Request(1, 1, 2, 1.0), Request(2, 1, 3, 1.0)])
    # Slot 1 and 3 of session 1: one idle slot; slot 1 of each session: no gap.
    assert idle_gaps(problem, {1: 1, 2: 3}) == {1: 1, 2: 0, 3: 0}
    assert idle_gaps(problem, {1: 1, 2: 4}) == {1: 0, 2: 0, 3: 0}


def test_replanning_keeps_the_published_slots():
    slots = make_slots(4, capacity=3)
    requests = [Request(i, i, i + 10, 1.0) for i in range(1, 6)]
    published = {1: 4, 2: 3, 3: 2, 4: 1, 5: 2}
    solution = schedule(make_problem(slots, requests, previous=published), time_limit=FAST)
    assert solution.assignment == published
    assert solution.moved == ()


def test_replanning_after_a_change_moves_only_what_it_must():
    # Published: 1-2 in slot 1 and 3-4 in slot 2 (one table each). A new, heavier request 1-3
    # arrives: the best schedule keeps both published meetings where they are and adds the
    # new one in slot 3.
    slots = make_slots(3, capacity=1)
    requests = [Request(1, 1, 2, 1.0), Request(2, 3, 4, 1.0), Request(3, 1, 3, 2.0)]
    published = {1: 1, 2: 2}
    problem = make_problem(slots, requests, previous=published)
    solution = schedule(problem, time_limit=FAST)
    assert verify(problem, solution.assignment) == []
    assert solution.objective == 4.0
    assert solution.assignment[1] == 1 and solution.assignment[2] == 2
    assert solution.moved == ()


def test_replanning_drops_a_published_meeting_only_for_more_weight():
    slots = make_slots(1, capacity=1)
    requests = [Request(1, 1, 2, 1.0), Request(2, 3, 4, 1.0), Request(3, 5, 6, 3.0)]
    equal = schedule(make_problem(slots, requests[:2], previous={2: 1}), time_limit=FAST)
    assert equal.assignment == {2: 1}  # a tie keeps the published meeting
    heavier = schedule(make_problem(slots, requests, previous={2: 1}), time_limit=FAST)
    assert heavier.assignment == {3: 1}
    assert heavier.moved == (2,)


# -- the upper bound -------------------------------------------------------------------------


def test_upper_bound_is_tight_when_the_selection_fits():
    slots = make_slots(2, capacity=1)
    requests = [Request(1, 1, 2, 2.0), Request(2, 3, 4, 1.5), Request(3, 5, 6, 1.0)]
    problem = make_problem(slots, requests)
    assert upper_bound(problem) == pytest.approx(3.5)  # two tables in all
    assert brute_force(problem)[0] == pytest.approx(3.5)


def test_upper_bound_can_exceed_the_optimum_but_never_falls_below_it():
    # A triangle in two slots: each participant may meet twice (the b-matching takes all
    # three), but three pairwise meetings need three slots.
    slots = make_slots(2, capacity=3)
    requests = [Request(1, 1, 2, 1.0), Request(2, 2, 3, 1.0), Request(3, 1, 3, 1.0)]
    problem = make_problem(slots, requests)
    assert upper_bound(problem) == pytest.approx(3.0)
    assert check_optimal(problem).objective == pytest.approx(2.0)


def test_upper_bound_counts_session_capacity():
    # Everyone can only meet in session 1 (one slot, one table): at most one meeting.
    slots = make_slots(1, capacity=1, sessions=2)
    requests = [Request(1, 1, 2, 1.0), Request(2, 3, 4, 1.0)]
    available = {p: frozenset({1}) for p in range(1, 5)}
    assert upper_bound(make_problem(slots, requests, available)) == pytest.approx(1.0)


# -- verify catches every violation ----------------------------------------------------------


def test_verify_catches_each_violation():
    slots = make_slots(2, capacity=1)
    requests = [
        Request(1, 1, 2, 1.0),
        Request(2, 1, 3, 1.0),
        Request(3, 4, 5, 1.0),
        Request(4, 2, 3, 1.0, locked_slot=1),
        Request(5, 6, 6, 1.0),
    ]
    available = {p: frozenset({1, 2}) for p in range(1, 7)}
    available[5] = frozenset({1})
    problem = make_problem(slots, requests, available, max_meetings={1: 1})
    assert verify(problem, {1: 1, 3: 2}) == ["participant 5 is not available in slot 2 (request 3)"]
    assert any("participant 1 has 2 meetings in slot 1" in e for e in verify(problem, {1: 1, 2: 1}))
    assert verify(problem, {1: 1, 3: 1}) == ["slot 1 has 2 meetings for 1 tables"]
    assert any("more than the maximum of 1" in e for e in verify(problem, {1: 1, 2: 2}))
    assert verify(problem, {4: 2}) == ["request 4 is locked to slot 1 but is in slot 2"]
    assert verify(problem, {9: 1}) == ["request 9 does not exist"]
    assert verify(problem, {1: 7}) == ["request 1 is in slot 7, which does not exist"]
    assert any("with themself" in e for e in verify(problem, {5: 1}))
    assert verify(problem, {}) == []


# -- randomised properties -------------------------------------------------------------------


def random_problem(rng, people, n_requests, per_session, sessions, capacity, lock=False):
    slots = make_slots(per_session, capacity=capacity, sessions=sessions)
    ids = [s.id for s in slots]
    available = {p: frozenset(s for s in ids if rng.random() < 0.75) for p in range(1, people + 1)}
    pairs = [(a, b) for a in range(1, people + 1) for b in range(a + 1, people + 1)]
    chosen = rng.sample(pairs, min(n_requests, len(pairs)))
    requests = [
        Request(i + 1, a, b, float(rng.choice([1, 1, 2, 3]))) for i, (a, b) in enumerate(chosen)
    ]
    if lock:
        for i, r in enumerate(requests):
            common = sorted(available[r.a] & available[r.b])
            if common:
                requests[i] = Request(r.id, r.a, r.b, r.weight, locked_slot=rng.choice(common))
                break
    max_meetings = {p: rng.randint(1, 3) for p in range(1, people + 1) if rng.random() < 0.4}
    return make_problem(slots, requests, available, max_meetings)


@pytest.mark.parametrize("seed", range(12))
def test_random_tiny_instances_match_brute_force(seed):
    rng = random.Random(seed)
    problem = random_problem(
        rng,
        people=rng.randint(3, 6),
        n_requests=rng.randint(3, 6),
        per_session=rng.choice([2, 3]),
        sessions=rng.choice([1, 2]) if seed % 3 else 1,
        capacity=rng.randint(1, 2),
        lock=seed % 4 == 0,
    )
    solution = check_optimal(problem)
    assert upper_bound(problem) >= solution.objective - 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_random_instances_verify_clean(seed):
    rng = random.Random(100 + seed)
    problem = random_problem(
        rng,
        people=rng.randint(20, 60),
        n_requests=rng.randint(60, 240),
        per_session=8,
        sessions=2,
        capacity=rng.randint(3, 10),
        lock=True,
    )
    solution = schedule(problem, time_limit=0.5)
    greedy = greedy_schedule(problem)
    assert verify(problem, solution.assignment) == []
    assert verify(problem, greedy.assignment) == []
    assert solution.objective <= solution.upper_bound + 1e-6
    assert solution.objective >= greedy.objective - 1e-9
    assert solution.objective == pytest.approx(weight_of(problem, solution.assignment))
    scheduled = set(solution.assignment)
    reported = {u.request_id for u in solution.unscheduled}
    assert scheduled | reported == {r.id for r in problem.requests}
    assert not scheduled & reported


def test_empty_problem():
    problem = make_problem(make_slots(2), [])
    solution = schedule(problem)
    assert solution.assignment == {} and solution.objective == 0 and solution.upper_bound == 0
    assert upper_bound(problem) == 0


def test_busy_partner_reason():
    # 1 and 2 share only slot 1, where 2 already meets 3 (heavier).
    slots = make_slots(2, capacity=2)
    requests = [Request(1, 1, 2, 1.0), Request(2, 2, 3, 2.0)]
    available = {1: frozenset({1}), 2: frozenset({1, 2}), 3: frozenset({1})}
    solution = check_optimal(make_problem(slots, requests, available))
    assert reasons(solution) == {
        1: "every common slot is taken by another meeting of one of the participants"
    }


def test_duplicate_ids_are_rejected():
    slots = make_slots(1)
    with pytest.raises(ValueError, match="request ids"):
        schedule(make_problem(slots, [Request(1, 1, 2, 1.0), Request(1, 3, 4, 1.0)]))
    with pytest.raises(ValueError, match="slot ids"):
        schedule(make_problem(slots + slots, [Request(1, 1, 2, 1.0)]))


def test_schedule_without_a_selection_from_highs_still_fills(monkeypatch):
    # HiGHS out of time with no incumbent: weight order plus repair still gives a valid,
    # complete schedule.
    from clustercollab.matchmaking.scheduling import solver

    monkeypatch.setattr(solver, "solve_bmatching", lambda inst, limit, bonus: (99.0, [], False))
    rng = random.Random(7)
    problem = random_problem(rng, 30, 120, 8, 2, 4, lock=True)
    solution = schedule(problem, time_limit=0.5)
    assert solution.method.startswith("weight order")
    assert verify(problem, solution.assignment) == []
    assert solution.objective >= greedy_schedule(problem).objective - 1e-9
