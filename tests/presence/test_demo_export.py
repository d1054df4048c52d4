"""The demo edition comes with a week of presence, and `crunchtime export attendance FILE`
writes one row per student of it, with the results once published."""

from __future__ import annotations

import csv

import sqlalchemy as sa

from crunchtime.models import Absence, CheckIn, CheckInPoint, PresenceSession, StudentProfile
from crunchtime.models.base import utcnow
from crunchtime.presence import window
from crunchtime.services.editions.current import current_edition
from crunchtime.services.presence.attendance import attendance_of
from crunchtime.services.presence.export import ATTENDANCE_COLUMNS


def test_the_results_demo_exports_the_attendance_of_every_student(app, db, tmp_path):
    runner = app.test_cli_runner()
    built = runner.invoke(args=["demo", "--students", "120", "--seed", "5",
                                "--stage", "results"])
    assert built.exit_code == 0, built.output
    edition = current_edition()
    sessions = db.session.scalars(sa.select(PresenceSession).where(
        PresenceSession.edition_id == edition.id)).all()
    assert len(sessions) == 10 and all(s.ends_at < utcnow() for s in sessions)
    points = db.session.scalar(sa.select(sa.func.count(CheckInPoint.id)))
    assert 3 <= points <= 6
    students = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)).where(
        StudentProfile.edition_id == edition.id))
    present = db.session.scalar(sa.select(sa.func.count(CheckIn.id)))
    assert 0.85 <= present / (students * 10) <= 0.97
    late = sum(1 for row in db.session.scalars(sa.select(CheckIn).join(PresenceSession))
               if (row.at - row.session.starts_at).total_seconds() > 15 * 60)
    assert late > 0
    statuses = set(db.session.scalars(sa.select(Absence.status)))
    assert statuses == {"pending", "accepted", "refused"}

    target = tmp_path / "attendance.csv"
    exported = runner.invoke(args=["export", "attendance", str(target)])
    assert exported.exit_code == 0, exported.output
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ATTENDANCE_COLUMNS
    assert len(rows) == students
    assert len({row["email"] for row in rows}) == students
    counts = attendance_of(edition)
    total_present = sum(int(row["sessions_present"]) for row in rows)
    assert total_present == present == sum(a.present for a in counts.values())
    for row in rows:
        assert int(row["sessions"]) == 10
        assert (int(row["sessions_present"]) + int(row["absences_justified"])
                + int(row["absences_unjustified"])) == 10
    assert any(row["result"] for row in rows)  # the results are published
    assert all(row["team"] for row in rows if row["result"])


def test_the_matched_demo_is_in_the_middle_of_the_week(app, db):
    built = app.test_cli_runner().invoke(args=["demo", "--students", "60", "--seed", "3",
                                               "--stage", "matched"])
    assert built.exit_code == 0, built.output
    edition = current_edition()
    now = utcnow()
    sessions = db.session.scalars(sa.select(PresenceSession).where(
        PresenceSession.edition_id == edition.id)).all()
    over = [s for s in sessions if s.ends_at <= now]
    assert 6 <= len(over) <= 8 and any(s.starts_at > now for s in sessions)
    not_open = [s.id for s in sessions if s.starts_at - window.OPENS_BEFORE > now]
    assert not_open and db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(
        CheckIn.session_id.in_(not_open))) == 0
    assert max(db.session.scalars(sa.select(CheckIn.at))) <= now
