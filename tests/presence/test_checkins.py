"""Checking in: by the door's code (link or typed), by the staff; every bad input of the
issue gets its own refusal, and nothing is written twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crunchtime.errors import Forbidden, InvalidInput
from crunchtime.models import CheckIn, CheckInPoint
from crunchtime.models.base import utcnow
from crunchtime.presence import codes
from crunchtime.services.presence import checkins
from tests import factories
from tests.presence.conftest import make_week


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(CheckIn.id)))


def _token(app, code) -> str:
    return codes.door_token(app.config["SECRET_KEY"], code)


def test_a_student_checks_in_once_with_the_door_code(app, db, week):
    student = week.students[0]
    code = checkins.read_door_token(_token(app, week.code()))
    row = checkins.check_in_at_door(student, code)
    assert (row.user_id, row.session_id, row.point_id, row.how) == (
        student.id, week.open.id, week.door.id, "qr")
    with pytest.raises(checkins.AlreadyCheckedIn) as again:
        checkins.check_in_at_door(student, code)
    assert again.value.status == 409 and again.value.check_in.id == row.id
    # Through the other door too: still one check-in for the session.
    with pytest.raises(checkins.AlreadyCheckedIn):
        checkins.check_in_at_door(student, week.code(point=week.hall))
    assert _count(db) == 1


def test_an_expired_code_is_refused(app, db, week):
    old = week.code(moment=utcnow() - timedelta(seconds=2 * codes.STEP_SECONDS + 1))
    with pytest.raises(checkins.CheckInRefused) as refused:
        checkins.read_door_token(_token(app, old))
    assert refused.value.details["reason"] == "expired"
    assert _count(db) == 0


def test_a_forged_code_is_refused(app, db, week):
    token = _token(app, week.code())
    other_session = token.replace(f".{week.open.id}.", f".{week.future.id}.", 1)
    for bad in (other_session, token[:-3] + "xyz", "1.2.3.abc", "../../etc"):
        with pytest.raises(checkins.CheckInRefused) as refused:
            checkins.read_door_token(bad)
        assert refused.value.details["reason"] == "forged"
    forged = codes.door_token("not-our-secret", week.code())
    with pytest.raises(checkins.CheckInRefused):
        checkins.read_door_token(forged)


def test_a_code_replayed_by_another_student_later_is_refused(app, db, week):
    first, second = week.students[:2]
    moment = utcnow()
    token = _token(app, week.code(moment=moment))
    checkins.check_in_at_door(first, checkins.read_door_token(token, moment), moment)
    later = moment + timedelta(seconds=2 * codes.STEP_SECONDS)
    with pytest.raises(checkins.CheckInRefused) as refused:
        checkins.read_door_token(token, later)
    assert refused.value.details["reason"] == "expired"
    # The first student's confirmation does not check anyone else in.
    confirmation = checkins.confirmation_for(first, week.code(moment=moment))
    with pytest.raises(checkins.CheckInRefused):
        checkins.read_confirmation(second, confirmation, moment)
    assert _count(db) == 1


def test_a_code_for_a_session_not_open_or_a_point_elsewhere_is_refused(app, db, week):
    student = week.students[0]
    with pytest.raises(checkins.CheckInRefused) as early:
        checkins.check_in_at_door(student, week.code(session=week.future))
    assert early.value.details["reason"] == "too_early"
    with pytest.raises(checkins.CheckInRefused) as late:
        checkins.check_in_at_door(student, week.code(session=week.past))
    assert late.value.details["reason"] == "too_late"
    other = make_week(db)
    foreign_point = db.session.get(CheckInPoint, other.door.id)
    with pytest.raises(checkins.CheckInRefused) as wrong_point:
        checkins.check_in_at_door(student, week.code(point=foreign_point))
    assert wrong_point.value.details["reason"] == "wrong_point"
    gone = codes.DoorCode(week.door.id, 999_999, codes.step_of(utcnow().timestamp()))
    with pytest.raises(checkins.CheckInRefused) as wrong_session:
        checkins.check_in_at_door(student, gone)
    assert wrong_session.value.details["reason"] == "wrong_session"
    assert _count(db) == 0


def test_the_window_opens_half_an_hour_before_and_closes_at_the_end(app, db, week):
    student = week.students[0]
    session = week.future
    with pytest.raises(checkins.CheckInRefused):
        checkins.check_in_at_door(student, week.code(session=session),
                                  session.starts_at - timedelta(minutes=31))
    row = checkins.check_in_at_door(student, week.code(session=session),
                                    session.starts_at - timedelta(minutes=29))
    assert row.session_id == session.id
    with pytest.raises(checkins.CheckInRefused):
        checkins.check_in_at_door(week.students[1], week.code(session=session),
                                  session.ends_at + timedelta(seconds=1))


def test_a_student_of_another_edition_or_a_non_student_cannot_check_in(app, db, week):
    other = make_week(db)
    with pytest.raises(Forbidden):
        checkins.check_in_at_door(other.students[0], week.code())
    with pytest.raises(Forbidden):
        checkins.check_in_at_door(week.organizer, week.code())
    with pytest.raises(Forbidden):
        checkins.check_in_at_door(factories.jury(week.edition), week.code())
    assert _count(db) == 0


def test_the_database_refuses_a_second_check_in_of_a_student(app, db, week):
    student = week.students[0]
    db.session.add(CheckIn(user_id=student.id, session_id=week.open.id, how="qr"))
    db.session.commit()
    db.session.add(CheckIn(user_id=student.id, session_id=week.open.id, how="qr"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(CheckIn(user_id=student.id, session_id=week.past.id, how="staff_list"))
    with pytest.raises(sa.exc.IntegrityError):  # a staff way names its staff member
        db.session.commit()
    db.session.rollback()


def test_the_typed_short_code_checks_in(app, db, week):
    student = week.students[0]
    screen = checkins.door_screen(week.edition, week.hall)
    assert screen.session.id == week.open.id
    row = checkins.check_in_with_short_code(student, week.edition,
                                            screen.short_code.lower())
    assert row.point_id == week.hall.id
    with pytest.raises(checkins.CheckInRefused):
        checkins.check_in_with_short_code(week.students[1], week.edition, "ABCDEF")


def test_the_staff_scan_a_personal_code_or_tick_a_list(app, db, week):
    from crunchtime.services.presence.personal import personal_code_of

    first, second, third = week.students
    row, student = checkins.staff_scan(week.organizer, week.edition, week.open.id,
                                       week.door.id, personal_code_of(first, week.edition))
    assert (student.id, row.how, row.recorded_by_id) == (first.id, "staff_scan",
                                                         week.organizer.id)
    with pytest.raises(checkins.AlreadyCheckedIn):
        checkins.staff_scan(week.organizer, week.edition, week.open.id, None,
                            personal_code_of(first, week.edition))
    other = make_week(db)
    with pytest.raises(InvalidInput):
        checkins.staff_scan(week.organizer, week.edition, week.open.id, None,
                            personal_code_of(other.students[0], other.edition))
    added = checkins.staff_tick(week.organizer, week.edition, week.open.id,
                                [first.id, second.id, third.id])
    assert added == 2
    assert checkins.staff_tick(week.organizer, week.edition, week.open.id, [second.id]) == 0
    with pytest.raises(InvalidInput):
        checkins.staff_tick(week.organizer, week.edition, week.open.id, [week.organizer.id])
    assert _count(db) == 3


def test_a_check_in_reaches_the_organisers_cockpit_after_the_commit(app, db, week,
                                                                   monkeypatch):
    sent = []

    def record(event, payload, room):
        committed = db.session.scalar(sa.select(sa.func.count(CheckIn.id)))
        sent.append((event, payload, room, committed))

    monkeypatch.setattr(checkins, "publish", record)
    checkins.check_in_at_door(week.students[0], week.code())
    assert sent == [("cockpit", {"changed": ["check_in"], "session": week.open.id},
                     "organizers", 1)]
