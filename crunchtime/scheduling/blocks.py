"""A good first schedule to start the exact solver from: panels as blocks.

Teams seen by the same set of juries (a panel) are placed as one block of
consecutive slots at one room, ordered by challenge, largest panels first at
the earliest start. Pitches that fit no block are placed one by one where they
cost least. Returns whatever it could place; the solver completes the rest.
"""

from __future__ import annotations

from collections import defaultdict

from crunchtime.scheduling.costs import (
    WEIGHT_IDLE_SLOT,
    WEIGHT_ROOM_CHANGE,
    WEIGHT_SPAN_SLOT,
    available_slots,
)
from crunchtime.scheduling.problem import Pitch, Problem
from crunchtime.scheduling.state import Board


def place_panels(problem: Problem) -> Board:
    """Place every pitch it can; locked pitches first, where they are locked."""
    board = Board(problem)
    available = available_slots(problem)
    for pitch in problem.pitches:
        if pitch.team in problem.locked:
            slot, room = problem.locked[pitch.team]
            if room in board.room_index:
                board.place(pitch, slot, board.room_index[room])
    leftovers: list[Pitch] = []
    for panel in _panels(problem):
        spot = _block_start(board, panel, available)
        if spot is None:
            leftovers.extend(panel)
            continue
        start, room = spot
        for offset, pitch in enumerate(panel):
            board.place(pitch, start + offset, room)
    for pitch in leftovers:
        spot = _cheapest_spot(board, pitch, available)
        if spot is not None:
            board.place(pitch, *spot)
    return board


def _panels(problem: Problem) -> list[list[Pitch]]:
    """Teams of the same jury set, joined with sets sharing most of their juries.

    Two jury sets sharing at least two juries (a panel where one seat changes
    hands) make one block while it fits in the day, so the juries who stay see
    all its teams in a row.
    """
    groups: dict[tuple[str, ...], list[Pitch]] = defaultdict(list)
    for pitch in problem.pitches:
        if pitch.team not in problem.locked:
            groups[tuple(sorted(set(pitch.juries)))].append(pitch)
    keys = sorted(groups, key=lambda key: (-len(groups[key]), key))
    parent = {key: key for key in keys}
    size = {key: len(groups[key]) for key in keys}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            ra, rb = root(a), root(b)
            shared = len(set(a) & set(b))
            if ra != rb and shared >= 2 and size[ra] + size[rb] <= len(problem.slots):
                parent[rb] = ra
                size[ra] += size[rb]
    clusters: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for key in keys:
        clusters[root(key)].append(key)
    blocks = []
    for members in clusters.values():
        members.sort(key=lambda key: (min(p.challenge for p in groups[key]), key))
        blocks.append([p for key in members for p in _by_challenge(groups[key])])
    return sorted(blocks, key=lambda block: (-len(block), block[0].team))


def _by_challenge(pitches: list[Pitch]) -> list[Pitch]:
    return sorted(pitches, key=lambda p: (p.challenge, p.team))


def _block_start(board: Board, panel: list[Pitch], available: dict[str, list[int]]):
    """Earliest (start, room) where the whole block fits in consecutive slots."""
    allowed = {pitch.team: set(available[pitch.team]) for pitch in panel}
    count = len(board.problem.slots)
    for start in range(count - len(panel) + 1):
        if not all(
            start + k in allowed[pitch.team] and board.juries_free(pitch, start + k)
            for k, pitch in enumerate(panel)
        ):
            continue
        slots = range(start, start + len(panel))
        for room in sorted(range(len(board.tables)), key=lambda r: -board.tables[r]):
            if all(board.table_free(room, s) for s in slots):
                return start, room
    return None


def _cheapest_spot(board: Board, pitch: Pitch, available: dict[str, list[int]]):
    """The free (slot, room) adding the least room changes, idle time and span."""
    best = None
    for slot in available[pitch.team]:
        if not board.juries_free(pitch, slot):
            continue
        for room in range(len(board.tables)):
            if not board.table_free(room, slot):
                continue
            cost = WEIGHT_SPAN_SLOT * slot
            for jury in pitch.juries:
                seen = board.busy[jury]
                if seen and room not in board.rooms_of[jury]:
                    cost += WEIGHT_ROOM_CHANGE
                if seen:
                    gap = min(abs(slot - s) for s in seen) - 1
                    cost += WEIGHT_IDLE_SLOT * gap
            if best is None or cost < best[0]:
                best = (cost, slot, room)
    return None if best is None else best[1:]
