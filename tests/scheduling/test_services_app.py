"""The schedule's use cases: compute, refuse with named reasons, move, lock, publish,
remove a room, mark a pitch; nothing half-written when refused."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import JuryAssignment, PitchSlot, Room
from crunchtime.services.scheduling import plan as plan_service
from crunchtime.services.scheduling import removal, setup
from crunchtime.services.scheduling.instance import ScheduleRefused
from crunchtime.services.scheduling.pitches import (
    jury_pitches,
    mark_pitch,
    room_screen,
    team_pitches,
)
from tests.judging.conftest import profile_of
from tests.scheduling.app_world import jury_name, paris, plan_fixture  # noqa: F401


def panels(world) -> dict[int, set[int]]:
    juries = defaultdict(set)
    for row in db.session.scalars(db.select(JuryAssignment)):
        juries[row.team_id].add(row.jury_id)
    return juries


def test_compute_places_every_team_once_without_double_booking(plan):
    schedule = plan.compute()
    slots = plan.slots()
    assert sorted(s.team_id for s in slots) == sorted(t.id for t in plan.teams)
    assert schedule.status == "draft" and schedule.figures["status"] in ("optimal", "feasible")
    per_room = Counter((s.room_id, s.starts_at) for s in slots)
    assert max(per_room.values()) == 1
    juries = panels(plan)
    busy = Counter((jury, s.starts_at) for s in slots for jury in juries[s.team_id])
    assert max(busy.values()) == 1
    assert all(paris(9) <= s.starts_at < s.ends_at <= paris(11) for s in slots)


def test_more_teams_than_places_is_refused_with_the_figures(plan):
    setup.save_settings(plan.organizer, plan.round, paris(9), paris(9, 40), 20, "")
    with pytest.raises(ScheduleRefused) as refusal:
        plan.compute()
    assert "6" in refusal.value.message and "4" in refusal.value.message
    db.session.rollback()
    assert plan.slots() == []


def test_a_jury_unavailable_for_the_whole_window_is_named(plan):
    setup.add_unavailability(
        plan.organizer, plan.round, profile_of(plan.juries[2]).id, paris(8), paris(12)
    )
    with pytest.raises(ScheduleRefused) as refusal:
        plan.compute()
    assert jury_name(plan.juries[2]) in refusal.value.message
    db.session.rollback()
    assert plan.slots() == []


def test_a_round_without_rooms_or_window_is_refused(plan):
    for room in plan.rooms:
        room.active = False
    db.session.commit()
    with pytest.raises(InvalidInput):
        plan.compute()


def test_a_move_that_makes_a_jury_be_in_two_places_is_refused_and_named(plan):
    plan.compute()
    first, second = plan.slot_of(plan.teams[0]), plan.slot_of(plan.teams[1])
    before = (second.room_id, second.starts_at)
    other_room = next(r.id for r in plan.rooms if r.id != first.room_id)
    with pytest.raises(ScheduleRefused) as refusal:
        plan_service.move_slot(plan.organizer, plan.round, second, other_room, first.starts_at)
    assert jury_name(plan.juries[0]) in refusal.value.message
    db.session.rollback()
    again = plan.slot_of(plan.teams[1])
    assert (again.room_id, again.starts_at) == before


def test_a_valid_move_is_locked_and_kept_by_the_next_computation(plan):
    setup.save_settings(plan.organizer, plan.round, paris(9), paris(12), 20, "")
    plan.compute()
    slot = plan.slot_of(plan.teams[5])
    taken = {(s.room_id, s.starts_at) for s in plan.slots()}
    juries = panels(plan)[plan.teams[5].id]
    busy = {s.starts_at for s in plan.slots() if juries & panels(plan)[s.team_id]}
    target = next(
        (room.id, start)
        for start in sorted({s.starts_at for s in plan.slots()} | {paris(11, 40)})
        for room in plan.rooms
        if (room.id, start) not in taken and start not in busy
    )
    plan_service.move_slot(plan.organizer, plan.round, slot, *target)
    moved = plan.slot_of(plan.teams[5])
    assert (moved.room_id, moved.starts_at, moved.locked) == (*target, True)
    plan.compute()
    kept = plan.slot_of(plan.teams[5])
    assert (kept.room_id, kept.starts_at) == target


def test_publishing_needs_the_acknowledgement_then_people_see_their_pitches(plan):
    plan.compute()
    with pytest.raises(Conflict) as refusal:
        plan_service.publish_schedule(plan.organizer, plan.round)
    assert refusal.value.details["field"] == "acknowledge"
    assert jury_pitches(plan.juries[0], plan.edition) == []
    plan.publish()
    mine = jury_pitches(plan.juries[0], plan.edition)
    assert sorted(p.team_code for p in mine) == sorted(t.code for t in plan.teams[:3])
    ours = team_pitches(plan.teams[0], plan.edition)
    assert len(ours) == 1 and set(ours[0].juries) == {
        jury_name(plan.juries[0]),
        jury_name(plan.juries[2]),
    }


def test_publishing_refuses_a_slot_that_an_unavailability_now_forbids(plan):
    plan.compute()
    slot = plan.slot_of(plan.teams[3])
    setup.add_unavailability(
        plan.organizer, plan.round, profile_of(plan.juries[1]).id, slot.starts_at, slot.ends_at
    )
    with pytest.raises(ScheduleRefused) as refusal:
        plan.publish()
    assert jury_name(plan.juries[1]) in refusal.value.message
    db.session.rollback()
    assert setup.round_schedule(plan.round).status == "draft"


def test_removing_a_used_room_warns_who_is_affected_then_moves_its_pitches(plan):
    setup.save_settings(plan.organizer, plan.round, paris(9), paris(12), 20, "")
    plan.compute()
    plan.publish()
    used = {s.room_id for s in plan.slots()}
    room, other = sorted(plan.rooms, key=lambda r: r.id not in used)
    affected_teams = {s.team_id for s in plan.slots() if s.room_id == room.id}
    with pytest.raises(Conflict) as warning:
        removal.remove_room(plan.organizer, plan.edition, room)
    some = next(t for t in plan.teams if t.id in affected_teams)
    assert some.code in warning.value.message
    db.session.rollback()
    removal.remove_room(plan.organizer, plan.edition, room, acknowledge=True)
    slots = plan.slots()
    assert len(slots) == 6 and {s.room_id for s in slots} == {other.id}
    assert db.session.get(Room, room.id).active is False
    assert setup.round_schedule(plan.round).status == "published"


def test_removing_a_room_whose_pitches_fit_nowhere_else_changes_nothing(plan):
    setup.save_settings(plan.organizer, plan.round, paris(9), paris(10), 20, "")
    plan.compute()
    plan.publish()
    before = [(s.team_id, s.room_id, s.starts_at) for s in plan.slots()]
    assert {s.room_id for s in plan.slots()} == {r.id for r in plan.rooms}  # 6 in 6 places
    with pytest.raises(ScheduleRefused) as refusal:
        removal.remove_room(plan.organizer, plan.edition, plan.rooms[0], acknowledge=True)
    assert "6" in refusal.value.message
    db.session.rollback()
    assert [(s.team_id, s.room_id, s.starts_at) for s in plan.slots()] == before
    assert db.session.get(Room, plan.rooms[0].id).active is True


def test_an_unused_room_is_deleted(plan):
    spare = setup.add_room(plan.organizer, plan.edition, setup.RoomInput("C 001", "Belfort"))
    removal.remove_room(plan.organizer, plan.edition, spare)
    assert db.session.get(Room, spare.id) is None


def test_a_jury_marks_its_pitch_done_and_the_room_screen_moves_on(plan):
    plan.compute()
    plan.publish()
    slot = plan.slot_of(plan.teams[0])
    during = slot.starts_at.replace(minute=slot.starts_at.minute + 5)
    room = db.session.get(Room, slot.room_id)
    screen = room_screen(room, plan.edition, now=during)
    assert [p.id for p in screen.now] == [slot.id]
    mark_pitch(plan.juries[0], plan.edition, slot.id, "done")
    assert db.session.get(PitchSlot, slot.id).state == "done"
    screen = room_screen(room, plan.edition, now=during)
    assert slot.id not in [p.id for p in screen.now]


def test_a_late_pitch_stays_on_the_screen_after_its_end(plan):
    plan.compute()
    plan.publish()
    slot = plan.slot_of(plan.teams[3])
    mark_pitch(plan.juries[1], plan.edition, slot.id, "late")
    room = db.session.get(Room, slot.room_id)
    after = slot.ends_at.replace(second=30)
    assert slot.id in [p.id for p in room_screen(room, plan.edition, now=after).now]


def test_a_jury_cannot_mark_a_pitch_it_does_not_hear(plan):
    plan.compute()
    plan.publish()
    slot = plan.slot_of(plan.teams[4])
    with pytest.raises(NotFound):
        mark_pitch(plan.juries[0], plan.edition, slot.id, "done")
    assert db.session.get(PitchSlot, slot.id).state == "planned"


def test_the_database_refuses_two_slots_for_one_team(plan):
    plan.compute()
    slot = plan.slot_of(plan.teams[0])
    db.session.add(
        PitchSlot(
            round_id=plan.round.id,
            room_id=slot.room_id,
            table_number=1,
            starts_at=paris(13),
            ends_at=paris(13, 20),
            team_id=slot.team_id,
        )
    )
    with pytest.raises(Exception, match=r"(?i)unique"):
        db.session.commit()
    db.session.rollback()


def test_the_demo_edition_at_judging_has_a_published_schedule(app, db):
    from crunchtime.models import RoundSchedule

    result = app.test_cli_runner().invoke(
        args=["demo", "--students", "60", "--seed", "4", "--stage", "judging"])
    assert result.exit_code == 0, result.output
    schedule = db.session.scalar(db.select(RoundSchedule))
    assert schedule.status == "published"
    slots = db.session.scalars(db.select(PitchSlot)).all()
    assert len(slots) == len({slot.team_id for slot in slots}) > 0
    sites = {room.site for room in db.session.scalars(db.select(Room))}
    assert sites == {"Belfort", "Sevenans", "Montbéliard"}


def test_computing_a_published_schedule_again_needs_the_acknowledgement(plan):
    plan.compute()
    plan.publish()
    before = [(s.team_id, s.room_id, s.starts_at) for s in plan.slots()]
    with pytest.raises(Conflict) as refusal:
        plan.compute()
    assert refusal.value.details["field"] == "acknowledge"
    db.session.rollback()
    assert [(s.team_id, s.room_id, s.starts_at) for s in plan.slots()] == before
    schedule = plan_service.compute_schedule(plan.organizer, plan.round, acknowledge=True)
    assert schedule.status == "draft" and schedule.published_at is None
    assert jury_pitches(plan.juries[0], plan.edition) == []
