"""A round as the solver sees it (crunchtime/scheduling): its pitches, rooms, slots, the
juries' unavailabilities and the locked slots, with the names its sentences need.

Ids given to the solver carry a prefix ("t12" a team, "j7" a jury, "r3" a room) so that one
`names` mapping serves them all."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import (
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    JuryUnavailability,
    PitchSlot,
    Room,
    RoundEntry,
    RoundSchedule,
    Team,
    User,
)
from crunchtime.scheduling import Pitch, Placement, Problem, Reason, build_slots
from crunchtime.scheduling import Room as SolverRoom
from crunchtime.scheduling import Slot as SolverSlot
from crunchtime.services.scheduling.setup import breaks_of
from crunchtime.services.scheduling.words import reason_sentence

DEFAULT_TIME_LIMIT = 30.0


def team_key(team_id: int) -> str:
    return f"t{team_id}"


def jury_key(jury_id: int) -> str:
    return f"j{jury_id}"


def room_key(room_id: int) -> str:
    return f"r{room_id}"


def key_id(key: str) -> int:
    return int(key[1:])


class ScheduleRefused(Conflict):
    """No schedule (or no such change) is possible; `details["reasons"]` holds one sentence
    per rule broken, naming the people concerned."""

    def __init__(self, sentences: list[str], **details):
        super().__init__(" ".join(sentences), reasons=list(sentences), **details)


@dataclass
class RoundInstance:
    problem: Problem
    schedule: RoundSchedule
    index_of: dict[datetime, int]
    rooms: dict[str, Room]
    teams: dict[int, Team]
    panels: dict[int, tuple[int, ...]]
    slots: list[PitchSlot] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        return self.problem.names

    def slot_of(self, index: int) -> SolverSlot:
        return self.problem.slots[index]

    def placements(self, slots: list[PitchSlot] | None = None) -> list[Placement]:
        """The slots (default: all of the round) as placements; off-grid ones are left out."""
        placed = []
        for slot in self.slots if slots is None else slots:
            index = self.index_of.get(slot.starts_at)
            if index is not None:
                placed.append(Placement(team_key(slot.team_id), index, room_key(slot.room_id)))
        return placed

    def refuse(self, reasons: list[Reason]) -> ScheduleRefused:
        return ScheduleRefused([reason_sentence(r.constraint, tuple(r.people), r.detail or {},
                                                self.names) for r in reasons])


def time_limit() -> float:
    return float(current_app.config.get("SCHEDULE_TIME_LIMIT_SECONDS", DEFAULT_TIME_LIMIT))


def round_slots(judging_round: JudgingRound) -> list[PitchSlot]:
    return list(db.session.scalars(
        sa.select(PitchSlot).where(PitchSlot.round_id == judging_round.id)
        .order_by(PitchSlot.starts_at, PitchSlot.room_id, PitchSlot.table_number)))


def round_teams(judging_round: JudgingRound) -> dict[int, Team]:
    """The teams of the round: those entered and those with a jury assigned."""
    entered = sa.select(RoundEntry.team_id).where(RoundEntry.round_id == judging_round.id)
    assigned = sa.select(JuryAssignment.team_id).where(
        JuryAssignment.round_id == judging_round.id)
    teams = db.session.scalars(sa.select(Team).where(
        sa.or_(Team.id.in_(entered), Team.id.in_(assigned))).order_by(Team.code, Team.id))
    return {team.id: team for team in teams}


def round_panels(judging_round: JudgingRound) -> dict[int, tuple[int, ...]]:
    panels: dict[int, list[int]] = defaultdict(list)
    for team_id, jury_id in db.session.execute(
            sa.select(JuryAssignment.team_id, JuryAssignment.jury_id)
            .where(JuryAssignment.round_id == judging_round.id)
            .order_by(JuryAssignment.team_id, JuryAssignment.jury_id)):
        panels[team_id].append(jury_id)
    return {team: tuple(juries) for team, juries in panels.items()}


def edition_jury_names(edition_id: int) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(JuryProfile.id, User.first_name, User.last_name, User.email)
        .join(User, User.id == JuryProfile.user_id).where(JuryProfile.edition_id == edition_id))
    return {jury: f"{first or ''} {last or ''}".strip() or email
            for jury, first, last, email in rows}


def team_label(team: Team) -> str:
    return f"{team.code} {team.name}" if team.name else team.code


def _unavailable(judging_round: JudgingRound, slots) -> dict[str, frozenset[int]]:
    taken: dict[str, set[int]] = defaultdict(set)
    for period in db.session.scalars(sa.select(JuryUnavailability).where(
            JuryUnavailability.round_id == judging_round.id)):
        for slot in slots:
            if slot.start < period.ends_at and period.starts_at < slot.end:
                taken[jury_key(period.jury_id)].add(slot.index)
    return {jury: frozenset(indexes) for jury, indexes in taken.items()}


def build_instance(judging_round: JudgingRound, schedule: RoundSchedule, *,
                   without_room: int | None = None, keep_all: bool = False) -> RoundInstance:
    """The solver's problem for this round. `without_room`: that room is gone and its slots
    must move; `keep_all`: every other slot stays where it is (locked)."""
    if schedule.id is None or schedule.window_start is None or schedule.window_end is None:
        raise InvalidInput(_("Set the window of the schedule first."))
    rooms = {room_key(room.id): room for room in db.session.scalars(
        sa.select(Room).where(Room.edition_id == judging_round.edition_id,
                              Room.active.is_(True)).order_by(Room.site, Room.name, Room.id))
             if room.id != without_room}
    if not rooms:
        raise InvalidInput(_("Add at least one room first."))
    slots = build_slots(schedule.window_start, schedule.window_end, schedule.slot_minutes,
                        breaks_of(schedule))
    if not slots:
        raise InvalidInput(_("The window holds no slot once the breaks are taken out."))
    teams, panels = round_teams(judging_round), round_panels(judging_round)
    names = {jury_key(j): name for j, name in edition_jury_names(judging_round.edition_id).items()}
    names.update({team_key(t.id): team_label(t) for t in teams.values()})
    names.update({key: room.name for key, room in rooms.items()})
    instance = RoundInstance(
        problem=Problem(pitches=(), rooms=(), slots=tuple(slots)), schedule=schedule,
        index_of={slot.start: slot.index for slot in slots}, rooms=rooms, teams=teams,
        panels=panels, slots=round_slots(judging_round))
    instance.problem = Problem(pitches=(), rooms=(), slots=tuple(slots), names=names)
    if not teams:
        raise InvalidInput(_("No team takes part in this round yet: assign its juries first."))
    unjudged = [team_key(t) for t in teams if not panels.get(t)]
    if unjudged:
        raise instance.refuse([Reason("no_jury", tuple(unjudged), {})])
    locked, off_grid = {}, []
    for slot in instance.slots:
        if not (slot.locked or keep_all) or slot.room_id == without_room:
            continue
        index = instance.index_of.get(slot.starts_at)
        if index is None or room_key(slot.room_id) not in rooms:
            off_grid.append(team_key(slot.team_id))
        else:
            locked[team_key(slot.team_id)] = (index, room_key(slot.room_id))
    if off_grid:
        raise instance.refuse([Reason("locked_off_grid", tuple(off_grid), {})])
    instance.problem = Problem(
        pitches=tuple(Pitch(team=team_key(team.id), challenge=f"c{team.challenge_id}",
                            juries=tuple(jury_key(j) for j in panels[team.id]),
                            label=team.code) for team in teams.values()),
        rooms=tuple(SolverRoom(key=key, name=room.name, tables=room.tables)
                    for key, room in rooms.items()),
        slots=tuple(slots), unavailable=_unavailable(judging_round, slots), locked=locked,
        names=names, time_limit_seconds=time_limit())
    return instance
