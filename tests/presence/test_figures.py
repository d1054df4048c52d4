"""The organisers' presence figures: right, and in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

from crunchtime.models import CheckIn, Programme, StudentProfile
from crunchtime.services.presence import absences
from crunchtime.services.presence.overview import presence_figures
from tests import factories
from tests.helpers import count_queries


def test_presence_figures_per_session_and_programme_in_four_queries(app, db, week):
    programme = Programme(edition_id=week.edition.id, name="Énergie")
    db.session.add(programme)
    db.session.commit()
    first = db.session.query(StudentProfile).filter_by(user_id=week.students[0].id).one()
    first.programme_id = programme.id
    db.session.add(CheckIn(user_id=week.students[0].id, session_id=week.open.id, how="qr",
                           at=week.open.starts_at))
    db.session.add(CheckIn(user_id=week.students[1].id, session_id=week.past.id, how="qr",
                           at=week.past.starts_at + timedelta(minutes=40)))
    db.session.commit()
    absences.declare_absence(week.students[2], week.edition, week.past.id, "Malade")
    assert week.edition.id  # loaded again before counting
    with count_queries(db.engine) as few:
        figures = presence_figures(week.edition)
    assert figures.students == 3 and figures.focus.id == week.open.id
    assert figures.focus_present == 1
    by_session = {row.session.id: row for row in figures.sessions}
    assert (by_session[week.past.id].present, by_session[week.past.id].late,
            by_session[week.past.id].pending) == (1, 1, 1)
    assert by_session[week.open.id].state == "open"
    assert {(p.name, p.students, p.present) for p in figures.programmes} == {
        ("Énergie", 1, 1), ("", 2, 0)}
    for _ in range(20):
        student = factories.student(week.edition)
        db.session.add(CheckIn(user_id=student.id, session_id=week.open.id, how="qr",
                               at=week.open.starts_at))
    db.session.commit()
    db.session.expire_all()
    assert week.edition.id  # loaded again before counting
    with count_queries(db.engine) as many:
        bigger = presence_figures(week.edition)
    assert bigger.focus_present == 21 and bigger.students == 23
    assert many.count == few.count == 4

