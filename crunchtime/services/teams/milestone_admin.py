"""Organisers' side of the design-thinking stages: which teams are behind, per challenge,
and the edition's stages themselves (due time, expected deliverable)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, Milestone, MilestoneProgress, Team, User
from crunchtime.models.milestone import DELIVERABLE_KINDS
from crunchtime.services.audit import record_audit
from crunchtime.services.submissions.deadlines import now
from crunchtime.services.teams.milestones import (
    add_default_milestones,
    edition_stage,
    ensure_default_milestones,
)
from crunchtime.teamwork.status import STAGE_BEHIND, stage_state
from crunchtime.text import fold

LABEL_MAX = 120
EXPECTED_MAX = 2000


@dataclass(frozen=True)
class TeamStages:
    team: Team
    challenge: Challenge
    states: list[str]

    @property
    def behind(self) -> int:
        return self.states.count(STAGE_BEHIND)


def stage_grid(edition: Edition, challenge_id: int | None = None,
               moment: datetime | None = None) -> tuple[list[Milestone], list[TeamStages]]:
    """Each team's state at each stage (two queries), teams most behind first."""
    moment = moment or now()
    stages = ensure_default_milestones(edition)
    statement = (sa.select(Team, Challenge).join(Challenge, Team.challenge_id == Challenge.id)
                 .where(Team.edition_id == edition.id))
    if challenge_id:
        statement = statement.where(Team.challenge_id == challenge_id)
    teams = db.session.execute(statement.order_by(Challenge.code, Team.code)).all()
    done = {(row.team_id, row.milestone_id): row.completed_at for row in db.session.execute(
        sa.select(MilestoneProgress.team_id, MilestoneProgress.milestone_id,
                  MilestoneProgress.completed_at)
        .join(Team, MilestoneProgress.team_id == Team.id)
        .where(Team.edition_id == edition.id))}
    rows = [TeamStages(team, challenge, [
        stage_state(stage.due_at, done.get((team.id, stage.id)), moment) for stage in stages])
        for team, challenge in teams]
    rows.sort(key=lambda row: -row.behind)
    return stages, rows


@dataclass(frozen=True)
class StageFields:
    label_fr: str
    label_en: str
    expected: str
    deliverable_kind: str
    due_at: datetime | None
    position: int


def _checked(fields: StageFields) -> StageFields:
    if not fields.label_fr.strip():
        raise InvalidInput(_("Give the stage a name."), field="label_fr")
    if len(fields.label_fr) > LABEL_MAX or len(fields.label_en) > LABEL_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=LABEL_MAX), field="label_fr")
    if len(fields.expected) > EXPECTED_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=EXPECTED_MAX), field="expected")
    if fields.deliverable_kind not in DELIVERABLE_KINDS:
        raise InvalidInput(_("Choose the kind of deliverable."), field="deliverable_kind")
    return fields


def _apply(milestone: Milestone, fields: StageFields) -> None:
    milestone.label_fr = fields.label_fr.strip()
    milestone.label_en = fields.label_en.strip()
    milestone.expected = fields.expected.strip()
    milestone.deliverable_kind = fields.deliverable_kind
    milestone.due_at = fields.due_at
    milestone.position = fields.position


def update_stage(actor: User, edition: Edition, milestone_id: int,
                 fields: StageFields) -> Milestone:
    milestone = edition_stage(edition.id, milestone_id)
    _apply(milestone, _checked(fields))
    record_audit(actor, "milestone.update", milestone, edition_id=edition.id,
                 key=milestone.key, due_at=fields.due_at.isoformat() if fields.due_at else None)
    db.session.commit()
    return milestone


def _new_key(edition: Edition, label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(label)).strip("_")[:24] or "stage"
    taken = set(db.session.scalars(sa.select(Milestone.key).where(
        Milestone.edition_id == edition.id)))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def add_stage(actor: User, edition: Edition, fields: StageFields) -> Milestone:
    add_default_milestones(edition)  # the new stage comes after the defaults, in one commit
    milestone = Milestone(edition_id=edition.id, key=_new_key(edition, fields.label_fr))
    _apply(milestone, _checked(fields))
    db.session.add(milestone)
    db.session.flush()
    record_audit(actor, "milestone.add", milestone, edition_id=edition.id, key=milestone.key)
    db.session.commit()
    return milestone


def delete_stage(actor: User, edition: Edition, milestone_id: int) -> None:
    """Only a stage no team has started can go: progress and feedback are kept."""
    milestone = edition_stage(edition.id, milestone_id)
    if db.session.scalar(sa.select(MilestoneProgress.id).where(
            MilestoneProgress.milestone_id == milestone.id).limit(1)):
        raise Conflict(_("Teams have already worked on this stage: it can no longer be "
                         "removed. Change it instead."))
    record_audit(actor, "milestone.delete", milestone, edition_id=edition.id,
                 key=milestone.key)
    db.session.delete(milestone)
    db.session.commit()
