"""Organisers' lists of students, organisations and juries; exports; the skill/programme lists."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crunchtime.models import JuryProfile, Preference, Programme, Skill, StudentProfile, User
from crunchtime.services.accounts import people
from crunchtime.services.editions import overview
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


@pytest.fixture
def cohort(db, edition):
    """Eight students, one for each (year 2 or 4, profile complete or not, ranked or not);
    returns their e-mails by those three traits."""
    challenges = [factories.challenge(edition) for _ in range(3)]
    traits = {}
    for year in (2, 4):
        for complete in (True, False):
            for ranked in (True, False):
                user = factories.student(edition)
                profile = db.session.scalar(sa.select(StudentProfile).where(
                    StudentProfile.user_id == user.id))
                profile.year_of_study = year
                profile.completed_at = datetime.now(UTC) if complete else None
                if ranked:
                    db.session.add_all(Preference(student_id=profile.id, challenge_id=c.id,
                                                  rank=rank)
                                       for rank, c in enumerate(challenges, start=1))
                traits[user.email] = (year, complete, ranked)
    db.session.commit()
    return traits


def listed_students(client, query: str) -> set[str]:
    page = text(client.get(f"/organizer/students?{query}"))
    return set(re.findall(r"student\d+@example\.org", page))


@pytest.mark.parametrize(("query", "keep"), [
    ("year=2", lambda year, complete, ranked: year == 2),
    ("year=4", lambda year, complete, ranked: year == 4),
    ("complete=yes", lambda year, complete, ranked: complete),
    ("complete=no", lambda year, complete, ranked: not complete),
    ("ranked=yes", lambda year, complete, ranked: ranked),
    ("ranked=no", lambda year, complete, ranked: not ranked),
    ("year=4&complete=yes&ranked=no",
     lambda year, complete, ranked: year == 4 and complete and not ranked),
    ("", lambda year, complete, ranked: True),
])
def test_year_profile_and_choices_filters_list_exactly_the_right_students(
    client, db, cohort, organizer, login, query, keep
):
    login(organizer)
    expected = {email for email, traits in cohort.items() if keep(*traits)}
    assert listed_students(client, query) == expected
    assert f"({len(expected)})" in text(client.get(f"/organizer/students?{query}"))


def test_the_students_export_applies_the_same_filters(client, db, cohort, organizer, login):
    login(organizer)
    raw = client.get("/organizer/students.csv?year=2&ranked=yes").get_data()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {row["email"] for row in rows} == {
        email for email, (year, _complete, ranked) in cohort.items() if year == 2 and ranked}


def test_the_companies_list_is_paginated(client, db, edition, organizer, login, monkeypatch):
    monkeypatch.setattr(people, "PER_PAGE", 2)
    organisation = factories.organisation("Alstom")
    emails = [factories.company_user(organisation, last_name=f"Nom{n}").email
              for n in range(5)]
    login(organizer)
    shown = []
    for page in (1, 2, 3):
        response = client.get(f"/organizer/companies?page={page}")
        assert "(5)" in text(response)
        shown.append(set(re.findall(r"company\d+@example\.org", text(response))))
    assert [len(found) for found in shown] == [2, 2, 1]
    assert set().union(*shown) == set(emails)
    assert 'rel="next"' in text(client.get("/organizer/companies"))
    assert text(client.get("/organizer/companies?page=9")).count("@example.org") <= 1


def test_the_juries_list_is_paginated_and_holds_only_this_editions_juries(
    client, db, edition, organizer, login, monkeypatch
):
    monkeypatch.setattr(overview, "PER_PAGE", 2)
    past = factories.edition(current=False, year=2025)
    former = factories.jury(past, last_name="Ancienne")
    current = [factories.jury(edition, last_name=f"Jury{n}") for n in range(3)]
    returning = factories.jury(past, last_name="Fidèle")
    db.session.add(JuryProfile(user_id=returning.id, edition_id=edition.id))
    db.session.commit()
    login(organizer)
    pages = [text(client.get(f"/organizer/juries?page={n}")) for n in (1, 2)]
    shown = set(re.findall(r"jury\d+@example\.org", "".join(pages)))
    assert shown == {jury.email for jury in [*current, returning]}
    assert former.email not in "".join(pages)
    assert all("(4)" in page for page in pages)
    assert 'rel="next"' in pages[0] and 'rel="next"' not in pages[1]
    exported = client.get("/organizer/juries.csv").get_data().decode("utf-8-sig")
    assert former.email not in exported and returning.email in exported


def test_companies_and_juries_lists_use_a_constant_number_of_queries(
    client, db, edition, organizer, login
):
    for n in range(30):
        factories.company_user(factories.organisation(f"Organisation {n:02d}"))
        factories.jury(edition, organisation=factories.organisation(f"Labo {n:02d}"))
    login(organizer)
    for path in ("/organizer/companies", "/organizer/juries"):
        client.get(path)
        with count_queries(db.engine) as queries:
            assert client.get(path).status_code == 200
        assert queries.count <= 10, (path, queries.statements)


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
