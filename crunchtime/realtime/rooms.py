"""Which live rooms a user may see: the server decides, clients never name a room."""

from __future__ import annotations

PUBLIC = "public"
ORGANIZERS = "organizers"


def rooms_for(user) -> list[str]:
    rooms = [PUBLIC]
    if getattr(user, "is_authenticated", False) and user.role == "organizer":
        rooms.append(ORGANIZERS)
    return rooms
