"""What organisers give before computing a schedule: the edition's rooms, a round's window,
slot length and breaks, and the juries' unavailabilities."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import (
    Edition,
    JudgingRound,
    JuryProfile,
    JuryUnavailability,
    PitchSlot,
    Room,
    RoundSchedule,
)
from crunchtime.models.scheduling import MAX_TABLES
from crunchtime.services.audit import record_audit

MAX_WINDOW = timedelta(hours=16)
_BREAK_LINE = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*[-–à]+\s*(\d{1,2})[:hH](\d{2})\s*$")


@dataclass(frozen=True)
class RoomInput:
    name: str
    site: str = ""
    capacity: int = 0
    tables: int = 1


def edition_rooms(edition: Edition, active_only: bool = False) -> list[Room]:
    query = sa.select(Room).where(Room.edition_id == edition.id)
    if active_only:
        query = query.where(Room.active.is_(True))
    return list(db.session.scalars(query.order_by(Room.site, Room.name, Room.id)))


def get_room(edition: Edition, room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or room.edition_id != edition.id:
        raise NotFound(_("This room does not exist."))
    return room


def _check_room(edition: Edition, data: RoomInput, room: Room | None = None) -> None:
    if not data.name.strip():
        raise InvalidInput(_("Give the room a name."), field="name")
    if not 1 <= data.tables <= MAX_TABLES:
        raise InvalidInput(_("Between 1 and %(max)d panel tables per room.", max=MAX_TABLES),
                           field="tables")
    if data.capacity < 0:
        raise InvalidInput(_("The capacity cannot be negative."), field="capacity")
    same = db.session.scalar(sa.select(Room.id).where(
        Room.edition_id == edition.id, Room.name == data.name.strip()))
    if same is not None and (room is None or same != room.id):
        raise Conflict(_("A room of this edition already has this name."), field="name")


def add_room(actor, edition: Edition, data: RoomInput) -> Room:
    _check_room(edition, data)
    room = Room(edition_id=edition.id, name=data.name.strip(), site=data.site.strip(),
                capacity=data.capacity, tables=data.tables, active=True)
    db.session.add(room)
    db.session.flush()
    record_audit(actor, "scheduling.room_add", room, edition_id=edition.id, name=room.name)
    db.session.commit()
    return room


def update_room(actor, edition: Edition, room: Room, data: RoomInput) -> Room:
    """Name, site and capacity change freely; fewer tables only if no slot uses the others."""
    _check_room(edition, data, room)
    used = db.session.scalar(sa.select(sa.func.max(PitchSlot.table_number))
                             .where(PitchSlot.room_id == room.id)) or 0
    if data.tables < used:
        raise Conflict(_("Slots already use table %(table)d of this room: move them before "
                         "removing tables.", table=used), field="tables")
    room.name, room.site = data.name.strip(), data.site.strip()
    room.capacity, room.tables = data.capacity, data.tables
    record_audit(actor, "scheduling.room_update", room, edition_id=edition.id, name=room.name,
                 tables=room.tables)
    db.session.commit()
    return room


def round_schedule(judging_round: JudgingRound) -> RoundSchedule:
    """The round's schedule row (a new one, not yet saved, when the round has none)."""
    schedule = db.session.scalar(sa.select(RoundSchedule)
                                 .where(RoundSchedule.round_id == judging_round.id))
    return schedule or RoundSchedule(round_id=judging_round.id, slot_minutes=20, breaks=[],
                                     status="draft", figures={}, version=0)


def parse_breaks(text: str, day: datetime) -> list[tuple[datetime, datetime]]:
    """"12:00-13:30" lines, in Paris time on the window's day → UTC periods."""
    local_day = day.astimezone(PARIS).date()
    periods = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _BREAK_LINE.match(line)
        if match is None:
            raise InvalidInput(_("Write each break as “12:00-13:30”, one per line."),
                               field="breaks")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise InvalidInput(_("“%(line)s” is not a time of day.", line=line.strip()),
                               field="breaks")
        start = datetime(local_day.year, local_day.month, local_day.day, h1, m1, tzinfo=PARIS)
        end = datetime(local_day.year, local_day.month, local_day.day, h2, m2, tzinfo=PARIS)
        if end <= start:
            raise InvalidInput(_("The break “%(line)s” ends before it starts.",
                                 line=line.strip()), field="breaks")
        periods.append((start.astimezone(UTC), end.astimezone(UTC)))
    return sorted(periods)


