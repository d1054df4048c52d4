"""Check-ins: a student by the door's rotating code (its link, or its short code typed), or
the staff by a student's personal code or a list. Each is written once per student and
session (a unique constraint decides between two simultaneous attempts), then the
organisers' cockpit hears of it, after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crunchtime.errors import Conflict, DomainError, Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import CheckIn, CheckInPoint, Edition, PresenceSession, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.presence import codes, window
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.audit import record_audit
from crunchtime.services.presence.sessions import (
    load_point,
    load_session,
    next_session,
    session_open_at,
)
from crunchtime.services.presence.words import session_title

LIVE_EVENT = "cockpit"  # the dashboard's charts refetch on it (static/js/cockpit.js)


class CheckInRefused(DomainError):
    """A code or a moment that does not check anyone in; `reason` says which."""

    status = 400
    code = "check_in_refused"


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"

    def __init__(self, message: str, check_in: CheckIn):
        super().__init__(message, at=check_in.at.isoformat())
        self.check_in = check_in


@dataclass(frozen=True)
class DoorScreen:
    """What a door screen shows now: the session it checks in for, its code, and when the
    code changes (or the next session, when none is open)."""

    session: PresenceSession | None
    next_session: PresenceSession | None
    token: str | None
    short_code: str | None
    seconds_left: float


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _unix(moment: datetime) -> float:
    return moment.timestamp()


def _clock(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%H:%M")


def door_screen(edition: Edition, point: CheckInPoint,
                moment: datetime | None = None) -> DoorScreen:
    moment = moment or utcnow()
    session = session_open_at(edition, moment)
    left = codes.seconds_left(_unix(moment))
    if session is None:
        return DoorScreen(None, next_session(edition, moment), None, None, left)
    code = codes.DoorCode(point.id, session.id, codes.step_of(_unix(moment)))
    return DoorScreen(session, None, codes.door_token(_secret(), code),
                      codes.short_code(_secret(), code), left)


def read_door_token(token: str, moment: datetime | None = None) -> codes.DoorCode:
    """The door code of a scanned link, if it is ours and still fresh."""
    moment = moment or utcnow()
    try:
        code = codes.parse_door_token(_secret(), token)
        codes.require_fresh(code, _unix(moment))
    except codes.CodeRefused as error:
        raise _refusal(error.reason) from error
    return code


def _refusal(reason: str) -> CheckInRefused:
    if reason == codes.EXPIRED:
        return CheckInRefused(_("This code has expired: the code at the door changes every "
                                "%(n)d seconds. Scan the code on the screen again.",
                                n=codes.STEP_SECONDS), reason="expired")
    return CheckInRefused(_("This check-in code is not valid. Scan the code on the screen at "
                            "the door again."), reason="forged")


def confirmation_for(user: User, code: codes.DoorCode) -> str:
    return codes.confirmation(_secret(), user.id, code)


def read_confirmation(user: User, text: str, moment: datetime | None = None) -> codes.DoorCode:
    try:
        return codes.parse_confirmation(_secret(), user.id, text, _unix(moment or utcnow()))
    except codes.CodeRefused as error:
        raise _refusal(error.reason) from error


@dataclass(frozen=True)
class Place:
    session: PresenceSession
    point: CheckInPoint | None
    edition: Edition


def _place(code: codes.DoorCode) -> Place:
    """The session, point and edition a code names, in one query (the usual case)."""
    found = db.session.execute(
        sa.select(PresenceSession, CheckInPoint, Edition)
        .join(Edition, Edition.id == PresenceSession.edition_id)
        .join(CheckInPoint, sa.and_(CheckInPoint.id == code.point_id,
                                    CheckInPoint.edition_id == PresenceSession.edition_id))
        .where(PresenceSession.id == code.session_id)).first()
    if found is not None:
        return Place(*found)
    if db.session.get(PresenceSession, code.session_id) is None:
        raise CheckInRefused(_("This code is for a session that no longer exists."),
                             reason="wrong_session")
    raise CheckInRefused(_("This code is for a check-in point that no longer exists."),
                         reason="wrong_point")


def require_window(session: PresenceSession, moment: datetime) -> None:
    state = window.window_state(session.starts_at, session.ends_at, moment)
    if state == window.BEFORE:
        raise CheckInRefused(
            _("Check-in for “%(session)s” opens at %(time)s.", session=session_title(session),
              time=_clock(session.starts_at - window.OPENS_BEFORE)), reason="too_early")
    if state == window.AFTER:
        raise CheckInRefused(
            _("“%(session)s” ended at %(time)s: check-in is closed. If you were there, "
              "tell the organisers.", session=session_title(session),
              time=_clock(session.ends_at)), reason="too_late")


def require_student_of(user: User, edition: Edition) -> None:
    if user.role != "student":
        raise Forbidden(_("Only students check in; this code is for them."))
    registered = db.session.scalar(sa.select(StudentProfile.id).where(
        StudentProfile.user_id == user.id, StudentProfile.edition_id == edition.id,
        StudentProfile.deleted_at.is_(None)))
    if registered is None:
        raise Forbidden(_("You are not registered in the edition “%(name)s”: you cannot check "
                          "in for its sessions.", name=edition.name))


def existing_check_in(user_id: int, session_id: int) -> CheckIn | None:
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.user_id == user_id,
                                                      CheckIn.session_id == session_id))


def _already(row: CheckIn, session: PresenceSession, user: User | None = None) -> AlreadyCheckedIn:
    if user is None:
        message = _("You are already checked in for “%(session)s”, since %(time)s.",
                    session=session_title(session), time=_clock(row.at))
    else:
        message = _("%(name)s is already checked in for “%(session)s”, since %(time)s.",
                    name=user.full_name, session=session_title(session), time=_clock(row.at))
    return AlreadyCheckedIn(message, row)


def check_door_code(user: User, code: codes.DoorCode, moment: datetime | None = None,
                    look_for_existing: bool = True) -> Place:
    """Every rule of a door check-in but the writing: for the confirm page."""
    moment = moment or utcnow()
    place = _place(code)
    require_student_of(user, place.edition)
    require_window(place.session, moment)
    row = existing_check_in(user.id, place.session.id) if look_for_existing else None
    if row is not None:
        raise _already(row, place.session)
    return place


def check_in_at_door(user: User, code: codes.DoorCode, moment: datetime | None = None) -> CheckIn:
    """The student checks in with a door code already read (and found fresh)."""
    moment = moment or utcnow()
    # A check-in already there is found by the unique constraint, not by one more query.
    place = check_door_code(user, code, moment, look_for_existing=False)
    return _write(user.id, place.session, place.point.id, "qr", None, moment)


def check_in_with_short_code(user: User, edition: Edition, typed: str,
                             moment: datetime | None = None) -> CheckIn:
    """The fallback of a phone without a camera: the six characters under the QR code."""
    moment = moment or utcnow()
    require_student_of(user, edition)
    session = session_open_at(edition, moment)
    if session is None:
        raise CheckInRefused(_("No session is open for check-in right now."),
                             reason="no_session", field="code")
    points = db.session.scalars(sa.select(CheckInPoint.id).where(
        CheckInPoint.edition_id == edition.id)).all()
    candidates = [codes.DoorCode(point_id, session.id, step) for point_id in points
                  for step in codes.accepted_steps(_unix(moment))]
    code = codes.match_short_code(_secret(), typed, candidates)
    if code is None:
        raise CheckInRefused(_("This code is not the one on the screen (or it has just "
                               "changed): type the code shown now."), reason="forged",
                             field="code")
    return check_in_at_door(user, code, moment)


def _write(user_id: int, session: PresenceSession, point_id: int | None, how: str,
           actor: User | None, moment: datetime) -> CheckIn:
    session_id = session.id
    row = CheckIn(user_id=user_id, session_id=session_id, point_id=point_id, at=moment,
                  how=how, recorded_by_id=actor.id if actor else None)
    db.session.add(row)
    try:
        db.session.flush()
        row_id = row.id
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        existing = existing_check_in(user_id, session_id)
        if existing is None:
            raise
        raise _already(existing, existing.session,
                       db.session.get(User, user_id) if actor else None) from None
    publish_presence(session_id)
    # What the answer shows, read back in one query (the commit expired the rows).
    return db.session.get(CheckIn, row_id, populate_existing=True,
                          options=[joinedload(CheckIn.session), joinedload(CheckIn.point)])


def publish_presence(session_id: int) -> None:
    publish(LIVE_EVENT, {"changed": ["check_in"], "session": session_id}, room=ORGANIZERS)


def staff_scan(actor: User, edition: Edition, session_id: int, point_id: int | None,
               text: str, moment: datetime | None = None) -> tuple[CheckIn, User]:
    """An organiser scans (or types) a student's personal code at a session."""
    moment = moment or utcnow()
    session = load_session(edition, session_id)
    point = load_point(edition, point_id) if point_id else None
    try:
        user_id = codes.parse_personal_code(_secret(), edition.id, text)
    except codes.CodeRefused as error:
        raise InvalidInput(_("This is not a student's personal code for this edition."),
                           field="code") from error
    student = db.session.get(User, user_id)
    if student is None:
        raise InvalidInput(_("This is not a student's personal code for this edition."),
                           field="code")
    require_student_of(student, edition)
    row = existing_check_in(student.id, session.id)
    if row is not None:
        raise _already(row, session, student)
    return _write(student.id, session, point.id if point else None, "staff_scan", actor,
                  moment), student


