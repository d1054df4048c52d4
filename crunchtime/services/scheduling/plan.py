"""Computing, changing and publishing a round's schedule. Each use case commits once, then
tells the room screens (an event naming the rooms only: the screens fetch what they show)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import JudgingRound, PitchSlot, RoundSchedule
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish_all
from crunchtime.realtime.rooms import ORGANIZERS, PUBLIC
from crunchtime.scheduling import Infeasible, Placement, Schedule, check_placements, solve_schedule
from crunchtime.services.audit import record_audit
from crunchtime.services.scheduling.instance import (
    RoundInstance,
    ScheduleRefused,
    build_instance,
    jury_key,
    key_id,
    room_key,
    round_slots,
    team_key,
)
from crunchtime.services.scheduling.setup import round_schedule
from crunchtime.services.scheduling.words import (
    affected_sentence,
    change_acknowledgement,
    clash_sentence,
    publish_acknowledgement,
)


def _saved_schedule(judging_round: JudgingRound) -> RoundSchedule:
    schedule = round_schedule(judging_round)
    if schedule.id is None:
        raise InvalidInput(_("Set the window of the schedule first."))
    return schedule


def announce(room_ids, round_id: int) -> None:
    """After the commit: the room screens of these rooms and the organisers refetch."""
    events = [("schedule", {"room": room_id}, PUBLIC) for room_id in sorted(set(room_ids))]
    events.append(("schedule", {"round": round_id}, ORGANIZERS))
    publish_all(events)


def figures_of(result: Schedule, seconds_label: str = "solver") -> dict:
    changes, idle = result.room_changes or {}, result.idle_minutes or {}
    gap = (abs(result.objective - result.bound) / abs(result.objective) * 100
           if result.objective else 0.0)
    return {
        "status": result.status, "objective": round(float(result.objective), 3),
        "bound": round(float(result.bound), 3), "gap_percent": round(gap, 2),
        "seconds": round(float(result.seconds), 2),
        "seconds_to_first": round(float(result.seconds_to_first), 2),
        "room_changes": {str(key_id(k)): v for k, v in changes.items()},
        "idle_minutes": {str(key_id(k)): v for k, v in idle.items()},
        "room_changes_total": sum(changes.values()),
        "room_changes_max": max(changes.values(), default=0),
        "idle_minutes_total": sum(idle.values()),
        "idle_minutes_max": max(idle.values(), default=0),
        "method": seconds_label,
    }


def _free_tables(instance: RoundInstance, keep: list[PitchSlot]) -> dict:
    """(room id, start) -> tables already taken there by the slots kept (any round)."""
    taken: dict[tuple[int, datetime], set[int]] = defaultdict(set)
    room_ids = [key_id(key) for key in instance.rooms]
    others = db.session.execute(
        sa.select(PitchSlot.room_id, PitchSlot.starts_at, PitchSlot.table_number,
                  PitchSlot.ends_at, PitchSlot.round_id)
        .where(PitchSlot.room_id.in_(room_ids),
               PitchSlot.round_id != instance.schedule.round_id))
    window = (instance.schedule.window_start, instance.schedule.window_end)
    for room_id, start, table, end, _round in others:
        if start < window[1] and window[0] < end:
            raise Conflict(_("Another round already uses the room “%(room)s” during this "
                             "window: choose another window or other rooms.",
                             room=instance.rooms[room_key(room_id)].name))
        taken[room_id, start].add(table)
    for slot in keep:
        taken[slot.room_id, slot.starts_at].add(slot.table_number)
    return taken


def _first_free(used: set[int], room) -> int:
    table = next(n for n in range(1, room.tables + 2) if n not in used)
    if table > room.tables:
        raise Conflict(_("The room “%(room)s” is full at that time.", room=room.name))
    return table


def write_placements(instance: RoundInstance, placements, keep: list[PitchSlot]) -> list[int]:
    """New slots for the placements of teams not in `keep`; the room ids touched."""
    taken = _free_tables(instance, keep)
    kept = {slot.team_id for slot in keep}
    touched = []
    for placement in sorted(placements, key=lambda p: (p.slot, p.room, p.team)):
        team_id = key_id(placement.team)
        if team_id in kept:
            continue
        slot, room = instance.slot_of(placement.slot), instance.rooms[placement.room]
        used = taken[room.id, slot.start]
        table = _first_free(used, room)
        used.add(table)
        db.session.add(PitchSlot(round_id=instance.schedule.round_id, room_id=room.id,
                                 table_number=table, starts_at=slot.start, ends_at=slot.end,
                                 team_id=team_id, locked=False, state="planned"))
        touched.append(room.id)
    return touched


def _solve(instance: RoundInstance) -> Schedule:
    try:
        return solve_schedule(instance.problem)
    except Infeasible as error:
        raise instance.refuse(error.reasons) from None


def compute_schedule(actor, judging_round: JudgingRound, *,
                     acknowledge: bool = False) -> RoundSchedule:
    """Place every unlocked team (the locked ones stay). The solver runs outside any database
    transaction, bounded by its time limit; a change made meanwhile voids the result."""
    schedule = _saved_schedule(judging_round)
    was_published = schedule.status == "published"
    if was_published and not acknowledge:
        raise Conflict(_("The schedule is published: computing it again takes it back to a "
                         "draft that juries and teams no longer see until you publish it "
                         "again. Tick the box to go ahead."), field="acknowledge")
    instance = build_instance(judging_round, schedule)
    schedule_id, version, round_id = schedule.id, schedule.version, judging_round.id
    db.session.rollback()  # end the read transaction: nothing is held while solving
    result = _solve(instance)
    schedule = db.session.get(RoundSchedule, schedule_id)
    judging_round = db.session.get(JudgingRound, round_id)
    if schedule is None or schedule.version != version:
        raise Conflict(_("The schedule changed while it was being computed: compute it "
                         "again."))
    instance = build_instance(judging_round, schedule)
    keep = [slot for slot in instance.slots if slot.locked]
    old_rooms = {slot.room_id for slot in instance.slots}
    for slot in instance.slots:
        if not slot.locked:
            db.session.delete(slot)
    db.session.flush()
    touched = write_placements(instance, result.placements, keep)
    schedule.figures = figures_of(result)
    schedule.computed_at = utcnow()
    schedule.status, schedule.published_at = "draft", None
    schedule.version += 1
    record_audit(actor, "scheduling.compute", schedule, edition_id=judging_round.edition_id,
                 round=judging_round.number, status=result.status, placed=len(touched),
                 locked=len(keep), was_published=was_published)
    db.session.commit()
    announce(old_rooms | set(touched) if was_published else [], round_id)
    return schedule


def publish_schedule(actor, judging_round: JudgingRound, *,
                     acknowledge: bool = False) -> RoundSchedule:
    """Juries and teams see their slots from now on; refused while a team has no slot or a
    slot breaks a rule (an unavailability added after the computation, say)."""
    schedule = _saved_schedule(judging_round)
    if schedule.status == "published":
        raise Conflict(_("The schedule is already published."))
    instance = build_instance(judging_round, schedule)
    placed = {slot.team_id for slot in instance.slots}
    missing = [team_key(team) for team in instance.teams if team not in placed]
    if missing:
        raise ScheduleRefused([_("These teams have no slot yet: %(teams)s. Compute the "
                                 "schedule again.", teams=", ".join(
                                     instance.names[t] for t in missing))])
    clashes = check_placements(instance.problem, instance.placements())
    if clashes or len(instance.placements()) != len(instance.slots):
        raise ScheduleRefused([clash_sentence(c.kind, tuple(c.people), instance.names)
                               for c in clashes] or [clash_sentence("out_of_window", (), {})])
    juries = {jury for team in placed for jury in instance.panels.get(team, ())}
    if not acknowledge:
        raise Conflict(publish_acknowledgement(len(placed), len(juries)), field="acknowledge")
    schedule.status, schedule.published_at = "published", utcnow()
    schedule.version += 1
    record_audit(actor, "scheduling.publish", schedule, edition_id=judging_round.edition_id,
                 round=judging_round.number, teams=len(placed), juries=len(juries))
    db.session.commit()
    announce({slot.room_id for slot in instance.slots}, judging_round.id)
    return schedule


def get_slot(judging_round: JudgingRound, slot_id: int) -> PitchSlot:
    slot = db.session.get(PitchSlot, slot_id)
    if slot is None or slot.round_id != judging_round.id:
        raise NotFound(_("This slot does not exist."))
    return slot


@dataclass(frozen=True)
class Affected:
    teams: list[str]
    juries: list[str]

    @property
    def sentence(self) -> str:
        return affected_sentence(self.teams, self.juries)


def affected_by(instance: RoundInstance, slots: list[PitchSlot]) -> Affected:
    teams = sorted({instance.names[team_key(slot.team_id)] for slot in slots})
    juries = sorted({instance.names.get(jury_key(jury), str(jury)) for slot in slots
                     for jury in instance.panels.get(slot.team_id, ())})
    return Affected(teams, juries)


def move_slot(actor, judging_round: JudgingRound, slot: PitchSlot, room_id: int,
              start: datetime, *, acknowledge: bool = False) -> Affected:
    """Move one pitch to another time or room, checked against every rule; a clash is
    refused and named. The moved slot is locked so that a new computation keeps it."""
    schedule = _saved_schedule(judging_round)
    instance = build_instance(judging_round, schedule)
    index = instance.index_of.get(start)
    if index is None:
        raise InvalidInput(_("Choose one of the slots of the window."), field="start")
    if room_key(room_id) not in instance.rooms:
        raise InvalidInput(_("Choose one of the rooms in use."), field="room")
    before = instance.placements()
    moved = Placement(team_key(slot.team_id), index, room_key(room_id))
    after = [p for p in before if p.team != moved.team] + [moved]
    problem = replace(instance.problem, locked={
        team: place for team, place in instance.problem.locked.items() if team != moved.team})
    old_clashes = set(check_placements(problem, before))
    new_clashes = [c for c in check_placements(problem, after) if c not in old_clashes]
    if new_clashes:
        raise ScheduleRefused([_("This move is refused.")] + [
            clash_sentence(c.kind, tuple(c.people), instance.names) for c in new_clashes])
    affected = affected_by(instance, [slot])
    if schedule.status == "published" and not acknowledge:
        raise Conflict(" ".join([affected.sentence, change_acknowledgement()]),
                       field="acknowledge")
    taken = _free_tables(instance, [s for s in instance.slots if s.id != slot.id])
    room, when = instance.rooms[moved.room], instance.slot_of(index)
    old_room = slot.room_id
    slot.table_number = _first_free(taken[room.id, when.start], room)
    slot.room_id, slot.starts_at, slot.ends_at = room.id, when.start, when.end
    slot.locked = True
    schedule.version += 1
    record_audit(actor, "scheduling.move", slot, edition_id=judging_round.edition_id,
                 round=judging_round.number, team=slot.team_id, room=room_id,
                 start=start.isoformat(), published=schedule.status == "published",
                 affected=affected.teams + affected.juries)
    db.session.commit()
    if schedule.status == "published":
        announce([old_room, room_id], judging_round.id)
    return affected


def set_slot_lock(actor, judging_round: JudgingRound, slot: PitchSlot, locked: bool) -> None:
    slot.locked = bool(locked)
    schedule = round_schedule(judging_round)
    if schedule.id is not None:
        schedule.version += 1
    record_audit(actor, "scheduling.lock", slot, edition_id=judging_round.edition_id,
                 team=slot.team_id, locked=slot.locked)
    db.session.commit()


def relocate_room_slots(judging_round: JudgingRound, room_id: int) -> tuple[Affected, list]:
    """In the caller's unit of work: the slots of this round in the room removed are placed
    again, every other slot staying where it is. Refused (nothing written) if impossible."""
    schedule = _saved_schedule(judging_round)
    instance = build_instance(judging_round, schedule, without_room=room_id, keep_all=True)
    leaving = [slot for slot in instance.slots if slot.room_id == room_id]
    affected = affected_by(instance, leaving)
    result = _solve(instance)
    keep = [slot for slot in instance.slots if slot.room_id != room_id]
    for slot in leaving:
        db.session.delete(slot)
    db.session.flush()
    touched = write_placements(instance, result.placements, keep)
    schedule.version += 1
    return affected, touched


def schedule_rooms(judging_round: JudgingRound) -> set[int]:
    return {slot.room_id for slot in round_slots(judging_round)}
