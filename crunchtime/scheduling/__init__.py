"""Pitch-schedule solver: pure package (no Flask, no models, no database).

See :mod:`crunchtime.scheduling.problem` for the data types and
:mod:`crunchtime.scheduling.solver` for the model and its objective weights.
"""

from crunchtime.scheduling.check import check_placements
from crunchtime.scheduling.greedy import greedy_schedule
from crunchtime.scheduling.problem import (
    Clash,
    Infeasible,
    Pitch,
    Placement,
    Problem,
    Reason,
    Room,
    Schedule,
    Slot,
)
from crunchtime.scheduling.slots import build_slots
from crunchtime.scheduling.solver import solve_schedule

__all__ = [
    "Clash",
    "Infeasible",
    "Pitch",
    "Placement",
    "Problem",
    "Reason",
    "Room",
    "Schedule",
    "Slot",
    "build_slots",
    "check_placements",
    "greedy_schedule",
    "solve_schedule",
]
