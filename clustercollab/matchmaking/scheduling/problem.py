"""The scheduler's input and output: plain frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Slot:
    id: int
    session_id: int
    start: datetime
    end: datetime
    capacity: int  # tables (or virtual rooms) in this slot


@dataclass(frozen=True)
class Request:
    id: int
    a: int  # participant ids
    b: int
    weight: float
    locked_slot: int | None = None


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    requests: tuple[Request, ...]
    available: dict[int, frozenset[int]]  # participant -> slot ids (missing = no slot)
    max_meetings: dict[int, int]  # participant -> limit (missing = unlimited)
    previous: dict[int, int]  # request id -> slot id of the last published schedule


@dataclass(frozen=True)
class Unscheduled:
    request_id: int
    reason: str


@dataclass(frozen=True)
class Solution:
    assignment: dict[int, int]  # request id -> slot id
    unscheduled: tuple[Unscheduled, ...]
    upper_bound: float
    objective: float  # total weight of the scheduled requests
    gaps: dict[int, int]  # participant id -> idle slots between first and last meeting
    seconds: float
    # Optional extras (defaults keep the interface stable).
    moved: tuple[int, ...] = ()  # request ids whose slot differs from `previous` (or dropped)
    method: str = ""  # which stages produced the final schedule
    trace: tuple[tuple[str, float, float], ...] = ()  # (stage, seconds so far, weight) per stage
