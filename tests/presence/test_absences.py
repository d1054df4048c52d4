"""Declared absences: a reason and an optional proof checked like the submissions' files;
organisers accept or refuse them (audited); the attendance for credits counts them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, Forbidden, InvalidInput
from crunchtime.files.storage import FileRefused, FileTooLarge
from crunchtime.models import Absence, AuditEvent, CheckIn
from crunchtime.services.presence import absences, checkins
from crunchtime.services.presence.attendance import Attendance, attendance_of
from tests.challenges import samples
from tests.presence.conftest import make_week
from tests.team_world import files_on_disk


def _document(name: str, content: bytes) -> absences.Document:
    return absences.Document(io.BytesIO(content), name)


def test_a_student_declares_an_absence_with_a_proof(app, db, week):
    student = week.students[0]
    row = absences.declare_absence(student, week.edition, week.past.id, "  Rendez-vous médical ",
                                   _document("certificat.pdf", samples.PDF))
    assert (row.status, row.reason, row.original_name, row.content_type) == (
        "pending", "Rendez-vous médical", "certificat.pdf", "application/pdf")
    assert absences.absence_document(student, row.id).id == row.id
    assert absences.absence_document(week.organizer, row.id).id == row.id
    with pytest.raises(Forbidden):
        absences.absence_document(week.students[1], row.id)


@pytest.mark.parametrize(("name", "content"), [
    ("certificat.pdf", samples.EXE), ("certificat.html", samples.HTML),
    ("photo.svg", samples.SVG), ("certificat.pdf", samples.PNG),
    ("../../etc/certificat.pdf", samples.PDF)])
def test_a_proof_of_the_wrong_type_is_refused_and_nothing_is_kept(app, db, week, name,
                                                                  content):
    before = files_on_disk(app)
    with pytest.raises(FileRefused):
        absences.declare_absence(week.students[0], week.edition, week.past.id, "Malade",
                                 _document(name, content))
    assert db.session.scalar(sa.select(sa.func.count(Absence.id))) == 0
    assert files_on_disk(app) == before


def test_a_proof_over_the_size_limit_is_refused(app, db, week):
    week.edition.max_file_mb = 1
    db.session.commit()
    big = samples.PDF + b"0" * (1024 * 1024)
    with pytest.raises(FileTooLarge):
        absences.declare_absence(week.students[0], week.edition, week.past.id, "Malade",
                                 _document("certificat.pdf", big))
    assert db.session.scalar(sa.select(sa.func.count(Absence.id))) == 0


def test_an_absence_is_declared_once_and_not_for_a_session_attended(app, db, week):
    student = week.students[0]
    with pytest.raises(InvalidInput):
        absences.declare_absence(student, week.edition, week.past.id, "   ")
    first = absences.declare_absence(student, week.edition, week.past.id, "Malade")
    with pytest.raises(Conflict):
        absences.declare_absence(student, week.edition, week.past.id, "Encore malade")
    checkins.check_in_at_door(student, week.code())
    with pytest.raises(Conflict):
        absences.declare_absence(student, week.edition, week.open.id, "Parti tôt")
    other = make_week(db)
    with pytest.raises(Forbidden):
        absences.declare_absence(other.students[0], week.edition, week.past.id, "Malade")
    # A refused absence may be declared again, with a new reason: pending again.
    absences.decide_absence(week.organizer, week.edition, first.id, accept=False,
                            note="Pas de justificatif")
    again = absences.declare_absence(student, week.edition, week.past.id, "Certificat joint",
                                     _document("certificat.pdf", samples.PDF))
    assert again.id == first.id and again.status == "pending" and again.decided_at is None


def test_organisers_decide_and_the_decision_is_audited(app, db, week):
    row = absences.declare_absence(week.students[0], week.edition, week.past.id, "Malade")
    absences.decide_absence(week.organizer, week.edition, row.id, accept=True, note="OK")
    assert (row.status, row.decided_by_id, row.note) == ("accepted", week.organizer.id, "OK")
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "presence.absence_decided")).one()
    assert audit.actor_id == week.organizer.id and audit.details["status"] == "accepted"
    other = make_week(db)
    with pytest.raises(Exception) as wrong_edition:
        absences.decide_absence(week.organizer, other.edition, row.id, accept=False)
    assert wrong_edition.value.status == 404


def test_attendance_counts_the_sessions_over(app, db, week):
    first, second, third = week.students
    db.session.add(CheckIn(user_id=first.id, session_id=week.past.id, how="qr",
                           at=week.past.starts_at))
    db.session.commit()
    excuse = absences.declare_absence(second, week.edition, week.past.id, "Malade")
    absences.decide_absence(week.organizer, week.edition, excuse.id, accept=True)
    checkins.check_in_at_door(third, week.code())  # the session in progress: not counted yet
    result = attendance_of(week.edition)
    assert result[first.id] == Attendance(present=1, sessions=1, justified=0, unjustified=0)
    assert result[second.id] == Attendance(present=0, sessions=1, justified=1, unjustified=0)
    assert result[third.id] == Attendance(present=0, sessions=1, justified=0, unjustified=1)
    later = week.open.ends_at + timedelta(minutes=1)
    assert attendance_of(week.edition, [third.id], moment=later) == {
        third.id: Attendance(present=1, sessions=2, justified=0, unjustified=1)}
    assert set(attendance_of(week.edition, [first.id, week.organizer.id])) == {first.id}
