"""Occupancy of rooms and juries while a schedule is built by hand-written rules."""

from __future__ import annotations

from collections import defaultdict

from crunchtime.scheduling.problem import Pitch, Placement, Problem


class Board:
    """Who is where at which slot; placing a pitch updates every count."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.room_index = {room.key: i for i, room in enumerate(problem.rooms)}
        self.tables = [room.tables for room in problem.rooms]
        self.load: dict[tuple[int, int], int] = defaultdict(int)
        self.busy: dict[str, set[int]] = defaultdict(set)
        self.rooms_of: dict[str, set[int]] = defaultdict(set)
        self.spots: dict[str, tuple[int, int]] = {}

    @property
    def placements(self) -> dict[str, tuple[int, int]]:
        return self.spots

    def juries_free(self, pitch: Pitch, slot: int) -> bool:
        return all(slot not in self.busy[jury] for jury in pitch.juries)

    def table_free(self, room: int, slot: int) -> bool:
        return self.load[room, slot] < self.tables[room]

    def place(self, pitch: Pitch, slot: int, room: int) -> None:
        self.spots[pitch.team] = (slot, room)
        self.load[room, slot] += 1
        for jury in pitch.juries:
            self.busy[jury].add(slot)
            self.rooms_of[jury].add(room)

    def placements_in_order(self, problem: Problem) -> tuple[Placement, ...]:
        keys = [room.key for room in problem.rooms]
        return tuple(
            Placement(pitch.team, self.spots[pitch.team][0], keys[self.spots[pitch.team][1]])
            for pitch in problem.pitches
        )
