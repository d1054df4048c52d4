"""Jury scoring algorithms, pure (plain data in and out, no Flask, no database):
jury assignment, ledger replay, and the three rankings."""

from crunchtime.scoring.assignment import (
    AssignmentError,
    AssignmentPlan,
    Conflict,
    Jury,
    Team,
    assign_juries,
)
from crunchtime.scoring.ledger import LedgerError, LedgerEvent, current_scores
from crunchtime.scoring.ranking import (
    ESTIMATORS,
    CriterionScale,
    Ranking,
    RankingError,
    TeamStanding,
    rank_teams,
)

__all__ = [
    "ESTIMATORS",
    "AssignmentError",
    "AssignmentPlan",
    "Conflict",
    "CriterionScale",
    "Jury",
    "LedgerError",
    "LedgerEvent",
    "Ranking",
    "RankingError",
    "Team",
    "TeamStanding",
    "assign_juries",
    "current_scores",
    "rank_teams",
]
