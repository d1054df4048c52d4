"""The published schedule as people see it: a jury's pitches, a team's, a room's screen;
juries mark a pitch done or running late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, Forbidden, NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
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
from crunchtime.models.base import utcnow
from crunchtime.models.scheduling import SLOT_STATES
from crunchtime.services.audit import record_audit
from crunchtime.services.scheduling.instance import edition_jury_names, round_panels
from crunchtime.services.scheduling.plan import announce


@dataclass(frozen=True)
class PitchView:
    """One published pitch, with what a reader needs to find it."""

    id: int
    round_name: str
    starts_at: datetime
    ends_at: datetime
    room: str
    site: str
    room_id: int
    table: int
    tables: int
    team_code: str
    team_name: str
    challenge: str
    juries: tuple[str, ...]
    state: str


def _published(edition: Edition):
    return (sa.select(PitchSlot, Room, Team, Challenge, JudgingRound)
            .join(Room, Room.id == PitchSlot.room_id)
            .join(Team, Team.id == PitchSlot.team_id)
            .join(Challenge, Challenge.id == Team.challenge_id)
            .join(JudgingRound, JudgingRound.id == PitchSlot.round_id)
            .join(RoundSchedule, RoundSchedule.round_id == PitchSlot.round_id)
            .where(RoundSchedule.status == "published", JudgingRound.edition_id == edition.id)
            .order_by(PitchSlot.starts_at, Room.name, PitchSlot.table_number, PitchSlot.id))


def _views(rows, edition: Edition) -> list[PitchView]:
    names = edition_jury_names(edition.id)
    panels: dict[int, dict] = {}
    views = []
    for slot, room, team, challenge, judging_round in rows:
        if judging_round.id not in panels:
            panels[judging_round.id] = round_panels(judging_round)
        views.append(PitchView(
            id=slot.id, round_name=judging_round.name, starts_at=slot.starts_at,
            ends_at=slot.ends_at, room=room.name, site=room.site, room_id=room.id,
            table=slot.table_number, tables=room.tables, team_code=team.code,
            team_name=team.name or "", challenge=challenge.title,
            juries=tuple(names.get(j, "") for j in panels[judging_round.id].get(team.id, ())),
            state=slot.state))
    return views


def jury_pitches(user: User, edition: Edition | None) -> list[PitchView]:
    """The pitches a jury hears, in time order (published schedules only)."""
    if edition is None:
        return []
    profile = sa.select(JuryProfile.id).where(JuryProfile.user_id == user.id,
                                              JuryProfile.edition_id == edition.id)
    rows = db.session.execute(_published(edition).join(
        JuryAssignment, sa.and_(JuryAssignment.round_id == PitchSlot.round_id,
                                JuryAssignment.team_id == PitchSlot.team_id))
        .where(JuryAssignment.jury_id.in_(profile)))
    return _views(rows, edition)


def team_pitches(team: Team | None, edition: Edition | None) -> list[PitchView]:
    if team is None or edition is None:
        return []
    return _views(db.session.execute(_published(edition).where(PitchSlot.team_id == team.id)),
                  edition)


def room_pitches(room: Room, edition: Edition) -> list[PitchView]:
    return _views(db.session.execute(_published(edition).where(PitchSlot.room_id == room.id)),
                  edition)


@dataclass(frozen=True)
class RoomScreen:
    room: Room
    now: list[PitchView]  # one pitch per table at most
    next: list[PitchView]  # the pitches of the next start
    later: list[PitchView]
    refresh_at: datetime | None  # when the screen changes by the clock alone


def room_screen(room: Room, edition: Edition, now: datetime | None = None) -> RoomScreen:
    """What the screen at the door shows: the pitches under way (a late one stays until it
    is marked done) and the next ones."""
    now = now or utcnow()
    pending = [p for p in room_pitches(room, edition) if p.state != "done"]
    current = [p for p in pending if p.starts_at <= now and (p.ends_at > now or p.state == "late")]
    upcoming = [p for p in pending if p.starts_at > now]
    first = upcoming[0].starts_at if upcoming else None
    coming = [p for p in upcoming if p.starts_at == first]
    moments = [m for m in [first, *(p.ends_at for p in current)] if m is not None and m > now]
    return RoomScreen(room=room, now=current, next=coming, later=upcoming[len(coming):][:4],
                      refresh_at=min(moments, default=None))


def get_public_room(room_id: int, edition: Edition | None) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or edition is None or room.edition_id != edition.id:
        raise NotFound(_("This room does not exist."))
    return room


def mark_pitch(user: User, edition: Edition, slot_id: int, state: str) -> PitchSlot:
    """A jury of the pitch's panel says it is done or running late (or planned again)."""
    if state not in SLOT_STATES:
        raise Conflict(_("Unknown state of a pitch."))
    slot = db.session.get(PitchSlot, slot_id)
    if slot is None or not any(p.id == slot_id for p in jury_pitches(user, edition)):
        raise NotFound(_("This pitch is not one of yours."))
    profile = db.session.scalar(sa.select(JuryProfile.id).where(
        JuryProfile.user_id == user.id, JuryProfile.edition_id == edition.id))
    if profile is None:
        raise Forbidden(_("Only a jury of this pitch can mark it."))
    old = slot.state
    slot.state, slot.state_at = state, utcnow()
    schedule = db.session.scalar(sa.select(RoundSchedule)
                                 .where(RoundSchedule.round_id == slot.round_id))
    schedule.version += 1
    record_audit(user, "scheduling.pitch_state", slot, edition_id=edition.id, old=old,
                 new=state, team=slot.team_id)
    db.session.commit()
    announce([slot.room_id], slot.round_id)
    return slot
