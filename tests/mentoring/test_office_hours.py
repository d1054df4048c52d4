"""Office hours: a mentor's slots never overlap, a slot holds one team, a team never holds
two slots at once; either side cancels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import OfficeHour
from crunchtime.models.base import utcnow
from crunchtime.services.mentoring import office_hours as hours
from crunchtime.services.mentoring.office_hours import SlotDraft


def slot(user, world, start_hours: float, length_minutes: int = 30, place: str = "Salle A"):
    start = utcnow().replace(microsecond=0) + timedelta(hours=start_hours)
    return hours.publish_office_hour(user, world.edition, SlotDraft(
        start, start + timedelta(minutes=length_minutes), place))


def test_a_mentor_cannot_publish_overlapping_slots(world):
    first = slot(world.organizer, world, 2)
    with pytest.raises(Conflict):
        slot(world.organizer, world, 2.25)
    after = slot(world.organizer, world, 2.5)  # back to back is fine
    slot(world.jury_mentor, world, 2)  # another mentor at the same time is fine
    assert [s.id for s in hours.mentor_office_hours(world.organizer, world.edition)] == \
        [first.id, after.id]


def test_bad_slots_are_refused(world):
    start = utcnow() + timedelta(hours=1)
    for draft, field in ((SlotDraft(start, start - timedelta(minutes=5), "A"), "ends_at"),
                         (SlotDraft(start, start + timedelta(hours=5), "A"), "ends_at"),
                         (SlotDraft(start - timedelta(hours=2), start, "A"), "starts_at"),
                         (SlotDraft(start, start + timedelta(minutes=30), " "), "place"),
                         (SlotDraft(None, start, "A"), "starts_at")):
        with pytest.raises(InvalidInput) as refused:
            hours.publish_office_hour(world.organizer, world.edition, draft)
        assert refused.value.details["field"] == field
    with pytest.raises(Forbidden):  # a jury not marked as a mentor
        hours.publish_office_hour(world.jury, world.edition,
                                  SlotDraft(start, start + timedelta(minutes=30), "A"))


def test_a_slot_holds_one_team(world):
    offered = slot(world.organizer, world, 3)
    booked = hours.book_office_hour(world.teams[0], world.edition, offered.id)
    assert booked.team_id == world.teams[0].id and booked.booked_at is not None
    with pytest.raises(Conflict) as refused:
        hours.book_office_hour(world.teams[1], world.edition, offered.id)
    assert refused.value.status == 409
    db.session.refresh(offered)
    assert offered.team_id == world.teams[0].id


def test_a_team_cannot_book_two_slots_at_once(world):
    first = slot(world.organizer, world, 3)
    overlapping = slot(world.jury_mentor, world, 3.25)
    later = slot(world.jury_mentor, world, 4)
    hours.book_office_hour(world.teams[0], world.edition, first.id)
    with pytest.raises(Conflict):
        hours.book_office_hour(world.teams[0], world.edition, overlapping.id)
    hours.book_office_hour(world.teams[0], world.edition, later.id)
    booked = hours.team_office_hours(world.teams[0], world.edition).booked
    assert [s.id for s in booked] == [first.id, later.id]


def test_the_database_refuses_a_team_booked_twice_at_the_same_start(world):
    one, two = slot(world.organizer, world, 3), slot(world.jury_mentor, world, 3)
    hours.book_office_hour(world.teams[0], world.edition, one.id)
    two.team_id = world.teams[0].id
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(OfficeHour(edition_id=world.edition.id, mentor_id=world.organizer.id,
                              starts_at=one.starts_at, ends_at=one.ends_at, place="B"))
    with pytest.raises(IntegrityError):  # one mentor, one slot at a time
        db.session.commit()
    db.session.rollback()


def test_a_team_cancels_its_booking_and_the_slot_is_free_again(world):
    offered = slot(world.organizer, world, 3)
    hours.book_office_hour(world.teams[0], world.edition, offered.id)
    with pytest.raises(Conflict):
        hours.cancel_booking(world.teams[1], world.edition, offered.id)
    hours.cancel_booking(world.teams[0], world.edition, offered.id)
    assert [s.id for s in hours.team_office_hours(world.teams[1], world.edition).free] == \
        [offered.id]
    hours.book_office_hour(world.teams[1], world.edition, offered.id)


def test_company_slots_are_for_their_challenges_teams(world):
    offered = slot(world.contacts[0], world, 3)
    assert [s.id for s in hours.team_office_hours(world.teams[0], world.edition).free] == \
        [offered.id]
    assert hours.team_office_hours(world.teams[2], world.edition).free == []
    with pytest.raises(NotFound):
        hours.book_office_hour(world.teams[2], world.edition, offered.id)


def test_only_its_mentor_or_an_organiser_withdraws_a_slot(world):
    offered = slot(world.jury_mentor, world, 3)
    with pytest.raises(Forbidden):
        hours.withdraw_office_hour(world.contacts[0], world.edition, offered.id)
    hours.withdraw_office_hour(world.organizer, world.edition, offered.id)
    assert hours.mentor_office_hours(world.jury_mentor, world.edition) == []
