"""Figures for the organisers' judging pages: per round, how far assignment and scoring went."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Edition, JudgingRound, JuryAssignment, RoundEntry, ScoreEvent


@dataclass(frozen=True)
class RoundCounts:
    teams: int = 0
    assignments: int = 0
    scored_assignments: int = 0
    events: int = 0


def _counts_by_round(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def round_counts(edition: Edition) -> dict[int, RoundCounts]:
    """Round id → its teams, assignments (all and fully scored) and ledger events."""
    in_edition = sa.select(JudgingRound.id).where(JudgingRound.edition_id == edition.id)
    teams = _counts_by_round(sa.select(RoundEntry.round_id, sa.func.count())
                             .where(RoundEntry.round_id.in_(in_edition))
                             .group_by(RoundEntry.round_id))
    assigned = _counts_by_round(sa.select(JuryAssignment.round_id, sa.func.count())
                                .where(JuryAssignment.round_id.in_(in_edition))
                                .group_by(JuryAssignment.round_id))
    scored = _counts_by_round(sa.select(JuryAssignment.round_id, sa.func.count())
                              .where(JuryAssignment.round_id.in_(in_edition),
                                     JuryAssignment.status == "scored")
                              .group_by(JuryAssignment.round_id))
    events = _counts_by_round(sa.select(ScoreEvent.round_id, sa.func.count())
                              .where(ScoreEvent.round_id.in_(in_edition))
                              .group_by(ScoreEvent.round_id))
    ids = set(teams) | set(assigned) | set(events)
    return {round_id: RoundCounts(teams.get(round_id, 0), assigned.get(round_id, 0),
                                  scored.get(round_id, 0), events.get(round_id, 0))
            for round_id in ids}
