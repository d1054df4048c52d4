"""The schedule's objective, computed from placements, and a valid lower bound of it.

Objective (smaller is better), in "points":

* ``WEIGHT_ROOM_CHANGE`` = 10 per room change of each jury (two consecutive pitches
  of a jury in different rooms): a panel should stay in its room;
* ``WEIGHT_CHALLENGE_SWITCH`` = 4 per challenge switch of each jury (two
  consecutive pitches of different challenges): a challenge's teams in a row;
* ``WEIGHT_IDLE_SLOT`` = 2 per free slot of each jury between its first and its
  last pitch (breaks are not slots, so lunch is never counted as idle);
* ``WEIGHT_SPAN_SLOT`` = 1 per slot of the day's span (slots from the window's
  start to the end of the last pitch).

A jury walking once costs as much as waiting five slots; the span only decides
between otherwise equal schedules of the people.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from crunchtime.scheduling.problem import Placement, Problem, Schedule

WEIGHT_ROOM_CHANGE = 10
WEIGHT_CHALLENGE_SWITCH = 4
WEIGHT_IDLE_SLOT = 2
WEIGHT_SPAN_SLOT = 1


@dataclass(frozen=True)
class Evaluation:
    objective: int
    room_changes: dict[str, int]
    challenge_switches: dict[str, int]
    idle_slots: dict[str, int]
    idle_minutes: dict[str, int]
    span_slots: int


def jury_pitches(problem: Problem) -> dict[str, list[str]]:
    """Teams each jury sees, in the problem's order."""
    seen: dict[str, list[str]] = defaultdict(list)
    for pitch in problem.pitches:
        for jury in dict.fromkeys(pitch.juries):
            seen[jury].append(pitch.team)
    return dict(seen)


def evaluate(problem: Problem, placements: Iterable[Placement]) -> Evaluation:
    """Objective and per-jury figures of complete placements (one per pitch)."""
    where = {placement.team: placement for placement in placements}
    challenge = {pitch.team: pitch.challenge for pitch in problem.pitches}
    room_changes: dict[str, int] = {}
    switches: dict[str, int] = {}
    idle_slots: dict[str, int] = {}
    idle_minutes: dict[str, int] = {}
    for jury, teams in sorted(jury_pitches(problem).items()):
        visits = sorted((where[team].slot, where[team].room, challenge[team]) for team in teams)
        pairs = list(itertools.pairwise(visits))
        room_changes[jury] = sum(1 for a, b in pairs if a[1] != b[1])
        switches[jury] = sum(1 for a, b in pairs if a[2] != b[2])
        used = {slot for slot, _, _ in visits}
        free = [s for s in range(visits[0][0], visits[-1][0] + 1) if s not in used]
        idle_slots[jury] = len(free)
        idle_minutes[jury] = sum(_minutes(problem, s) for s in free)
    span = max((placement.slot + 1 for placement in where.values()), default=0)
    objective = (
        WEIGHT_ROOM_CHANGE * sum(room_changes.values())
        + WEIGHT_CHALLENGE_SWITCH * sum(switches.values())
        + WEIGHT_IDLE_SLOT * sum(idle_slots.values())
        + WEIGHT_SPAN_SLOT * span
    )
    return Evaluation(objective, room_changes, switches, idle_slots, idle_minutes, span)


def _minutes(problem: Problem, index: int) -> int:
    slot = problem.slots[index]
    return round((slot.end - slot.start).total_seconds() / 60)


def available_slots(problem: Problem) -> dict[str, list[int]]:
    """Slots where all juries of each team can attend (its locked slot if locked)."""
    every = range(len(problem.slots))
    result: dict[str, list[int]] = {}
    for pitch in problem.pitches:
        if pitch.team in problem.locked:
            result[pitch.team] = [problem.locked[pitch.team][0]]
            continue
        blocked: set[int] = set()
        for jury in pitch.juries:
            blocked |= problem.unavailable.get(jury, frozenset())
        result[pitch.team] = [s for s in every if s not in blocked]
    return result


def lower_bound(problem: Problem) -> int:
    """A valid lower bound of the objective, term by term.

    Challenge switches: a jury seeing k challenges switches at least k - 1 times.
    Room changes: a jury with pitches locked in k rooms changes at least k - 1 times;
    and teams linked by shared juries that need k rooms force k - 1 changes in all.
    Span: enough slots for all pitches at all tables, for each jury's pitches in
    its available slots, and for every locked or constrained pitch.
    """
    challenge = {pitch.team: pitch.challenge for pitch in problem.pitches}
    juries = jury_pitches(problem)
    switches = sum(len({challenge[t] for t in teams}) - 1 for teams in juries.values())
    locked_changes = 0
    for teams in juries.values():
        rooms = {problem.locked[t][1] for t in teams if t in problem.locked}
        locked_changes += max(0, len(rooms) - 1)
    changes = max(locked_changes, _forced_room_changes(problem, juries))
    span = 0
    tables = sum(room.tables for room in problem.rooms)
    if problem.pitches and tables:
        span = math.ceil(len(problem.pitches) / tables)
    available = available_slots(problem)
    for teams in juries.values():
        union = sorted({s for team in teams for s in available[team]})
        if len(union) >= len(teams):
            span = max(span, union[len(teams) - 1] + 1)
    for slots in available.values():
        if slots:
            span = max(span, slots[0] + 1)
    return (
        WEIGHT_ROOM_CHANGE * changes + WEIGHT_CHALLENGE_SWITCH * switches + WEIGHT_SPAN_SLOT * span
    )


def _forced_room_changes(problem: Problem, juries: dict[str, list[str]]) -> int:
    """Room changes forced by groups of teams linked by juries too big for one room.

    Split a connected group over k rooms: juries joining the k parts form a
    connected hypergraph, so their rooms visited minus one sum to k - 1 at least.
    """
    parent = {pitch.team: pitch.team for pitch in problem.pitches}

    def root(team: str) -> str:
        while parent[team] != team:
            parent[team] = parent[parent[team]]
            team = parent[team]
        return team

    for teams in juries.values():
        for team in teams[1:]:
            parent[root(team)] = root(teams[0])
    sizes: dict[str, int] = defaultdict(int)
    for team in parent:
        sizes[root(team)] += 1
    capacities = sorted((room.tables * len(problem.slots) for room in problem.rooms), reverse=True)
    forced = 0
    for size in sizes.values():
        held, rooms = 0, 0
        while held < size and rooms < len(capacities):
            held += capacities[rooms]
            rooms += 1
        forced += max(0, rooms - 1)
    return forced


def finished_schedule(
    problem: Problem,
    placements: tuple[Placement, ...],
    status: str,
    began: float,
    first: float,
    bound: float | None = None,
) -> Schedule:
    """A Schedule with its figures evaluated from the placements themselves."""
    figures = evaluate(problem, placements)
    now = time.perf_counter()
    best_bound = float(lower_bound(problem) if bound is None else bound)
    return Schedule(
        placements=placements,
        status=status,
        objective=float(figures.objective),
        bound=min(best_bound, float(figures.objective)),
        seconds_to_first=round(first - began, 4),
        seconds=round(now - began, 4),
        room_changes=figures.room_changes,
        idle_minutes=figures.idle_minutes,
    )
