"""Attendance for credits, per student: of the sessions already over, how many they were
present at, and of the others how many absences were justified (accepted) or not. Called by
the export, the organisers' pages and the attestations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Absence, CheckIn, Edition, PresenceSession, StudentProfile
from crunchtime.models.base import utcnow


@dataclass(frozen=True)
class Attendance:
    """present + justified + unjustified == sessions (the sessions already over)."""

    present: int
    sessions: int
    justified: int
    unjustified: int


def ended_session_ids(edition: Edition, moment: datetime) -> list[int]:
    return list(db.session.scalars(sa.select(PresenceSession.id).where(
        PresenceSession.edition_id == edition.id, PresenceSession.ends_at <= moment)))


def _pairs(model, session_ids: list[int], user_ids: list[int] | None, *conditions):
    query = sa.select(model.user_id, model.session_id).where(
        model.session_id.in_(session_ids), *conditions)
    if user_ids is not None:
        query = query.where(model.user_id.in_(user_ids))
    found = defaultdict(set)
    for user_id, session_id in db.session.execute(query):
        found[user_id].add(session_id)
    return found


def attendance_of(edition: Edition, user_ids: Iterable[int] | None = None,
                  moment: datetime | None = None) -> dict[int, Attendance]:
    """Keyed by the student's user id: every student of the edition, or those of
    `user_ids` who are students of it."""
    moment = moment or utcnow()
    wanted = sorted(set(user_ids)) if user_ids is not None else None
    students = sa.select(StudentProfile.user_id).where(
        StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None))
    if wanted is not None:
        students = students.where(StudentProfile.user_id.in_(wanted))
    student_ids = list(db.session.scalars(students))
    ended = ended_session_ids(edition, moment)
    if not ended:
        return {user_id: Attendance(0, 0, 0, 0) for user_id in student_ids}
    present = _pairs(CheckIn, ended, wanted)
    excused = _pairs(Absence, ended, wanted, Absence.status == "accepted")
    result = {}
    for user_id in student_ids:
        here = present.get(user_id, set())
        justified = len(excused.get(user_id, set()) - here)
        result[user_id] = Attendance(len(here), len(ended), justified,
                                     len(ended) - len(here) - justified)
    return result
