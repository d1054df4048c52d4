"""Data types of the pitch-schedule problem (pure: no Flask, no models).

The app (crunchtime/services/schedule) builds a :class:`Problem` from the
round, its rooms and juries; the solver returns a :class:`Schedule` or raises
:class:`Infeasible` with machine-readable :class:`Reason` objects; an
organiser's manual move is validated with ``check_placements`` which returns
:class:`Clash` objects. Messages are translated by the app from the keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Slot:
    index: int  # 0..n-1 in time order
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Room:
    key: str  # stable id (the app passes str(room.id))
    name: str
    tables: int = 1  # pitches the room holds at once (a hall with 2 panel tables = 2)


@dataclass(frozen=True)
class Pitch:
    team: str  # stable id (the app passes str(team.id))
    challenge: str  # teams of a challenge should be seen in a row by its company jury
    juries: tuple[str, ...]  # stable ids of the assigned juries (all must attend)
    label: str = ""  # for messages, e.g. "T042"


@dataclass(frozen=True)
class Problem:
    pitches: tuple[Pitch, ...]
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    unavailable: dict[str, frozenset[int]] = field(default_factory=dict)  # jury -> slot indexes
    locked: dict[str, tuple[int, str]] = field(default_factory=dict)  # team -> (slot, room key)
    names: dict[str, str] = field(default_factory=dict)  # jury/team id -> display name
    time_limit_seconds: float = 60.0
    # stop once the schedule is proven within this share of the lower bound (status
    # stays "feasible" unless the gap is 0); 0 searches until proof or time limit
    relative_gap: float = 0.01


@dataclass(frozen=True)
class Placement:
    team: str
    slot: int
    room: str


@dataclass
class Schedule:
    placements: tuple[Placement, ...]
    status: str  # "optimal" | "feasible"
    objective: float
    bound: float  # solver's lower bound on the objective
    seconds_to_first: float
    seconds: float
    room_changes: dict[str, int]  # jury -> room changes
    idle_minutes: dict[str, int]  # jury -> idle minutes between its first and last pitch


@dataclass(frozen=True)
class Reason:
    # machine key, e.g. "capacity", "jury_unavailable", "jury_overload", "locked_clash"
    constraint: str
    people: tuple[str, ...]  # ids (juries/teams/rooms) concerned
    detail: dict  # numbers for the message (e.g. {"pitches": 300, "places": 216})


class Infeasible(Exception):
    """No schedule satisfies the hard constraints; ``reasons`` says why."""

    def __init__(self, reasons: list[Reason]):
        self.reasons = list(reasons)
        keys = ", ".join(reason.constraint for reason in self.reasons) or "unknown"
        super().__init__(f"infeasible schedule: {keys}")


@dataclass(frozen=True)
class Clash:
    kind: str  # "jury_busy" | "team_busy" | "room_full" | "jury_unavailable" | "out_of_window"
    people: tuple[str, ...]
    slot: int
    room: str
