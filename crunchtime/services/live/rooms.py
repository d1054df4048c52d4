"""Who joins which live room: the server decides from the account, never the client."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Challenge
from crunchtime.realtime.rooms import (
    JURIES,
    ORGANIZERS,
    PUBLIC,
    challenge_room,
    role_room,
    team_room,
)
from crunchtime.services.editions.current import current_edition
from crunchtime.services.mentoring.mentors import mentor_rooms
from crunchtime.services.teams.space import team_of_student


def rooms_for(user) -> list[str]:
    """The rooms of a connection: the public board, the role's, and the team's or the
    organisation's challenges'."""
    if not getattr(user, "is_authenticated", False):
        return [PUBLIC]
    if user.role == "jury":
        return [JURIES, role_room("jury"), *mentor_rooms(user, current_edition())]
    rooms = [PUBLIC, role_room(user.role)]
    if user.role == "organizer":
        rooms.append(ORGANIZERS)
    elif user.role == "student":
        rooms.extend(_student_team_rooms(user))
    elif user.role == "company":
        rooms.extend(_company_challenge_rooms(user))
    if user.role in ("company", "organizer"):  # mentors' queue (services/mentoring)
        rooms.extend(mentor_rooms(user, current_edition()))
    return rooms


def _student_team_rooms(user) -> list[str]:
    team = team_of_student(user, current_edition())
    return [team_room(team.id)] if team is not None else []


def _company_challenge_rooms(user) -> list[str]:
    edition = current_edition()
    if edition is None or user.organisation_id is None:
        return []
    ids = db.session.scalars(sa.select(Challenge.id).where(
        Challenge.edition_id == edition.id,
        Challenge.organisation_id == user.organisation_id).order_by(Challenge.code))
    return [challenge_room(challenge_id) for challenge_id in ids]
