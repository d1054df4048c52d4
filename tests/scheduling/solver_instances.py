"""Small scheduling problems for the solver's tests (plain data, no app)."""

from __future__ import annotations

from datetime import datetime, timedelta

from crunchtime.scheduling import Pitch, Problem, Room, build_slots

MORNING = datetime(2026, 12, 18, 9, 0)


def slots(count: int, minutes: int = 20):
    return build_slots(MORNING, MORNING + timedelta(minutes=minutes * count), minutes, [])


def problem(pitches, rooms=(("R1", 1),), slot_count=4, **options) -> Problem:
    """pitches: (team, challenge, juries...) tuples; rooms: (key, tables) pairs."""
    options.setdefault("time_limit_seconds", 10.0)
    options.setdefault("relative_gap", 0.0)
    return Problem(
        pitches=tuple(
            Pitch(team, challenge, tuple(juries)) for team, challenge, *juries in pitches
        ),
        rooms=tuple(Room(key, f"Salle {key}", tables) for key, tables in rooms),
        slots=slots(slot_count),
        **options,
    )


def two_panels() -> Problem:
    """Two panels of three juries, four teams each over two challenges, two rooms."""
    pitches = []
    for panel, juries in enumerate((("A", "B", "C"), ("D", "E", "F"))):
        for k in range(4):
            pitches.append((f"T{panel}{k}", f"C{panel}{k % 2}", *juries))
    return problem(pitches, rooms=(("R1", 1), ("R2", 1)), slot_count=5)
