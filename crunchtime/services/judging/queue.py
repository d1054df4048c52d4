"""What a jury sees: its queue (to score, scored, skipped as absent) and one team's sheet."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crunchtime.errors import Forbidden
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Criterion,
    IncubationNomination,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    Membership,
    ScoreEvent,
    StudentProfile,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
)
from crunchtime.services.judging.conflicts import has_declared_conflict
from crunchtime.services.judging.ledger.queries import in_force, ledger_events
from crunchtime.services.judging.ledger.writes import undoable_events
from crunchtime.services.judging.nominations import team_nomination
from crunchtime.services.judging.rounds import get_round


@dataclass(frozen=True)
class QueueItem:
    round_id: int
    round_name: str
    team_id: int
    team_code: str
    team_name: str
    challenge_title: str
    status: str
    scored: int
    criteria: int


@dataclass
class JuryQueue:
    to_score: list[QueueItem] = field(default_factory=list)
    scored: list[QueueItem] = field(default_factory=list)
    absent: list[QueueItem] = field(default_factory=list)
    open_rounds: int = 0


def _status(assignment_status: str, scored: int, criteria: int) -> str:
    if criteria and scored >= criteria:
        return "scored"
    return "absent" if assignment_status == "absent" and scored == 0 else "to_score"


def _round_items(profile: JuryProfile, judging_round: JudgingRound) -> list[QueueItem]:
    """The jury's teams in one round, by team code, each with its status from the ledger."""
    values = in_force(ledger_events(judging_round.id, jury_id=profile.id))
    rows = db.session.execute(
        sa.select(JuryAssignment.status, Team, Challenge.title)
        .join(Team, Team.id == JuryAssignment.team_id)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(JuryAssignment.round_id == judging_round.id,
               JuryAssignment.jury_id == profile.id)
        .order_by(Team.code))
    criteria = len(judging_round.criteria)
    items = []
    for assignment_status, team, title in rows:
        scored = sum(1 for cell in values if cell[1] == team.id)
        items.append(QueueItem(judging_round.id, judging_round.name, team.id, team.code,
                               team.display_name, title,
                               _status(assignment_status, scored, criteria), scored, criteria))
    return items


def jury_queue(profile: JuryProfile) -> JuryQueue:
    """The jury's teams in the open rounds; statuses come from its replayed ledger."""
    rounds = list(db.session.scalars(
        sa.select(JudgingRound).where(JudgingRound.edition_id == profile.edition_id,
                                      JudgingRound.status == "open")
        .options(selectinload(JudgingRound.criteria)).order_by(JudgingRound.number)))
    queue = JuryQueue(open_rounds=len(rounds))
    for judging_round in rounds:
        for item in _round_items(profile, judging_round):
            getattr(queue, item.status).append(item)
    return queue


@dataclass(frozen=True)
class RoundPlace:
    """Where a team stands in the jury's round: its position (1-based) among the jury's
    teams, how many there are, and the next one to score (None after the last)."""

    position: int
    total: int
    next_team: QueueItem | None


def round_place(profile: JuryProfile, judging_round: JudgingRound, team_id: int) -> RoundPlace:
    """The next team to score after `team_id`: the first unscored one after it in code order,
    then the ones skipped before it; absent teams and this one are left out."""
    items = _round_items(profile, judging_round)
    index = next((i for i, item in enumerate(items) if item.team_id == team_id), 0)
    after = [*items[index + 1:], *items[:index]]
    waiting = [item for item in after if item.status == "to_score"]
    return RoundPlace(index + 1, len(items), waiting[0] if waiting else None)


@dataclass(frozen=True)
class TeamSheet:
    """Everything a jury needs on one screen to score one team in one round."""

    judging_round: JudgingRound
    team: Team
    challenge: Challenge
    members: list[str]
    submission: SubmissionVersion | None
    files: list[SubmissionFile]
    criteria: list[Criterion]
    values: dict[int, float]
    event_ids: dict[int, str]
    comment: str
    status: str
    nomination: IncubationNomination | None
    undoable: list[ScoreEvent]
    conflict: bool = False  # declared after the pair was scored: no new score (ledger/writes.py)
    place: RoundPlace | None = None


def _members(team_id: int) -> list[str]:
    profiles = db.session.scalars(
        sa.select(StudentProfile).join(Membership, Membership.student_id == StudentProfile.id)
        .where(Membership.team_id == team_id).options(selectinload(StudentProfile.user)))
    return sorted(profile.user.full_name for profile in profiles)


def _submission(team_id: int) -> tuple[SubmissionVersion | None, list[SubmissionFile]]:
    """The team's current submission version and its files still on record."""
    submission = db.session.scalar(sa.select(Submission).where(Submission.team_id == team_id))
    if submission is None:
        return None, []
    version = db.session.scalar(
        sa.select(SubmissionVersion).where(SubmissionVersion.submission_id == submission.id)
        .order_by((SubmissionVersion.number == submission.version).desc(),
                  SubmissionVersion.number.desc()).limit(1))
    file_ids = list((version.file_ids if version is not None else None) or [])
    if not file_ids:
        return version, []
    files = {row.id: row for row in db.session.scalars(
        sa.select(SubmissionFile).where(SubmissionFile.id.in_(file_ids),
                                        SubmissionFile.deleted_at.is_(None)))}
    return version, [files[file_id] for file_id in file_ids if file_id in files]


def team_sheet(profile: JuryProfile, edition, round_id: int, team_id: int) -> TeamSheet:
    judging_round = get_round(edition, round_id)
    assignment = db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.round_id == round_id, JuryAssignment.jury_id == profile.id,
        JuryAssignment.team_id == team_id))
    if assignment is None:
        raise Forbidden(_("You are not assigned to score this team in this round."))
    team = db.session.get(Team, team_id)
    events = in_force(ledger_events(round_id, jury_id=profile.id, team_id=team_id))
    by_criterion = {cell[2]: event for cell, event in events.items()}
    latest = max(events.values(), key=lambda event: event.seq, default=None)
    comment = db.session.scalar(sa.select(ScoreEvent.comment)
                                .where(ScoreEvent.seq == latest.seq)) if latest else ""
    seqs = {event.seq: criterion for criterion, event in by_criterion.items()}
    ids = dict(db.session.execute(sa.select(ScoreEvent.seq, ScoreEvent.client_event_id)
                                  .where(ScoreEvent.seq.in_(seqs))).all())
    version, files = _submission(team_id)
    criteria = list(judging_round.criteria)
    return TeamSheet(
        judging_round=judging_round, team=team, challenge=team.challenge,
        members=_members(team_id), submission=version, files=files, criteria=criteria,
        values={criterion: event.value for criterion, event in by_criterion.items()},
        event_ids={seqs[seq]: event_id for seq, event_id in ids.items()},
        comment=comment or "",
        status=_status(assignment.status, len(by_criterion), len(criteria)),
        nomination=team_nomination(profile.id, team_id),
        undoable=undoable_events(profile.id, round_id, team_id),
        conflict=has_declared_conflict(profile.id, team_id),
        place=round_place(profile, judging_round, team_id),
    )
