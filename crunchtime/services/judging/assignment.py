"""Who scores whom: the round's juries assigned by `crunchtime.scoring` (balanced, then
gathered in few rooms), adjusted by hand, every change audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crunchtime.errors import Conflict as ConflictError
from crunchtime.errors import NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    ConflictOfInterest,
    Edition,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    Membership,
    Team,
    User,
)
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.scoring import AssignmentPlan, Conflict, Jury
from crunchtime.scoring import Team as TeamData
from crunchtime.scoring.eligibility import allowed_matrix
from crunchtime.scoring.rooms import assign_juries_in_few_rooms
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.services.judging.ledger.queries import cells_in_force
from crunchtime.services.judging.rounds import round_team_ids, sync_round_entries
from crunchtime.services.judging.words import translated_scoring_errors
from crunchtime.text import fold

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class AssignmentInputs:
    """The round as plain data for the algorithm; `kept` are the assigned pairs it must keep,
    `blocked` the assigned pairs that are now a conflict of interest (or left the round)."""

    juries: tuple[Jury, ...]
    teams: tuple[TeamData, ...]
    conflicts: tuple[Conflict, ...]
    kept: tuple[tuple[int, int], ...]
    blocked: tuple[tuple[int, int], ...]
    allowed: np.ndarray


@dataclass(frozen=True)
class AssignmentOutcome:
    plan: AssignmentPlan
    created: int
    removed: int
    blocked_scored: tuple[tuple[int, int], ...]


def tags_of(text: str) -> frozenset[str]:
    """Words of four letters or more, folded: how expertise meets a challenge's skills."""
    return frozenset(word for word in _WORD.findall(fold(text or "")) if len(word) >= 4)


def _juries(edition_id: int) -> tuple[Jury, ...]:
    rows = db.session.execute(
        sa.select(JuryProfile.id, User.organisation_id, JuryProfile.expertise)
        .join(User, User.id == JuryProfile.user_id)
        .where(JuryProfile.edition_id == edition_id, User.active.is_(True))
        .order_by(JuryProfile.id)
    )
    return tuple(Jury(id, organisation, tags_of(expertise)) for id, organisation, expertise in rows)


def _teams(team_ids: list[int]) -> tuple[TeamData, ...]:
    if not team_ids:
        return ()
    teams = db.session.scalars(
        sa.select(Team).where(Team.id.in_(team_ids))
        .options(selectinload(Team.challenge).selectinload(Challenge.skills))
    )
    students: dict[int, set[int]] = {}
    for team_id, student_id in db.session.execute(
        sa.select(Membership.team_id, Membership.student_id)
        .where(Membership.team_id.in_(team_ids))
    ):
        students.setdefault(team_id, set()).add(student_id)
    return tuple(
        TeamData(team.id, challenge=team.challenge_id,
                 organisation=team.challenge.organisation_id,
                 tags=tags_of(" ".join(skill.name for skill in team.challenge.skills)),
                 students=students.get(team.id, set()))
        for team in sorted(teams, key=lambda team: team.id)
    )


def _conflicts(edition_id: int) -> tuple[Conflict, ...]:
    rows = db.session.scalars(
        sa.select(ConflictOfInterest).join(JuryProfile)
        .where(JuryProfile.edition_id == edition_id)
    )
    target = {"team": "team_id", "organisation": "organisation_id", "student": "student_id"}
    return tuple(Conflict(row.jury_id, row.kind, getattr(row, target[row.kind])) for row in rows)


def assigned_pairs(judging_round: JudgingRound) -> list[tuple[int, int]]:
    return [tuple(pair) for pair in db.session.execute(
        sa.select(JuryAssignment.jury_id, JuryAssignment.team_id)
        .where(JuryAssignment.round_id == judging_round.id)
    )]


def assignment_inputs(judging_round: JudgingRound) -> AssignmentInputs:
    juries = _juries(judging_round.edition_id)
    teams = _teams(round_team_ids(judging_round))
    conflicts = _conflicts(judging_round.edition_id)
    final = judging_round.kind == "final"
    allowed = allowed_matrix(juries, teams, conflicts,
                             own_organisation_excluded=final and
                             judging_round.exclude_own_organisation)
    jury_index = {jury.id: i for i, jury in enumerate(juries)}
    team_index = {team.id: i for i, team in enumerate(teams)}
    kept, blocked = [], []
    for jury_id, team_id in assigned_pairs(judging_round):
        row, column = jury_index.get(jury_id), team_index.get(team_id)
        ok = row is not None and column is not None and allowed[row, column]
        (kept if ok else blocked).append((jury_id, team_id))
    return AssignmentInputs(juries, teams, conflicts, tuple(sorted(kept)),
                            tuple(sorted(blocked)), allowed)


def propose_assignment(judging_round: JudgingRound, seed: int = 0,
                       inputs: AssignmentInputs | None = None) -> AssignmentPlan:
    """The plan the algorithm would apply now (nothing written): balanced, then each jury's
    teams gathered in few challenges, so in few pitch rooms."""
    inputs = inputs or assignment_inputs(judging_round)
    with translated_scoring_errors():
        return assign_juries_in_few_rooms(
            inputs.juries, inputs.teams, k=judging_round.juries_per_team,
            conflicts=inputs.conflicts, round_kind=judging_round.kind,
            exclude_own_organisation=judging_round.exclude_own_organisation, seed=seed,
            existing=inputs.kept,
        )


