"""Read one edition's incubation signals from the database, as plain `TeamSignals`:
round 1's raw and calibrated rankings, the juries' nominations, partners' interest marks,
each team's declared wish to continue and its current submission (a constant number of
queries, whatever the number of teams)."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.errors import DomainError
from crunchtime.extensions import db
from crunchtime.incubation import TeamSignals
from crunchtime.models import (
    Edition,
    Interest,
    JudgingRound,
    JuryAssignment,
    Organisation,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
)
from crunchtime.services.judging.nominations import nomination_summaries
from crunchtime.services.judging.rankings import round_rankings
from crunchtime.services.judging.rounds import first_round
from crunchtime.services.teams.continuation import split_plan

TEXT_PARTS = ("title", "pitch", "problem", "solution", "prototype", "user_tests")
ORIGINALITY_PARTS = ("title", "pitch", "problem", "solution", "prototype")
PARTS_TOTAL = len(TEXT_PARTS) + 3  # + links, files, handed in


def _estimates(edition: Edition) -> dict[int, dict[str, tuple]]:
    """Team → {"raw": (estimate,), "calibrated": (estimate, low, high)} from round 1."""
    judging_round = first_round(edition)
    if judging_round is None:
        return {}
    try:
        rankings = round_rankings(judging_round, estimators=["raw", "calibrated"], draws=0)
    except DomainError:
        return {}
    found: dict[int, dict[str, tuple]] = {}
    for name in ("raw", "calibrated"):
        for row in rankings.rankings[name].standings:
            if row.scored:
                found.setdefault(row.team, {})[name] = (row.estimate, row.ci_low, row.ci_high)
    return found


def _juries(edition: Edition) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(JuryAssignment.team_id, sa.func.count(sa.distinct(JuryAssignment.jury_id)))
        .join(JudgingRound, JudgingRound.id == JuryAssignment.round_id)
        .where(JudgingRound.edition_id == edition.id)
        .group_by(JuryAssignment.team_id)).all())


def _interests(edition: Edition) -> dict[int, tuple[str, ...]]:
    names: dict[int, list[str]] = {}
    rows = db.session.execute(
        sa.select(Interest.team_id, Organisation.name)
        .join(Organisation, Organisation.id == Interest.organisation_id)
        .join(Team, Team.id == Interest.team_id)
        .where(Team.edition_id == edition.id).order_by(Organisation.name))
    for team_id, name in rows:
        names.setdefault(team_id, []).append(name)
    return {team_id: tuple(found) for team_id, found in names.items()}


def _live_file_ids(edition: Edition) -> set[int]:
    return set(db.session.scalars(
        sa.select(SubmissionFile.id).join(Submission).join(Team)
        .where(Team.edition_id == edition.id, SubmissionFile.deleted_at.is_(None))))


def _team_rows(edition: Edition):
    current = sa.and_(SubmissionVersion.submission_id == Submission.id,
                      SubmissionVersion.number == Submission.version)
    return db.session.execute(
        sa.select(Team, Submission.submitted_at, SubmissionVersion)
        .outerjoin(Submission, Submission.team_id == Team.id)
        .outerjoin(SubmissionVersion, current)
        .where(Team.edition_id == edition.id).order_by(Team.code)).all()


def _deliverables(version: SubmissionVersion | None, submitted: bool,
                  live_files: set[int]) -> tuple[str, int]:
    """(the project's text for originality, how many deliverable parts are filled)."""
    if version is None:
        return "", int(submitted)
    texts = {name: (getattr(version, name) or "").strip() for name in TEXT_PARTS}
    done = sum(bool(text) for text in texts.values())
    done += bool(version.links) + bool(set(version.file_ids or []) & live_files) + submitted
    return "\n".join(texts[name] for name in ORIGINALITY_PARTS if texts[name]), done


def edition_signals(edition: Edition) -> list[TeamSignals]:
    """Every team of the edition with its signals, by team code."""
    estimates, juries = _estimates(edition), _juries(edition)
    nominations = {s.team_id: s for s in nomination_summaries(edition)}
    interests, live_files = _interests(edition), _live_file_ids(edition)
    signals = []
    for team, submitted_at, version in _team_rows(edition):
        text, done = _deliverables(version, submitted_at is not None, live_files)
        estimate = estimates.get(team.id, {})
        calibrated = estimate.get("calibrated", (None, None, None))
        nominated = nominations.get(team.id)
        who, plan = split_plan(team.continuation_plan)
        signals.append(TeamSignals(
            team_id=team.id, code=team.code, challenge_id=team.challenge_id,
            raw_score=estimate.get("raw", (None,))[0], calibrated_score=calibrated[0],
            score_low=calibrated[1], score_high=calibrated[2],
            juries=juries.get(team.id, 0),
            nominations=nominated.nominations if nominated else 0,
            nomination_means=nominated.means if nominated else {},
            interested=interests.get(team.id, ()), wants_to_continue=team.wants_to_continue,
            continuation_who=who, has_plan=bool(plan), text=text, parts_done=done,
            parts_total=PARTS_TOTAL))
    return signals

