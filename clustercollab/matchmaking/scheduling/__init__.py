"""Meeting scheduler for matchmaking events (pure Python, NumPy, SciPy/HiGHS, OR-Tools)."""

from .bound import upper_bound as _upper_bound
from .problem import Problem, Request, Slot, Solution, Unscheduled
from .solver import greedy_schedule, schedule
from .verify import idle_gaps, verify


def upper_bound(problem: Problem) -> float:
    """A proven upper bound on the total weight of any feasible schedule (see bound.py)."""
    return _upper_bound(problem)


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
