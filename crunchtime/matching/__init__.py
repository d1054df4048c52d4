"""The matching model: fit, exact optimal assignment, balanced teams, fairness metrics.

Pure: plain data in and out (dataclasses, NumPy); no Flask, no database models.
"""

from crunchtime.matching.eligibility import REASONS, Eligibility, missing_reason, sort_students
from crunchtime.matching.errors import MatchingInfeasible
from crunchtime.matching.inputs import (
    ChallengeInput,
    FitParameters,
    MatchingParameters,
    StudentInput,
)
from crunchtime.matching.pipeline import evaluate, run_matching
from crunchtime.matching.results import Explanation, MatchingResult, Placement, Team

__all__ = [
    "REASONS",
    "ChallengeInput",
    "Eligibility",
    "Explanation",
    "FitParameters",
    "MatchingInfeasible",
    "MatchingParameters",
    "MatchingResult",
    "Placement",
    "StudentInput",
    "Team",
    "evaluate",
    "missing_reason",
    "run_matching",
    "sort_students",
]
