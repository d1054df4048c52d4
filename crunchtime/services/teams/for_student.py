"""A student's published team: teammates, challenge, and why they were placed there."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crunchtime.extensions import db
from crunchtime.models import MatchingRun, Membership, Placement, StudentProfile, Team, User
from crunchtime.services.matching.words import placement_explanation


@dataclass(frozen=True)
class StudentTeam:
    team: Team
    teammates: list[User]
    reason: str


def student_team(profile: StudentProfile) -> StudentTeam | None:
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.student_id == profile.id,
                                    Membership.edition_id == profile.edition_id)
        .options(selectinload(Membership.team).selectinload(Team.challenge)))
    if membership is None:
        return None
    team = membership.team
    teammates = list(db.session.scalars(
        sa.select(User).join(StudentProfile, StudentProfile.user_id == User.id)
        .join(Membership, Membership.student_id == StudentProfile.id)
        .where(Membership.team_id == team.id).order_by(User.last_name, User.first_name)))
    explanation = db.session.scalar(
        sa.select(Placement.explanation).join(MatchingRun, Placement.run_id == MatchingRun.id)
        .where(Placement.student_id == profile.id, MatchingRun.id == team.matching_run_id))
    reason = placement_explanation(json.loads(explanation)) if explanation else ""
    return StudentTeam(team, teammates, reason)
