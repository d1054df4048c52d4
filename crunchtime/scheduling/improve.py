"""Local search on a complete schedule: move or swap pitches, simulated annealing.

Each step touches two pitches at most, so only their juries' costs are
recomputed. Every state visited satisfies all hard constraints; the best one
is returned. Seeded: the same problem, start and budget of steps give the
same result.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import defaultdict

from crunchtime.scheduling.costs import (
    WEIGHT_CHALLENGE_SWITCH,
    WEIGHT_IDLE_SLOT,
    WEIGHT_ROOM_CHANGE,
    WEIGHT_SPAN_SLOT,
    available_slots,
)
from crunchtime.scheduling.problem import Placement, Problem

START_TEMPERATURE = 12.0
END_TEMPERATURE = 0.2
STEPS_PER_PITCH = 1000
SLOT_SWAP_SHARE = 0.15


class _State:
    def __init__(self, problem: Problem, placements: tuple[Placement, ...]):
        self.problem = problem
        self.keys = [room.key for room in problem.rooms]
        self.tables = [room.tables for room in problem.rooms]
        index = {key: i for i, key in enumerate(self.keys)}
        self.juries = {p.team: tuple(dict.fromkeys(p.juries)) for p in problem.pitches}
        self.challenge = {p.team: p.challenge for p in problem.pitches}
        self.slot = {p.team: p.slot for p in placements}
        self.room = {p.team: index[p.room] for p in placements}
        self.allowed = {team: set(slots) for team, slots in available_slots(problem).items()}
        self.teams_of: dict[str, list[str]] = defaultdict(list)
        self.at: dict[tuple[str, int], str] = {}
        self.load: dict[tuple[int, int], list[str]] = defaultdict(list)
        self.per_slot = [0] * len(problem.slots)
        for team, juries in self.juries.items():
            for jury in juries:
                self.teams_of[jury].append(team)
                self.at[jury, self.slot[team]] = team
            self.load[self.room[team], self.slot[team]].append(team)
            self.per_slot[self.slot[team]] += 1
        self.cost = {jury: self.jury_cost(jury) for jury in self.teams_of}

    def jury_cost(self, jury: str) -> int:
        visits = sorted(
            (self.slot[t], self.room[t], self.challenge[t]) for t in self.teams_of[jury]
        )
        cost = WEIGHT_IDLE_SLOT * (visits[-1][0] - visits[0][0] + 1 - len(visits))
        for (_, room_a, chal_a), (_, room_b, chal_b) in itertools.pairwise(visits):
            cost += WEIGHT_ROOM_CHANGE * (room_a != room_b)
            cost += WEIGHT_CHALLENGE_SWITCH * (chal_a != chal_b)
        return cost

    def span(self) -> int:
        return max((s + 1 for s, n in enumerate(self.per_slot) if n), default=0)

    def apply(self, moves: list[tuple[str, int, int]]) -> None:
        """Move teams to (slot, room); the caller checked the result is valid."""
        for team, _, _ in moves:
            self.load[self.room[team], self.slot[team]].remove(team)
            self.per_slot[self.slot[team]] -= 1
            for jury in self.juries[team]:
                if self.at.get((jury, self.slot[team])) == team:
                    del self.at[jury, self.slot[team]]
        for team, slot, room in moves:
            self.slot[team], self.room[team] = slot, room
            self.load[room, slot].append(team)
            self.per_slot[slot] += 1
            for jury in self.juries[team]:
                self.at[jury, slot] = team

    def placements(self) -> tuple[Placement, ...]:
        return tuple(
            Placement(p.team, self.slot[p.team], self.keys[self.room[p.team]])
            for p in self.problem.pitches
        )


def improve_schedule(
    problem: Problem,
    placements: tuple[Placement, ...],
    seconds: float,
    seed: int = 0,
    steps_per_pitch: int = STEPS_PER_PITCH,
) -> tuple[Placement, ...]:
    """The best schedule met by annealing from ``placements`` within the budget.

    The temperature falls with time or with steps, whichever runs out first.
    """
    state = _State(problem, placements)
    movable = [p.team for p in problem.pitches if p.team not in problem.locked and p.juries]
    if not movable or not state.teams_of:
        return placements
    rng = random.Random(seed)
    total = sum(state.cost.values()) + WEIGHT_SPAN_SLOT * state.span()
    best_total, best = total, state.placements()
    began = time.perf_counter()
    steps = steps_per_pitch * len(movable)
    for step in range(steps):
        if step % 256 == 0:
            progress = max((time.perf_counter() - began) / seconds, step / steps)
            if progress >= 1:
                break
            temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE) ** progress
        moves = _propose(state, rng, movable)
        if moves is None:
            continue
        delta, undo = _try(state, moves)
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            total += delta
            if total < best_total:
                best_total, best = total, state.placements()
        else:
            _try(state, undo)
    return best


def _propose(state: _State, rng: random.Random, movable: list[str]):
    """Take a team to a slot next to another pitch of one of its juries, or swap."""
    team = rng.choice(movable)
    if rng.random() < SLOT_SWAP_SHARE:
        return _swap_slots(state, rng, state.room[team], state.slot[team])
    jury = rng.choice(state.juries[team])
    other = rng.choice(state.teams_of[jury])
    slot = (
        state.slot[other] + rng.choice((-1, 1))
        if other != team
        else rng.randrange(len(state.per_slot))
    )
    room = state.room[other] if rng.random() < 0.8 else rng.randrange(len(state.tables))
    if slot not in state.allowed[team] or (slot, room) == (state.slot[team], state.room[team]):
        return None
    here = state.load[room, slot]
    if len(here) < state.tables[room]:
        moves = [(team, slot, room)]
    else:
        swap = rng.choice(here)
        if swap in state.problem.locked or state.slot[team] not in state.allowed[swap]:
            return None
        moves = [(team, slot, room), (swap, state.slot[team], state.room[team])]
    return moves if _valid(state, moves) else None


def _swap_slots(state: _State, rng: random.Random, room: int, slot: int):
    """Exchange everything a room holds at two slots (juries stay together)."""
    other = rng.randrange(len(state.per_slot))
    moves = [(t, other, room) for t in state.load[room, slot]]
    moves += [(t, slot, room) for t in state.load[room, other]]
    if other == slot or any(
        team in state.problem.locked or target not in state.allowed[team]
        for team, target, _ in moves
    ):
        return None
    return moves if _valid(state, moves) else None


def _valid(state: _State, moves: list[tuple[str, int, int]]) -> bool:
    moving = {team for team, _, _ in moves}
    for team, slot, _ in moves:
        for jury in state.juries[team]:
            there = state.at.get((jury, slot))
            if there is not None and there not in moving:
                return False
    if len(moves) == 2:
        shared = set(state.juries[moves[0][0]]) & set(state.juries[moves[1][0]])
        if shared and moves[0][1] == moves[1][1]:
            return False
    return True


def _try(state: _State, moves: list[tuple[str, int, int]]) -> tuple[int, list]:
    """Apply the moves; the change of the objective and the moves that undo them."""
    juries = {jury for team, _, _ in moves for jury in state.juries[team]}
    before = sum(state.cost[j] for j in juries) + WEIGHT_SPAN_SLOT * state.span()
    undo = [(team, state.slot[team], state.room[team]) for team, _, _ in moves]
    state.apply(moves)
    for jury in juries:
        state.cost[jury] = state.jury_cost(jury)
    return sum(state.cost[j] for j in juries) + WEIGHT_SPAN_SLOT * state.span() - before, undo
