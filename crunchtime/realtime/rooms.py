"""Which live rooms a user may see: the server decides, clients never name a room."""

from __future__ import annotations

PUBLIC = "public"
ORGANIZERS = "organizers"
# Juries follow judging progress but never the provisional ranking: their own room gets the
# public board with the ranking left out, whatever the organisers show on the big screen.
JURIES = "juries"


def team_room(team_id: int) -> str:
    """The room of one team's members (submission saves, feedback on their stages)."""
    return f"team:{team_id}"


def challenge_room(challenge_id: int) -> str:
    """The room of a challenge's organisation: its teams on the live board."""
    return f"challenge:{challenge_id}"


def is_board_room(room: str) -> bool:
    """Rooms whose snapshot is a live board view (the others only replay their events)."""
    return room in (PUBLIC, ORGANIZERS, JURIES) or room.startswith("challenge:")


def _student_team_rooms(user) -> list[str]:
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.teams.space import team_of_student

    team = team_of_student(user, current_edition())
    return [team_room(team.id)] if team is not None else []


def _company_challenge_rooms(user) -> list[str]:
    import sqlalchemy as sa

    from crunchtime.extensions import db
    from crunchtime.models import Challenge
    from crunchtime.services.editions.current import current_edition

    edition = current_edition()
    if edition is None or user.organisation_id is None:
        return []
    ids = db.session.scalars(sa.select(Challenge.id).where(
        Challenge.edition_id == edition.id,
        Challenge.organisation_id == user.organisation_id).order_by(Challenge.code))
    return [challenge_room(challenge_id) for challenge_id in ids]


# --- Audience rooms (announcements; incubation & cockpit area) ---
def role_room(role: str) -> str:
    """Every signed-in account of one role: announcements to a role, or to everyone."""
    return f"role:{role}"
# --- end of audience rooms ---


def rooms_for(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return [PUBLIC]
    if user.role == "jury":
        return [JURIES, role_room("jury")]
    rooms = [PUBLIC, role_room(user.role)]
    if user.role == "organizer":
        rooms.append(ORGANIZERS)
    elif user.role == "student":
        rooms.extend(_student_team_rooms(user))
    elif user.role == "company":
        rooms.extend(_company_challenge_rooms(user))
    return rooms