def _require_assignable(judging_round: JudgingRound) -> None:
    require_phase(db.session.get(Edition, judging_round.edition_id), "assign_juries")
    if judging_round.status == "closed":
        raise ConflictError(_("This round is closed: reopen it to change its juries."))


def drop_blocked_pairs(actor, judging_round: JudgingRound, blocked
                       ) -> tuple[int, tuple[tuple[int, int], ...]]:
    """Delete the blocked pairs that hold no score; the scored ones wait for a retraction."""
    scored = {(jury, team) for jury, team, _criterion in cells_in_force(judging_round.id)}
    removed = 0
    for jury_id, team_id in blocked:
        if (jury_id, team_id) in scored:
            continue
        db.session.execute(sa.delete(JuryAssignment).where(
            JuryAssignment.round_id == judging_round.id, JuryAssignment.jury_id == jury_id,
            JuryAssignment.team_id == team_id))
        record_audit(actor, "judging.unassign", judging_round,
                     edition_id=judging_round.edition_id, jury=jury_id, team=team_id,
                     reason="conflict_of_interest")
        removed += 1
    return removed, tuple(pair for pair in blocked if pair in scored)


def apply_assignment(actor, judging_round: JudgingRound, seed: int = 0) -> AssignmentOutcome:
    """Complete the round's assignment (pairs already made stay) and record it in the audit."""
    _require_assignable(judging_round)
    sync_round_entries(judging_round)
    inputs = assignment_inputs(judging_round)
    if not inputs.juries:
        raise ConflictError(_("No jury in this edition yet: invite juries first."))
    if not inputs.teams:
        raise ConflictError(_("No team takes part in this round yet."))
    removed, blocked_scored = drop_blocked_pairs(actor, judging_round, inputs.blocked)
    plan = propose_assignment(judging_round, seed, inputs)
    new_pairs = sorted(set(plan.pairs) - set(inputs.kept) - set(blocked_scored))
    db.session.add_all(
        JuryAssignment(round_id=judging_round.id, jury_id=jury, team_id=team,
                       assigned_by_id=getattr(actor, "id", None))
        for jury, team in new_pairs
    )
    record_audit(actor, "judging.assign", judging_round, edition_id=judging_round.edition_id,
                 round=judging_round.number, seed=seed, method=plan.method,
                 created=[list(pair) for pair in new_pairs], kept=len(inputs.kept),
                 missing=plan.total_missing, unassignable=list(plan.unassignable_juries),
                 components=plan.components, load_spread=plan.load_spread)
    db.session.commit()
    publish("assignment", {"round": judging_round.id}, room=ORGANIZERS)
    return AssignmentOutcome(plan, len(new_pairs), removed, blocked_scored)


def add_assignment(actor, judging_round: JudgingRound, jury_id: int, team_id: int
                   ) -> JuryAssignment:
    """A pair made by hand: never a conflict of interest, never twice."""
    _require_assignable(judging_round)
    inputs = assignment_inputs(judging_round)
    juries = [jury.id for jury in inputs.juries]
    teams = [team.id for team in inputs.teams]
    if jury_id not in juries or team_id not in teams:
        raise NotFound(_("Choose a jury of this edition and a team of this round."))
    if not inputs.allowed[juries.index(jury_id), teams.index(team_id)]:
        raise ConflictError(_("This jury has a conflict of interest with this team."),
                            field="jury")
    if (jury_id, team_id) in set(inputs.kept) | set(inputs.blocked):
        raise ConflictError(_("This jury already scores this team."), field="jury")
    assignment = JuryAssignment(round_id=judging_round.id, jury_id=jury_id, team_id=team_id,
                                assigned_by_id=getattr(actor, "id", None))
    db.session.add(assignment)
    db.session.flush()
    record_audit(actor, "judging.assign_hand", assignment,
                 edition_id=judging_round.edition_id, round=judging_round.number,
                 jury=jury_id, team=team_id)
    db.session.commit()
    publish("assignment", {"round": judging_round.id}, room=ORGANIZERS)
    return assignment


def remove_assignment(actor, judging_round: JudgingRound, assignment_id: int) -> None:
    """Undo a pair by hand, unless its scores still count (retract them first)."""
    _require_assignable(judging_round)
    assignment = db.session.get(JuryAssignment, assignment_id)
    if assignment is None or assignment.round_id != judging_round.id:
        raise NotFound(_("This assignment does not exist."))
    pair = (assignment.jury_id, assignment.team_id)
    if any(cell[:2] == pair for cell in cells_in_force(judging_round.id)):
        raise ConflictError(_("This jury has scores on this team: retract them first."))
    record_audit(actor, "judging.unassign", assignment, edition_id=judging_round.edition_id,
                 round=judging_round.number, jury=pair[0], team=pair[1], reason="by_hand")
    db.session.delete(assignment)
    db.session.commit()
    publish("assignment", {"round": judging_round.id}, room=ORGANIZERS)
