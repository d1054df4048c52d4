"""A team as its members see it: who is in it, what it works on, what it is told, and
the one thing members change about the team itself: its name (each member's agreement to
the public gallery is in services/submissions/gallery.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Announcement,
    Challenge,
    Edition,
    Membership,
    Programme,
    StudentProfile,
    Team,
    User,
)
from crunchtime.services.audit import record_audit
from crunchtime.teamwork import naming


@dataclass(frozen=True)
class Teammate:
    user_id: int
    first_name: str
    last_name: str
    email: str
    programme: str


def team_of_student(user: User, edition: Edition | None) -> Team | None:
    """The student's team in this edition, if the matching has placed them."""
    if edition is None or user.role != "student":
        return None
    return db.session.scalar(
        sa.select(Team)
        .join(Membership, Membership.team_id == Team.id)
        .join(StudentProfile, Membership.student_id == StudentProfile.id)
        .where(StudentProfile.user_id == user.id, Membership.edition_id == edition.id)
    )


def is_member(user: User, team: Team) -> bool:
    return user.role == "student" and db.session.scalar(
        sa.select(Membership.id)
        .join(StudentProfile, Membership.student_id == StudentProfile.id)
        .where(Membership.team_id == team.id, StudentProfile.user_id == user.id)
    ) is not None


def load_team(team_id: int) -> Team:
    team = db.session.scalar(
        sa.select(Team).options(joinedload(Team.challenge).joinedload(Challenge.organisation))
        .where(Team.id == team_id))
    if team is None:
        raise NotFound(_("This team does not exist."))
    return team


def team_for_member(user: User, team_id: int) -> Team:
    """The team if `user` is one of its members: 404 when unknown, 403 for anyone else."""
    team = load_team(team_id)
    if not is_member(user, team):
        raise Forbidden(_("Only the members of this team can do this."))
    return team


def teammates(team: Team) -> list[Teammate]:
    rows = db.session.execute(
        sa.select(User.id, User.first_name, User.last_name, User.email, Programme.name)
        .join(StudentProfile, StudentProfile.user_id == User.id)
        .join(Membership, Membership.student_id == StudentProfile.id)
        .outerjoin(Programme, StudentProfile.programme_id == Programme.id)
        .where(Membership.team_id == team.id)
        .order_by(User.last_name, User.first_name)
    )
    return [Teammate(row[0], row[1], row[2], row[3], row[4] or "") for row in rows]


def team_announcements(team: Team, moment: datetime) -> list[Announcement]:
    """Published announcements meant for this team: to everyone, to students, to its
    challenge's teams or to it alone; newest first."""
    audience = sa.or_(
        Announcement.audience == "everyone",
        sa.and_(Announcement.audience == "role", Announcement.audience_role == "student"),
        sa.and_(Announcement.audience == "challenge",
                Announcement.challenge_id == team.challenge_id),
        sa.and_(Announcement.audience == "team", Announcement.team_id == team.id),
    )
    return list(db.session.scalars(
        sa.select(Announcement)
        .where(Announcement.edition_id == team.edition_id, audience,
               Announcement.published_at.is_not(None), Announcement.published_at <= moment)
        .order_by(Announcement.published_at.desc()).limit(20)
    ))


def team_name_message(reason: str) -> str:
    return {
        naming.EMPTY: _("Enter a name for the team."),
        naming.TOO_SHORT: _("The team name must have at least %(n)d characters.",
                            n=naming.MIN_LENGTH),
        naming.TOO_LONG: _("The team name must have at most %(n)d characters.",
                           n=naming.MAX_LENGTH),
        naming.MODERATED: _("This name contains a word we cannot display. Please choose "
                            "another name; thank you for understanding."),
    }[reason]


def rename_team(user: User, team_id: int, raw_name: str) -> Team:
    """Any member may rename the team; the name is unique in the edition."""
    team = team_for_member(user, team_id)
    try:
        name = naming.clean_team_name(raw_name)
    except naming.BadTeamName as error:
        raise InvalidInput(team_name_message(error.reason), field="name") from error
    taken = _("Another team of this edition already has this name.")
    if db.session.scalar(sa.select(Team.id).where(
            Team.edition_id == team.edition_id, sa.func.lower(Team.name) == name.lower(),
            Team.id != team.id)):
        raise Conflict(taken, field="name")
    previous = team.name
    team.name = name
    record_audit(user, "team.rename", team, edition_id=team.edition_id, code=team.code,
                 previous=previous, name=name)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(taken, field="name") from error
    return team
