"""Who an announcement reaches: the accounts (for e-mail) and the live rooms (for pages),
chosen by the server from the audience; an empty audience is refused with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Edition,
    JuryProfile,
    Membership,
    StudentProfile,
    Team,
    User,
)
from crunchtime.models.user import ROLES
from crunchtime.realtime.rooms import role_room, team_room


@dataclass(frozen=True)
class Audience:
    users: list[User]
    rooms: list[str]
    challenge_id: int | None = None
    team_id: int | None = None
    teams: list[int] = field(default_factory=list)


def _active(query):
    return list(db.session.scalars(query.where(User.active.is_(True)).order_by(User.id)))


def role_users(edition: Edition, role: str) -> list[User]:
    """The accounts of a role that take part in this edition (organisers: all of them)."""
    if role == "student":
        return _active(sa.select(User).join(StudentProfile, StudentProfile.user_id == User.id)
                       .where(StudentProfile.edition_id == edition.id,
                              StudentProfile.deleted_at.is_(None)))
    if role == "jury":
        return _active(sa.select(User).join(JuryProfile, JuryProfile.user_id == User.id)
                       .where(JuryProfile.edition_id == edition.id))
    if role == "company":
        hosts = sa.select(Challenge.organisation_id).where(Challenge.edition_id == edition.id)
        return _active(sa.select(User).where(User.role == "company",
                                             User.organisation_id.in_(hosts)))
    return _active(sa.select(User).where(User.role == "organizer"))


def _members(team_ids: list[int]) -> list[User]:
    if not team_ids:
        return []
    return _active(sa.select(User).join(StudentProfile, StudentProfile.user_id == User.id)
                   .join(Membership, Membership.student_id == StudentProfile.id)
                   .where(Membership.team_id.in_(team_ids)))


def _empty_role_message(role: str) -> str:
    return {
        "student": _("No student is registered in this edition yet: nobody would receive "
                     "this announcement."),
        "jury": _("No jury is registered for this edition yet: nobody would receive this "
                  "announcement."),
        "company": _("No partner organisation has a challenge in this edition yet: nobody "
                     "would receive this announcement."),
    }.get(role, _("Nobody would receive this announcement."))


def _challenge_audience(edition: Edition, challenge_id: int | None, strict: bool) -> Audience:
    challenge = db.session.get(Challenge, challenge_id) if challenge_id else None
    if challenge is None or challenge.edition_id != edition.id:
        raise InvalidInput(_("Choose a challenge of this edition."), field="challenge")
    teams = list(db.session.scalars(sa.select(Team.id).where(Team.challenge_id == challenge.id)))
    users = _members(teams)
    if strict and not users:
        raise InvalidInput(_("No team works on the challenge %(code)s yet: nobody would "
                             "receive this announcement.", code=challenge.code),
                           field="challenge")
    return Audience(users, [team_room(team) for team in teams], challenge_id=challenge.id,
                    teams=teams)


def _team_audience(edition: Edition, team_id: int | None, strict: bool) -> Audience:
    team = db.session.get(Team, team_id) if team_id else None
    if team is None or team.edition_id != edition.id:
        raise InvalidInput(_("Choose a team of this edition."), field="team")
    users = _members([team.id])
    if strict and not users:
        raise InvalidInput(_("The team %(code)s has no members: nobody would receive this "
                             "announcement.", code=team.code), field="team")
    return Audience(users, [team_room(team.id)], team_id=team.id, teams=[team.id])


def audience_of(edition: Edition, audience: str, role: str | None = None,
                challenge_id: int | None = None, team_id: int | None = None,
                strict: bool = True) -> Audience:
    """The accounts and rooms of an audience; `strict` refuses an empty one."""
    if audience == "challenge":
        return _challenge_audience(edition, challenge_id, strict)
    if audience == "team":
        return _team_audience(edition, team_id, strict)
    roles = list(ROLES) if audience == "everyone" else [role]
    users = [user for name in roles for user in role_users(edition, name)]
    if strict and not users:
        raise InvalidInput(_empty_role_message(role or ""), field="role")
    return Audience(users, [role_room(name) for name in roles])
