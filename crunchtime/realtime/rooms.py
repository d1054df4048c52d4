"""The names of the live rooms. Who joins which is decided by the server
(crunchtime/services/live/rooms.py); clients never name a room."""

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


def role_room(role: str) -> str:
    """Every signed-in account of one role: announcements to a role, or to everyone."""
    return f"role:{role}"


def mentors_room(challenge_id: int | None = None) -> str:
    """The mentors' queue: every request (staff and juries who mentor), or one challenge's
    teams' requests (its organisation's contacts)."""
    return "mentors" if challenge_id is None else f"mentors:{challenge_id}"
