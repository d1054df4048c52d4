"""Which live rooms a user may see: the server decides, clients never name a room."""

from __future__ import annotations

PUBLIC = "public"
ORGANIZERS = "organizers"


def team_room(team_id: int) -> str:
    """The room of one team's members (submission saves, feedback on their stages)."""
    return f"team:{team_id}"


def _student_team_rooms(user) -> list[str]:
    from crunchtime.services.editions import current_edition
    from crunchtime.services.teams import team_of_student

    team = team_of_student(user, current_edition())
    return [team_room(team.id)] if team is not None else []


def rooms_for(user) -> list[str]:
    rooms = [PUBLIC]
    if getattr(user, "is_authenticated", False) and user.role == "organizer":
        rooms.append(ORGANIZERS)
    if getattr(user, "is_authenticated", False) and user.role == "student":
        rooms.extend(_student_team_rooms(user))
    return rooms
