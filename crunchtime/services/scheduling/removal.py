"""Taking a room out of service: its pitches move to the other rooms (every other slot stays
where it is), and the organiser is told first who is affected."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict
from crunchtime.extensions import db
from crunchtime.models import Edition, JudgingRound, PitchSlot, Room, Team
from crunchtime.services.audit import record_audit
from crunchtime.services.scheduling.instance import edition_jury_names, round_panels, team_label
from crunchtime.services.scheduling.plan import Affected, announce, relocate_room_slots
from crunchtime.services.scheduling.words import affected_sentence


def room_affected(room: Room) -> Affected:
    """The teams pitching in this room and their juries, every round together."""
    rows = db.session.execute(
        sa.select(PitchSlot.round_id, Team).join(Team, Team.id == PitchSlot.team_id)
        .where(PitchSlot.room_id == room.id).order_by(PitchSlot.round_id, Team.code)).all()
    names = edition_jury_names(room.edition_id)
    teams, juries = set(), set()
    panels_of: dict[int, dict] = {}
    for round_id, team in rows:
        if round_id not in panels_of:
            panels_of[round_id] = round_panels(db.session.get(JudgingRound, round_id))
        teams.add(team_label(team))
        juries.update(names.get(jury, str(jury)) for jury in panels_of[round_id].get(team.id, ()))
    return Affected(sorted(teams), sorted(juries))


def remove_room(actor, edition: Edition, room: Room, *, acknowledge: bool = False) -> Affected:
    """A room never used is deleted; one holding slots is taken out of service once the
    organiser confirmed, its pitches placed again in the other rooms — or nothing changes
    when they do not fit."""
    rounds = list(db.session.scalars(
        sa.select(JudgingRound).where(JudgingRound.id.in_(
            sa.select(PitchSlot.round_id).where(PitchSlot.room_id == room.id)))
        .order_by(JudgingRound.number)))
    if not rounds:
        record_audit(actor, "scheduling.room_remove", room, edition_id=edition.id,
                     name=room.name)
        db.session.delete(room)
        db.session.commit()
        return Affected([], [])
    affected = room_affected(room)
    if not acknowledge:
        raise Conflict(_("Pitches are planned in “%(room)s”: they will move to the other "
                         "rooms. %(affected)s Tick the box to go ahead.", room=room.name,
                         affected=affected_sentence(affected.teams, affected.juries)),
                       field="acknowledge")
    touched: dict[int, list[int]] = {}
    for judging_round in rounds:
        _affected, rooms = relocate_room_slots(judging_round, room.id)
        touched[judging_round.id] = rooms
    room.active = False
    record_audit(actor, "scheduling.room_remove", room, edition_id=edition.id, name=room.name,
                 affected=affected.teams + affected.juries)
    db.session.commit()
    for round_id, rooms in touched.items():
        announce([room.id, *rooms], round_id)
    return affected
