"""A jury's nomination of a team for incubation: its own short rubric (1 to 5), kept apart
from the competition score."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import (
    Edition,
    IncubationNomination,
    JudgingRound,
    JuryAssignment,
    Team,
)
from crunchtime.services.accounts.jury_profiles import jury_profile
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.judging.ledger.turns import commit_with_retry, lock_jury

NOMINATION_FIELDS = ("commitment", "problem_validated", "feasibility", "impact")
RATING_MIN, RATING_MAX = 1, 5
COMMENT_MAX = 2000


def team_nomination(jury_id: int, team_id: int) -> IncubationNomination | None:
    return db.session.scalar(sa.select(IncubationNomination).where(
        IncubationNomination.jury_id == jury_id, IncubationNomination.team_id == team_id))


def _check_ratings(ratings: dict[str, int | None]) -> dict[str, int | None]:
    clean = {name: ratings.get(name) for name in NOMINATION_FIELDS}
    for name, value in clean.items():
        if value is not None and not RATING_MIN <= value <= RATING_MAX:
            raise InvalidInput(_("Each rating goes from %(low)d to %(high)d.",
                                 low=RATING_MIN, high=RATING_MAX), field=name)
    if all(value is None for value in clean.values()):
        raise InvalidInput(_("Rate at least one point of the nomination."))
    return clean


def save_nomination(user, team_id: int, ratings: dict[str, int | None], comment: str = "",
                    withdrawn: bool = False) -> IncubationNomination:
    """Nominate (or update, or withdraw) a team the jury scores in a round of this edition."""
    edition = require_current_edition()
    require_phase(edition, "score_project")
    profile = jury_profile(user, edition)
    clean = {} if withdrawn else _check_ratings(ratings)
    if len(comment or "") > COMMENT_MAX:
        raise InvalidInput(_("The comment is too long."), field="comment")

    def unit() -> IncubationNomination:
        lock_jury(profile.id)
        assigned = db.session.scalar(
            sa.select(JuryAssignment.id).join(JudgingRound)
            .where(JuryAssignment.jury_id == profile.id, JuryAssignment.team_id == team_id,
                   JudgingRound.edition_id == edition.id).limit(1))
        if assigned is None:
            raise Forbidden(_("You are not assigned to score this team in this round."))
        nomination = team_nomination(profile.id, team_id)
        if nomination is None:
            nomination = IncubationNomination(jury_id=profile.id, team_id=team_id)
            db.session.add(nomination)
        nomination.withdrawn = withdrawn
        if not withdrawn:
            for name, value in clean.items():
                setattr(nomination, name, value)
            nomination.comment = (comment or "").strip()
        db.session.flush()
        return nomination

    return commit_with_retry(unit)


@dataclass(frozen=True)
class NominationSummary:
    team_id: int
    nominations: int
    means: dict[str, float | None]


def nomination_summaries(edition: Edition) -> list[NominationSummary]:
    """Per nominated team: how many juries nominated it and the mean of each rating."""
    columns = [getattr(IncubationNomination, name) for name in NOMINATION_FIELDS]
    rows = db.session.execute(
        sa.select(IncubationNomination.team_id, sa.func.count(IncubationNomination.id),
                  *[sa.func.avg(column) for column in columns])
        .join(Team, Team.id == IncubationNomination.team_id)
        .where(Team.edition_id == edition.id, IncubationNomination.withdrawn.is_(False))
        .group_by(IncubationNomination.team_id)
    )
    return sorted(
        (NominationSummary(team_id, count, {
            name: None if mean is None else float(mean)
            for name, mean in zip(NOMINATION_FIELDS, means, strict=True)})
         for team_id, count, *means in rows),
        key=lambda summary: (-summary.nominations, summary.team_id))
