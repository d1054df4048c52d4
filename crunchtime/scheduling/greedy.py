"""The baseline: each pitch, in the given order, takes the first free slot and room."""

from __future__ import annotations

import time

from crunchtime.scheduling.costs import available_slots, finished_schedule
from crunchtime.scheduling.diagnose import counting_reasons
from crunchtime.scheduling.problem import Infeasible, Problem, Reason, Schedule
from crunchtime.scheduling.state import Board


def greedy_schedule(problem: Problem) -> Schedule:
    """First free (slot, room) per pitch; locked pitches keep their place.

    Raises Infeasible with the counting reasons, or ``greedy_stuck`` (team) when
    first-fit fails on an instance counting cannot refute.
    """
    began = time.perf_counter()
    reasons = counting_reasons(problem)
    if reasons:
        raise Infeasible(reasons)
    board = Board(problem)
    available = available_slots(problem)
    for pitch in problem.pitches:
        if pitch.team in problem.locked:
            slot, room = problem.locked[pitch.team]
            board.place(pitch, slot, board.room_index[room])
    for pitch in problem.pitches:
        if pitch.team in problem.locked:
            continue
        spot = next(
            (
                (slot, room)
                for slot in available[pitch.team]
                if board.juries_free(pitch, slot)
                for room in range(len(problem.rooms))
                if board.table_free(room, slot)
            ),
            None,
        )
        if spot is None:
            raise Infeasible(
                [Reason("greedy_stuck", (pitch.team,), {"placed": len(board.placements)})]
            )
        board.place(pitch, *spot)
    placements = board.placements_in_order(problem)
    return finished_schedule(problem, placements, "feasible", began, time.perf_counter())