def breaks_of(schedule: RoundSchedule) -> list[tuple[datetime, datetime]]:
    return [(datetime.fromisoformat(start), datetime.fromisoformat(end))
            for start, end in (schedule.breaks or [])]


def breaks_text(schedule: RoundSchedule) -> str:
    return "\n".join(f"{start.astimezone(PARIS):%H:%M}-{end.astimezone(PARIS):%H:%M}"
                     for start, end in breaks_of(schedule))


def save_settings(actor, judging_round: JudgingRound, start: datetime, end: datetime,
                  slot_minutes: int, breaks_text_input: str) -> RoundSchedule:
    """The window, the slot length and the breaks. Slots already placed stay until the next
    computation, which places every unlocked team again."""
    if end <= start:
        raise InvalidInput(_("The window must end after it starts."), field="window_end")
    if end - start > MAX_WINDOW:
        raise InvalidInput(_("The window cannot last more than 16 hours."), field="window_end")
    if not 5 <= slot_minutes <= 240:
        raise InvalidInput(_("A slot lasts between 5 and 240 minutes."), field="slot_minutes")
    if timedelta(minutes=slot_minutes) > end - start:
        raise InvalidInput(_("The window is shorter than one slot."), field="slot_minutes")
    breaks = parse_breaks(breaks_text_input, start)
    for break_start, break_end in breaks:
        if break_end <= start or break_start >= end:
            raise InvalidInput(_("Each break must fall inside the window."), field="breaks")
    schedule = round_schedule(judging_round)
    schedule.window_start, schedule.window_end = start, end
    schedule.slot_minutes = slot_minutes
    schedule.breaks = [[s.isoformat(), e.isoformat()] for s, e in breaks]
    db.session.add(schedule)
    db.session.flush()
    record_audit(actor, "scheduling.settings", schedule, edition_id=judging_round.edition_id,
                 round=judging_round.number, start=start.isoformat(), end=end.isoformat(),
                 slot_minutes=slot_minutes, breaks=schedule.breaks)
    db.session.commit()
    return schedule


def round_unavailabilities(judging_round: JudgingRound) -> list[JuryUnavailability]:
    return list(db.session.scalars(
        sa.select(JuryUnavailability).where(JuryUnavailability.round_id == judging_round.id)
        .order_by(JuryUnavailability.starts_at, JuryUnavailability.id)))


def add_unavailability(actor, judging_round: JudgingRound, jury_id: int, start: datetime,
                       end: datetime, note: str = "") -> JuryUnavailability:
    jury = db.session.get(JuryProfile, jury_id)
    if jury is None or jury.edition_id != judging_round.edition_id:
        raise InvalidInput(_("Choose a jury of this edition."), field="jury")
    if end <= start:
        raise InvalidInput(_("The unavailability must end after it starts."), field="ends_at")
    period = JuryUnavailability(round_id=judging_round.id, jury_id=jury.id, starts_at=start,
                                ends_at=end, remark=note.strip()[:200])
    db.session.add(period)
    db.session.flush()
    record_audit(actor, "scheduling.unavailability_add", period,
                 edition_id=judging_round.edition_id, jury=jury.id, start=start.isoformat(),
                 end=end.isoformat())
    db.session.commit()
    return period


def remove_unavailability(actor, judging_round: JudgingRound, period_id: int) -> None:
    period = db.session.get(JuryUnavailability, period_id)
    if period is None or period.round_id != judging_round.id:
        raise NotFound(_("This unavailability does not exist."))
    record_audit(actor, "scheduling.unavailability_remove", period,
                 edition_id=judging_round.edition_id, jury=period.jury_id)
    db.session.delete(period)
    db.session.commit()
