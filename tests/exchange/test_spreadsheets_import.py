"""Workbooks through the organisers' upload page and `crunchtime import-students FILE`: the
same all-or-nothing import and report as CSV, with rows numbered as the spreadsheet shows."""

from __future__ import annotations

import io

from markupsafe import escape

from crunchtime.imports import CHALLENGE_COLUMNS, MAX_DATA_ROWS
from crunchtime.models import AuditEvent, Challenge, StudentProfile
from tests.exchange.conftest import count, written_rows
from tests.exchange.workbook_files import (
    OdsCell,
    challenge_values,
    compound_file,
    ods_bytes,
    student_values,
    xlsx_bytes,
)
from tests.helpers import csrf_token, fr, says, text

STUDENTS = "/organizer/import/students"
CHALLENGES = "/organizer/import/challenges"


def upload(client, path: str, data: bytes, filename: str):
    form = {"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), filename)}
    return client.post(path, data=form, content_type="multipart/form-data")


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_the_page_names_the_accepted_formats_and_the_input_accepts_them(login, organizer):
    page = login(organizer).get(STUDENTS)
    assert 'accept=".csv,.xlsx,.ods,text/csv,' in text(page)
    assert "application/vnd.oasis.opendocument.spreadsheet" in text(page)
    assert says(page, "CSV in UTF-8 (.csv), Excel workbook (.xlsx) or OpenDocument spreadsheet "
                      "(.ods).")
    assert says(page, "An Excel (.xlsx) or OpenDocument (.ods) spreadsheet is read as it is: the "
                      "header in row 1, the data on a single sheet, values only (no formulas, "
                      "no merged cells), at most %(num)s data rows. Format code or phone columns "
                      "as text to keep their leading zeros.", num="20\u202f000")
    assert MAX_DATA_ROWS == 20_000


def test_an_organiser_imports_an_xlsx_of_students(db, login, organizer, edition):
    data = xlsx_bytes([student_values(email=f"etudiant{n}@etu.utbm.fr", year=2.0)
                       for n in range(1, 4)])
    page = upload(login(organizer), STUDENTS, data, "inscrits.xlsx")
    assert says(page, "File imported")
    assert says(page, "“%(name)s”: %(num)d row read.", "“%(name)s”: %(num)d rows read.",
                num=3, name="inscrits.xlsx")
    assert count(db, StudentProfile) == 3
    again = upload(login(organizer), STUDENTS, data, "inscrits.xlsx")
    assert says(again, "unchanged") and count(db, StudentProfile) == 3


def test_a_workbook_renamed_csv_is_read_by_its_content(db, login, organizer, edition):
    data = ods_bytes({"Défis": [list(CHALLENGE_COLUMNS), challenge_values("C010")]})
    page = upload(login(organizer), CHALLENGES, data, "defis.csv")
    assert says(page, "File imported") and count(db, Challenge) == 1


def test_a_refused_workbook_lists_its_rows_and_imports_nothing(db, login, organizer, edition):
    before = written_rows(db)
    data = xlsx_bytes([student_values(), student_values(email="b@etu.utbm.fr", year="=2+1"),
                       student_values(email="faux")])
    page = upload(login(organizer), STUDENTS, data, "inscrits.xlsx")
    assert says(page, "File refused: nothing was imported")
    assert says(page, "Rows are numbered as the spreadsheet shows them, the header being row 1.")
    assert f'<th scope="col">{fr("Row")}</th>' in text(page)
    assert str(escape(fr("Cell %(cell)s holds a formula (%(formula)s): an import takes values "
                         "only. Replace the formulas by their values (copy, then paste values "
                         "only).", cell="E3", formula="=2+1"))) in text(page)
    assert "<td>3</td>" in text(page) and "<td>4</td>" in text(page)
    assert written_rows(db) == before


def test_an_old_excel_file_gets_its_reason_on_the_page(db, login, organizer, edition):
    page = upload(login(organizer), STUDENTS, compound_file("Workbook"), "inscrits.xlsx")
    assert says(page, "This is an Excel 97–2003 workbook (.xls), which cannot be imported: open "
                      "it and save it as an Excel workbook (.xlsx), an OpenDocument spreadsheet "
                      "(.ods) or CSV UTF-8.")
    assert count(db, StudentProfile) == 0


def test_the_command_imports_an_ods_then_refuses_one_naming_rows(app, db, edition, tmp_path):
    good = tmp_path / "defis.ods"
    good.write_bytes(ods_bytes({"Défis": [list(CHALLENGE_COLUMNS), challenge_values("C001"),
                                          challenge_values("C002", teams=3.0)]}))
    result = run(app, "import-challenges", str(good))
    assert result.exit_code == 0, result.output
    assert "defis.ods: 2 rows imported — 2 created, 0 updated, 0 unchanged." in result.output

    bad = tmp_path / "defis-bis.ods"
    bad.write_bytes(ods_bytes({"Défis": [
        list(CHALLENGE_COLUMNS), challenge_values("C003"),
        challenge_values("C004", teams=OdsCell(2, formula="=1+1"))]}))
    result = run(app, "import-challenges", str(bad))
    assert result.exit_code == 1
    assert "row 3, column teams: " + fr(
        "Cell %(cell)s holds a formula (%(formula)s): an import takes values only. Replace the "
        "formulas by their values (copy, then paste values only).", cell="F3", formula="=1+1",
    ) in result.output
    assert count(db, Challenge) == 2


def test_the_command_imports_students_from_xlsx_and_refuses_several_sheets(
    app, db, edition, tmp_path
):
    path = tmp_path / "inscrits.xlsx"
    path.write_bytes(xlsx_bytes([student_values(group="007")]))
    result = run(app, "import-students", str(path))
    assert result.exit_code == 0, result.output
    assert "inscrits.xlsx: 1 rows imported — 1 created" in result.output
    assert db.session.scalar(AuditEvent.__table__.select().with_only_columns(
        AuditEvent.action)) == "import.students"

    path.write_bytes(xlsx_bytes([student_values()], other_sheets={"Notes": [["à voir"]]}))
    result = run(app, "import-students", str(path))
    assert result.exit_code == 1
    assert "row 1: " + fr(
        "Several sheets hold data (%(sheets)s): keep only the sheet to import (delete or empty "
        "the others, or save that sheet alone) and send the file again.",
        sheets="Inscrits, Notes") in result.output
    assert count(db, StudentProfile) == 1
