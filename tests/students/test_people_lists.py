"""Organisers' lists of students, organisations and juries; exports; the skill/programme lists."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from crunchtime.models import Programme, Skill, StudentProfile, User
from tests import factories
from tests.helpers import count_queries, post_form, says, text


def load_demo(app, students: int) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "--students", str(students)])
    assert result.exit_code == 0, result.output


def as_organiser(app, db):
    organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = organizer.get_id()
    return browser


def test_student_list_of_1700_uses_a_small_constant_number_of_queries(app, db):
    load_demo(app, 1700)
    browser = as_organiser(app, db)
    browser.get("/organizer/students")
    for path in ("/organizer/students", "/organizer/students?page=20",
                 "/organizer/students?complete=yes&ranked=no"):
        with count_queries(db.engine) as queries:
            response = browser.get(path)
        assert response.status_code == 200
        assert queries.count <= 10, (path, queries.statements)
    assert "1700" in text(browser.get("/organizer/students"))


def test_student_filters_select_the_right_students(app, db):
    load_demo(app, 200)
    browser = as_organiser(app, db)
    programme = db.session.scalar(sa.select(Programme).order_by(Programme.id))
    expected = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)).where(
        StudentProfile.programme_id == programme.id))
    page = text(browser.get(f"/organizer/students?programme={programme.id}"))
    assert f"({expected})" in page
    grouped = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)).where(
        StudentProfile.friend_group_key.is_not(None)))
    assert f"({grouped})" in text(browser.get("/organizer/students?group=yes"))
    assert "(0)" in text(browser.get("/organizer/students?q=personne-de-ce-nom"))
    assert browser.get("/organizer/students?year=abc").status_code == 200


def test_student_export_is_utf8_with_bom_and_keeps_accents(app, db):
    load_demo(app, 120)
    browser = as_organiser(app, db)
    response = browser.get("/organizer/students.csv?group=yes")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and all(row["group"] for row in rows)
    assert any(ch in "".join(r["interests"] for r in rows) for ch in "éèàç")
    assert set(rows[0]) >= {"email", "programme", "choices", "profile_complete"}


def test_company_and_jury_exports(app, db):
    load_demo(app, 60)
    browser = as_organiser(app, db)
    companies = browser.get("/organizer/companies.csv").get_data().decode("utf-8-sig")
    assert companies.splitlines()[0].startswith("organisation,kind,email")
    assert len(companies.splitlines()) > 5
    juries = browser.get("/organizer/juries.csv").get_data().decode("utf-8-sig")
    assert len(juries.splitlines()) > 5
    assert "@" in text(browser.get("/organizer/companies"))


def test_organiser_adds_and_removes_list_entries(client, db, edition, organizer, login):
    login(organizer)
    response = post_form(client, "/organizer/lists/skill", {"name": "  Soudure   TIG "})
    assert response.status_code == 302
    skill = db.session.scalar(sa.select(Skill).where(Skill.name == "Soudure TIG"))
    skill_id = skill.id
    duplicate = post_form(client, "/organizer/lists/skill", {"name": "soudure tig"})
    assert says(duplicate, "“%(name)s” is already in the list.", name="soudure tig")
    from tests.helpers import csrf_token

    used = factories.student(edition)
    profile = db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id
                                                                == used.id))
    profile.skills = [skill]
    db.session.commit()
    refused = client.post(f"/organizer/lists/skill/{skill.id}/remove",
                          data={"csrf_token": csrf_token(client, "/organizer/lists/skill")})
    assert refused.status_code == 409
    profile.skills = []
    db.session.commit()
    removed = client.post(f"/organizer/lists/skill/{skill.id}/remove",
                          data={"csrf_token": csrf_token(client, "/organizer/lists/skill")})
    assert removed.status_code == 302
    db.session.expunge_all()
    assert db.session.get(Skill, skill_id) is None
    assert post_form(client, "/organizer/lists/programme", {"name": "Mécatronique"}).status_code \
        == 302
    assert client.get("/organizer/lists/unknown").status_code == 404
