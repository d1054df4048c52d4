"""Sessions attended, from the presence area: an attestation states "present at N of M
sessions" only where presence was recorded, and omits the line otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from crunchtime.models import Edition
from crunchtime.services.presence.attendance import attendance_of


@dataclass(frozen=True)
class Presence:
    present: int
    sessions: int


def presence_of(edition: Edition, user_ids: list[int]) -> dict[int, Presence]:
    """Each user's sessions present out of the edition's sessions; users without a recorded
    session are absent from the answer."""
    if not user_ids:
        return {}
    found = attendance_of(edition, user_ids=user_ids)
    return {user_id: Presence(int(row.present), int(row.sessions))
            for user_id, row in found.items() if row.sessions}