def staff_tick(actor: User, edition: Edition, session_id: int, user_ids: list[int],
               moment: datetime | None = None) -> int:
    """Check in the ticked students of a list (those already in are left as they are);
    how many were added."""
    moment = moment or utcnow()
    session = load_session(edition, session_id)
    session_id = session.id
    wanted = sorted(set(user_ids))
    if not wanted:
        return 0
    students = set(db.session.scalars(sa.select(StudentProfile.user_id).where(
        StudentProfile.edition_id == edition.id, StudentProfile.user_id.in_(wanted),
        StudentProfile.deleted_at.is_(None))))
    if students != set(wanted):
        raise InvalidInput(_("Some of the ticked people are not students of this edition."))
    present = set(db.session.scalars(sa.select(CheckIn.user_id).where(
        CheckIn.session_id == session.id, CheckIn.user_id.in_(wanted))))
    added = [user_id for user_id in wanted if user_id not in present]
    db.session.add_all(CheckIn(user_id=user_id, session_id=session.id, at=moment,
                               how="staff_list", recorded_by_id=actor.id) for user_id in added)
    try:
        db.session.commit()
    except sa.exc.IntegrityError as error:
        db.session.rollback()
        raise Conflict(_("Someone checked in one of these students at the same moment: "
                         "reload the list and try again.")) from error
    if added:
        publish_presence(session_id)
    return len(added)



def remove_check_ins(actor: User, edition: Edition, session_id: int,
                     user_ids: list[int]) -> int:
    """Undo check-ins recorded by mistake (a name ticked in error); each removal is
    audited with how and when the check-in had been made."""
    session = load_session(edition, session_id)
    session_id = session.id
    rows = list(db.session.scalars(sa.select(CheckIn).where(
        CheckIn.session_id == session_id, CheckIn.user_id.in_(sorted(set(user_ids))))))
    for row in rows:
        record_audit(actor, "presence.check_in_removed", row, edition_id=edition.id,
                     student=row.user_id, session=session_id, how=row.how,
                     at=row.at.isoformat())
        db.session.delete(row)
    db.session.commit()
    if rows:
        publish_presence(session_id)
    return len(rows)
