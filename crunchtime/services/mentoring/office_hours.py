"""Mentors' office hours: a mentor publishes slots (never overlapping their own), a team books
a free one (never two at once for the team; a slot holds one team: a conditional UPDATE and
the database's indexes make sure of it), either side cancels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Edition, OfficeHour, Team, User
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import team_room
from crunchtime.services.mentoring.mentors import mentor_of, require_mentor

PLACE_MAX = 120
LONGEST = timedelta(hours=4)


@dataclass(frozen=True)
class SlotDraft:
    starts_at: datetime | None
    ends_at: datetime | None
    place: str


def _overlapping(query, starts_at: datetime, ends_at: datetime):
    return query.where(OfficeHour.starts_at < ends_at, OfficeHour.ends_at > starts_at)


def _check(draft: SlotDraft, moment: datetime) -> str:
    if draft.starts_at is None:
        raise InvalidInput(_("Give the start of the slot."), field="starts_at")
    if draft.ends_at is None:
        raise InvalidInput(_("Give the end of the slot."), field="ends_at")
    if draft.ends_at <= draft.starts_at:
        raise InvalidInput(_("The slot must end after it starts."), field="ends_at")
    if draft.ends_at - draft.starts_at > LONGEST:
        raise InvalidInput(_("A slot lasts at most four hours."), field="ends_at")
    if draft.starts_at < moment:
        raise InvalidInput(_("The slot must start in the future."), field="starts_at")
    place = " ".join((draft.place or "").split())
    if not place:
        raise InvalidInput(_("Say where the teams will find you."), field="place")
    if len(place) > PLACE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=PLACE_MAX), field="place")
    return place


def publish_office_hour(user: User, edition: Edition, draft: SlotDraft) -> OfficeHour:
    require_mentor(user, edition)
    place = _check(draft, utcnow())
    clash = db.session.scalar(_overlapping(
        sa.select(OfficeHour.id).where(OfficeHour.mentor_id == user.id),
        draft.starts_at, draft.ends_at).limit(1))
    if clash is not None:
        raise Conflict(_("This slot overlaps one of your office hours."), field="starts_at")
    slot = OfficeHour(edition_id=edition.id, mentor_id=user.id, starts_at=draft.starts_at,
                      ends_at=draft.ends_at, place=place)
    db.session.add(slot)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("This slot overlaps one of your office hours."),
                       field="starts_at") from None
    return slot


def _slot(slot_id: int, edition: Edition) -> OfficeHour:
    slot = db.session.get(OfficeHour, slot_id)
    if slot is None or slot.edition_id != edition.id:
        raise NotFound(_("This office hour does not exist."))
    return slot


def withdraw_office_hour(user: User, edition: Edition, slot_id: int) -> None:
    """The mentor (or an organiser) removes a slot; a team that had booked it is told."""
    slot = _slot(slot_id, edition)
    if slot.mentor_id != user.id and user.role != "organizer":
        raise Forbidden(_("Only the mentor who published this slot can withdraw it."))
    team_id = slot.team_id
    db.session.delete(slot)
    db.session.commit()
    if team_id is not None:
        publish("office_hour", {"id": slot_id, "change": "withdrawn"}, room=team_room(team_id))


def _may_book(team: Team, slot: OfficeHour, edition: Edition) -> bool:
    mentor = mentor_of(slot.mentor, edition)
    return mentor is not None and (mentor.challenge_ids is None
                                   or team.challenge_id in mentor.challenge_ids)


def _team_clash(team: Team, slot: OfficeHour) -> Conflict | None:
    clash = db.session.scalar(_overlapping(
        sa.select(OfficeHour.id).where(OfficeHour.team_id == team.id, OfficeHour.id != slot.id),
        slot.starts_at, slot.ends_at).limit(1))
    return Conflict(_("Your team has already booked another office hour at that time.")) \
        if clash is not None else None


def book_office_hour(team: Team, edition: Edition, slot_id: int) -> OfficeHour:
    slot = _slot(slot_id, edition)
    if not _may_book(team, slot, edition):
        raise NotFound(_("This office hour does not exist."))
    if slot.starts_at <= utcnow():
        raise Conflict(_("This office hour has already started."))
    if slot.team_id == team.id:
        return slot
    clash = _team_clash(team, slot)
    if clash is not None:
        raise clash
    try:
        won = db.session.execute(
            sa.update(OfficeHour).where(OfficeHour.id == slot.id, OfficeHour.team_id.is_(None))
            .values(team_id=team.id, booked_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount == 1
        db.session.commit()
    except IntegrityError:  # the team booked another slot at the same time meanwhile
        db.session.rollback()
        raise Conflict(_("Your team has already booked another office hour at that "
                         "time.")) from None
    db.session.refresh(slot)
    if not won:
        raise Conflict(_("Another team booked this office hour just before you."))
    return slot


def cancel_booking(team: Team, edition: Edition, slot_id: int) -> OfficeHour:
    slot = _slot(slot_id, edition)
    won = db.session.execute(
        sa.update(OfficeHour).where(OfficeHour.id == slot.id, OfficeHour.team_id == team.id)
        .values(team_id=None, booked_at=None)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    db.session.refresh(slot)
    if not won:
        raise Conflict(_("Your team has not booked this office hour."))
    return slot


def mentor_office_hours(user: User, edition: Edition) -> list[OfficeHour]:
    return list(db.session.scalars(sa.select(OfficeHour).where(
        OfficeHour.edition_id == edition.id, OfficeHour.mentor_id == user.id)
        .order_by(OfficeHour.starts_at, OfficeHour.id)))


@dataclass(frozen=True)
class TeamOfficeHours:
    booked: list[OfficeHour]
    free: list[OfficeHour]


def team_office_hours(team: Team, edition: Edition,
                      moment: datetime | None = None) -> TeamOfficeHours:
    """The team's bookings, and the free slots to come it may book."""
    moment = moment or utcnow()
    booked = list(db.session.scalars(sa.select(OfficeHour).where(
        OfficeHour.edition_id == edition.id, OfficeHour.team_id == team.id)
        .order_by(OfficeHour.starts_at, OfficeHour.id)))
    candidates = db.session.scalars(sa.select(OfficeHour).where(
        OfficeHour.edition_id == edition.id, OfficeHour.team_id.is_(None),
        OfficeHour.starts_at > moment).order_by(OfficeHour.starts_at, OfficeHour.id))
    mentors: dict[int, bool] = {}
    free = []
    for slot in candidates:
        if slot.mentor_id not in mentors:
            mentors[slot.mentor_id] = _may_book(team, slot, edition)
        if mentors[slot.mentor_id]:
            free.append(slot)
    return TeamOfficeHours(booked, free)
