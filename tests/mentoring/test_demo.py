"""The demo edition has mentoring from the building stage on: mentors with tags, requests in
every state, office hours; the demo's logins all find something on their mentoring pages."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import Edition, HelpRequest, OfficeHour, User
from crunchtime.services.mentoring.mentors import mentor_of
from crunchtime.services.mentoring.requests import mentor_queue
from crunchtime.services.teams.space import team_of_student


def test_the_demo_edition_has_mentors_requests_and_office_hours(app, db, as_user):
    result = app.test_cli_runner().invoke(
        args=["demo", "--students", "90", "--seed", "5", "--stage", "matched"])
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    statuses = dict(db.session.execute(
        sa.select(HelpRequest.status, sa.func.count()).group_by(HelpRequest.status)).all())
    assert statuses.get("open", 0) > 0 and statuses.get("claimed", 0) > 0
    assert statuses.get("resolved", 0) > statuses["open"]
    notes = db.session.scalars(sa.select(HelpRequest.resolution_note).where(
        HelpRequest.status == "resolved")).all()
    assert all(note.strip() for note in notes)
    assert db.session.scalar(sa.select(sa.func.count(HelpRequest.id)).where(
        HelpRequest.author_id.is_(None))) == 0
    booked = db.session.scalar(sa.select(sa.func.count(OfficeHour.id)).where(
        OfficeHour.team_id.is_not(None)))
    assert booked > 0 and db.session.scalar(sa.select(sa.func.count(OfficeHour.id))) > booked

    logins = {role: db.session.scalar(sa.select(User).where(User.email == email))
              for role, email in edition.settings["demo_logins"]}
    team = team_of_student(logins["student"], edition)
    page = as_user(logins["student"]).get(f"/team/{team.id}/help/").get_data(as_text=True)
    assert 'data-help-status="claimed"' in page
    for role in ("company", "jury", "organizer"):
        mentor = mentor_of(logins[role], edition)
        assert mentor is not None and mentor.tags, role
        assert mentor_queue(mentor, edition), role
        assert as_user(logins[role]).get("/mentoring/").status_code == 200
