"""The organisers' upload pages: a report of the import, or every broken row of the file."""

from __future__ import annotations

import io

import pytest
from markupsafe import escape

from crunchtime.models import Challenge, StudentProfile
from crunchtime.services.exchange.imports import ImportRejected, import_students
from crunchtime.services.exchange.words import problem_message
from tests import factories
from tests.exchange.conftest import count
from tests.exchange.samples import challenge, challenges_csv, student, students_csv
from tests.helpers import csrf_token, fr, says, text

STUDENTS = "/organizer/import/students"
CHALLENGES = "/organizer/import/challenges"


def upload(client, path: str, data: bytes, filename: str = "inscrits.csv"):
    form = {"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), filename)}
    return client.post(path, data=form, content_type="multipart/form-data")


def test_the_page_explains_the_expected_columns_with_an_example(login, organizer):
    page = login(organizer).get(STUDENTS)
    assert page.status_code == 200
    assert "email,first_name,last_name,programme,year,skills,interests,choices,group" in text(
        page)
    assert says(page, "Save the file as CSV in UTF-8 (in Excel: “CSV UTF-8 (comma delimited)”). "
                      "A byte order mark (BOM) is fine, and so is “;” between the fields, as "
                      "Excel writes in French.")
    assert 'enctype="multipart/form-data"' in text(page)
    assert "code,title,organisation,description,skills,teams" in text(
        login(organizer).get(CHALLENGES))


def test_an_organiser_uploads_students_and_sees_the_counts(db, login, organizer, edition):
    data = students_csv(student(programme="Génie civil"), student(), bom=True, delimiter=";")
    page = upload(login(organizer), STUDENTS, data)
    assert page.status_code == 200
    assert says(page, "File imported")
    assert says(page, "“%(name)s”: %(num)d row read.", "“%(name)s”: %(num)d rows read.",
                num=2, name="inscrits.csv")
    assert says(page, "invitations in the outbox")
    assert "Génie civil" in text(page)
    assert count(db, StudentProfile) == 2


def test_a_broken_file_shows_every_broken_row_and_imports_nothing(db, login, organizer, edition):
    data = students_csv(student(year="9"), student(), student(email="faux", first_name=""),
                        student(interests="a\nb"), student(year="x"))
    with pytest.raises(ImportRejected) as refused:
        import_students(edition, data, None)
    page = upload(login(organizer), STUDENTS, data)
    assert page.status_code == 200
    assert says(page, "File refused: nothing was imported")
    for problem in refused.value.report.problems:
        assert f"<td>{problem.line}" in text(page)
        assert str(escape(problem_message(problem))) in text(page)
    assert len(refused.value.report.problems) == 4
    assert says(page, "row %(row)d", row=6)
    assert count(db, StudentProfile) == 0


def test_an_organiser_uploads_challenges(db, login, organizer, edition):
    page = upload(login(organizer), CHALLENGES, challenges_csv(challenge("C010")), "defis.csv")
    assert says(page, "File imported") and says(page, "Organisations created")
    assert count(db, Challenge) == 1


def test_a_form_without_a_file_or_with_another_type_is_refused(db, login, organizer, edition):
    client = login(organizer)
    empty = client.post(STUDENTS, data={"csrf_token": csrf_token(client, STUDENTS)})
    assert says(empty, "Choose the file to import.")
    wrong = upload(client, STUDENTS, b"%PDF-1.4", "inscrits.pdf")
    assert says(wrong, "Choose a .csv, .xlsx or .ods file (an Excel 97–2003 .xls workbook: save "
                       "it as .xlsx first).")
    assert count(db, StudentProfile) == 0


def test_a_closed_phase_is_shown_on_the_form(db, login, organizer, edition):
    edition.phase = "judging"
    db.session.commit()
    page = upload(login(organizer), STUDENTS, students_csv(student()))
    assert page.status_code == 200
    assert fr("Judging") in text(page)
    assert count(db, StudentProfile) == 0


@pytest.mark.parametrize("role", ["student", "company", "jury"])
def test_other_roles_cannot_import(app, db, edition, role):
    user = {"student": factories.student, "company": lambda e: factories.company_user(),
            "jury": factories.jury}[role](edition)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    for path in (STUDENTS, CHALLENGES):
        form = {"csrf_token": csrf_token(client, "/privacy"),
                "file": (io.BytesIO(students_csv(student())), "x.csv")}
        assert client.post(path, data=form, content_type="multipart/form-data").status_code == 403
    assert count(db, StudentProfile) == (1 if role == "student" else 0)


def test_a_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(STUDENTS)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
