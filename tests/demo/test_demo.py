"""`crunchtime demo`: a complete edition in the database, and logins that work."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from crunchtime.models import (
    Challenge,
    Criterion,
    Edition,
    JuryProfile,
    Organisation,
    Preference,
    StudentProfile,
    User,
)
from crunchtime.services.demo.edition import DEMO_PASSWORD
from tests.helpers import post_form

HOMES = {"student": "/student/", "company": "/company/", "jury": "/jury/",
         "organizer": "/organizer/"}


def count(db, column) -> int:
    return db.session.scalar(sa.select(sa.func.count(column)))


def test_demo_builds_a_whole_edition_and_each_printed_login_reaches_its_home(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--students", "150", "--seed", "7"])
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    assert edition.phase == "preferences"
    assert count(db, StudentProfile.id) == 150
    assert count(db, Challenge.id) >= 5 and count(db, Organisation.id) >= 5
    assert count(db, Preference.id) > 150 * 2
    assert count(db, JuryProfile.id) >= 10 and count(db, Criterion.id) >= 4
    approved = db.session.scalars(sa.select(Challenge.status).distinct()).all()
    assert approved == ["approved"]

    logins = re.findall(r"^\s+(student|company|jury|organizer)\s+(\S+@\S+)$", result.output,
                        re.MULTILINE)
    assert {role for role, _ in logins} == set(HOMES)
    for role, email in logins:
        browser = app.test_client()
        response = post_form(browser, "/login", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response.headers["Location"] == HOMES[role]
        assert browser.get(HOMES[role]).status_code == 200
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user.role == role


def test_demo_is_deterministic_for_a_seed(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "--students", "60", "--seed", "11"])
    first = db.session.scalars(sa.select(User.email).order_by(User.email)).all()
    db.session.execute(sa.update(Edition).values(is_current=False))
    db.session.commit()
    from tests.conftest import empty_tables

    empty_tables()
    runner.invoke(args=["demo", "--students", "60", "--seed", "11"])
    assert db.session.scalars(sa.select(User.email).order_by(User.email)).all() == first


def test_demo_refuses_a_non_empty_database_and_if_empty_keeps_it(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--students", "30"]).exit_code == 0
    users = count(db, User.id)
    again = runner.invoke(args=["demo", "--students", "30"])
    assert again.exit_code == 1
    kept = runner.invoke(args=["demo", "--students", "30", "--if-empty"])
    assert kept.exit_code == 0
    assert count(db, User.id) == users


@pytest.mark.parametrize("stage, phase", [("matched", "building"), ("judging", "judging"),
                                          ("results", "results")])
def test_demo_builds_later_stages(app, db, stage, phase):
    from crunchtime.models import Award, Membership, ScoreEvent, Team

    result = app.test_cli_runner().invoke(
        args=["demo", "--students", "60", "--seed", "4", "--stage", stage])
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    assert edition.phase == phase
    assert count(db, Team.id) >= 10
    assert count(db, Membership.id) == count(db, StudentProfile.id)
    scores = count(db, ScoreEvent.seq)
    assert (scores > 0) == (stage != "matched")
    assert (count(db, Award.id) > 0) == (stage == "results")


def test_demo_logins_without_a_demo_says_so(app, db):
    result = app.test_cli_runner().invoke(args=["demo-logins"])
    assert result.exit_code == 1 and "not a demo edition" in result.output


def test_organiser_pages_of_a_full_demo_edition_use_a_constant_number_of_queries(app, db):
    from tests.helpers import count_queries

    app.test_cli_runner().invoke(args=["demo", "--students", "300"])
    organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = organizer.get_id()
    for path in ("/organizer/", "/organizer/juries", "/organizer/phase", "/organizer/audit"):
        browser.get(path)  # warm-up: the first request loads the user and caches
        with count_queries(db.engine) as queries:
            assert browser.get(path).status_code == 200
        assert queries.count <= 6, (path, queries.statements)
