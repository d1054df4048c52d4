"""`crunchtime export schedule FILE`: the published pitches of the edition, one per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import (
    Edition,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    PitchSlot,
    Room,
    RoundSchedule,
    Team,
    User,
)

SCHEDULE_COLUMNS = ["round", "room", "start", "end", "team", "juries"]


def _panels(edition: Edition) -> dict[tuple[int, int], list[str]]:
    panels: dict[tuple[int, int], list[str]] = defaultdict(list)
    for round_id, team_id, email in db.session.execute(
            sa.select(JuryAssignment.round_id, JuryAssignment.team_id, User.email)
            .join(JuryProfile, JuryProfile.id == JuryAssignment.jury_id)
            .join(User, User.id == JuryProfile.user_id)
            .where(JuryProfile.edition_id == edition.id)
            .order_by(User.email)):
        panels[round_id, team_id].append(email)
    return panels


def schedule_rows(edition: Edition) -> Iterator[list]:
    """Published schedules only (a draft is not the schedule); times in Paris, ISO 8601."""
    panels = _panels(edition)
    rows = db.session.execute(
        sa.select(JudgingRound, Room.name, PitchSlot.starts_at, PitchSlot.ends_at,
                  PitchSlot.round_id, Team.id, Team.code)
        .join(PitchSlot, PitchSlot.round_id == JudgingRound.id)
        .join(RoundSchedule, RoundSchedule.round_id == JudgingRound.id)
        .join(Room, Room.id == PitchSlot.room_id)
        .join(Team, Team.id == PitchSlot.team_id)
        .where(JudgingRound.edition_id == edition.id, RoundSchedule.status == "published")
        .order_by(JudgingRound.number, PitchSlot.starts_at, Room.name, PitchSlot.table_number))
    for judging_round, room, start, end, round_id, team_id, code in rows:
        yield [judging_round.name, room, start.astimezone(PARIS).isoformat(timespec="minutes"),
               end.astimezone(PARIS).isoformat(timespec="minutes"), code,
               ";".join(panels.get((round_id, team_id), []))]
