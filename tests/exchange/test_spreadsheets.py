"""Reading .xlsx and .ods files: the same rows and checks as CSV, and every bad workbook refused
with its reason (pure parsing: no database)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime

import pytest

from crunchtime.imports import CHALLENGE_COLUMNS, STUDENT_COLUMNS, parse_challenges, parse_students
from tests.exchange.samples import codes, student, students_csv
from tests.exchange.workbook_files import (
    OdsCell,
    challenge_values,
    compound_file,
    ods_bytes,
    student_values,
    xlsx_bytes,
)

HEADER = list(STUDENT_COLUMNS)


def ods_students(*rows, **sheets) -> bytes:
    return ods_bytes({"Inscrits": [HEADER, *rows], **sheets})


def problems_of(data: bytes) -> list[tuple]:
    return [(p.line, p.column, p.code, dict(p.params)) for p in parse_students(data).problems]


@pytest.mark.parametrize("build", [
    lambda rows: xlsx_bytes(rows), lambda rows: ods_students(*rows),
], ids=["xlsx", "ods"])
def test_a_workbook_gives_the_same_rows_as_the_same_csv(build):
    cells = [student_values(email=f"etudiant{n}@etu.utbm.fr", last_name=f"Martin{n}",
                            year=3.0, interests="Santé,\nnumérique", group="007")
             for n in (1, 2)]
    as_csv = students_csv(*(student(email=f"etudiant{n}@etu.utbm.fr", last_name=f"Martin{n}",
                                    first_name="Camille", year="3", interests="Santé,\nnumérique",
                                    group="007")
                            for n in (1, 2)))
    from_sheet, from_csv = parse_students(build(cells)), parse_students(as_csv)
    assert from_sheet.problems == []
    assert [replace(row, line=0) for row in from_sheet.rows] == [
        replace(row, line=0) for row in from_csv.rows]
    assert [row.line for row in from_sheet.rows] == [2, 3]  # the CSV's cell spans two lines
    assert from_sheet.rows[0].year == 3 and from_sheet.rows[0].group == "007"
    assert from_sheet.source in ("xlsx", "ods") and from_csv.source == "csv"


def test_rows_keep_their_spreadsheet_numbers_across_blank_rows():
    data = xlsx_bytes([student_values(email="a@etu.utbm.fr"), [None] * 9, [None] * 9,
                       student_values(email="b@etu.utbm.fr", year=0)])
    assert codes(parse_students(data).problems) == [(5, "year", "out_of_range")]


def test_the_format_is_told_by_the_content_not_the_name():
    """Nothing here has a file name: an .xlsx saved as .csv (or the reverse) reads the same."""
    workbook = parse_challenges(xlsx_bytes([challenge_values("C001")], CHALLENGE_COLUMNS))
    assert workbook.problems == [] and workbook.rows[0].code == "C001"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as package:
        package.writestr("[Content_Types].xml", '<Types><Override ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
                         "/></Types>")
        package.writestr("word/document.xml", "<document/>")
    text_document = io.BytesIO()
    with zipfile.ZipFile(text_document, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    binary_workbook = io.BytesIO()
    with zipfile.ZipFile(binary_workbook, "w") as package:
        package.writestr("[Content_Types].xml", '<Types><Override PartName="/xl/workbook.bin" '
                         'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"'
                         "/></Types>")
    assert [p[2] for p in problems_of(binary_workbook.getvalue())] == ["binary_excel_format"]
    assert [p[2] for p in problems_of(other_zip.getvalue())] == ["not_a_spreadsheet"]
    assert [p[2] for p in problems_of(text_document.getvalue())] == ["not_a_spreadsheet"]


@pytest.mark.parametrize("build", [
    lambda: xlsx_bytes([student_values(year="=1+2"),
                        student_values(email="b@etu.utbm.fr", first_name='=UPPER("hugo")')]),
    lambda: ods_students(student_values(year=OdsCell(3, formula="=1+2")),
                         student_values(email="b@etu.utbm.fr",
                                        first_name=OdsCell("HUGO", formula='=UPPER("hugo")'))),
], ids=["xlsx", "ods"])
def test_formulas_are_refused_naming_their_cells(build):
    assert problems_of(build()) == [
        (2, "year", "formula_cell", {"cell": "E2", "formula": "=1+2"}),
        (3, "first_name", "formula_cell", {"cell": "B3", "formula": '=UPPER("hugo")'}),
    ]


@pytest.mark.parametrize("build", [
    lambda: xlsx_bytes([student_values(), student_values(email="b@etu.utbm.fr")],
                       merges=["B2:C2", "I2:I3"]),
    lambda: ods_students(student_values(first_name=OdsCell("Camille", spans=(2, 1))),
                         student_values(email="b@etu.utbm.fr", group=OdsCell("G1", spans=(1, 2))),
                         student_values(email="c@etu.utbm.fr")),
], ids=["xlsx", "ods"])
def test_merged_cells_are_refused_with_their_ranges(build):
    ranges = [(line, params["range"]) for line, _, code, params in problems_of(build())
              if code == "merged_cells"]
    assert ranges in ([(2, "B2:C2"), (2, "I2:I3")], [(2, "B2:C2"), (3, "I3:I4")])
    assert {code for _, _, code, _ in problems_of(build())} == {"merged_cells"}


@pytest.mark.parametrize("build", [
    lambda rows: xlsx_bytes(rows), lambda rows: ods_students(*rows),
], ids=["xlsx", "ods"])
def test_a_date_where_text_or_a_number_is_expected_is_a_row_error(build):
    data = build([student_values(year=datetime(1900, 1, 3)),
                  student_values(email="b@etu.utbm.fr", last_name=datetime(2026, 3, 1))])
    assert problems_of(data) == [
        (2, "year", "date_cell", {"cell": "E2", "value": "03/01/1900"}),
        (3, "last_name", "date_cell", {"cell": "C3", "value": "01/03/2026"}),
    ]  # and no "required" beside them: the cell's own problem says it


def test_true_false_and_error_cells_are_row_errors():
    data = xlsx_bytes([student_values(group=True), student_values(email="b@etu.utbm.fr",
                                                                  year="#N/A")])
    assert problems_of(data) == [
        (2, "group", "boolean_cell", {"cell": "I2", "value": "TRUE"}),
        (3, "year", "error_cell", {"cell": "E3", "value": "#N/A"}),
    ]


def test_numbers_read_as_the_import_expects_and_text_keeps_its_leading_zeros():
    data = ods_students(student_values(year=4.0, group="0042", interests="06 12 34 56 78"),
                        student_values(email="b@etu.utbm.fr", year=2.5))
    parsed = parse_students(data)
    assert (parsed.rows[0].year, parsed.rows[0].group) == (4, "0042")
    assert parsed.rows[0].interests == "06 12 34 56 78"
    assert [(p.line, p.code, dict(p.params)) for p in parsed.problems] == [
        (3, "not_integer", {"value": "2.5"})]


@pytest.mark.parametrize("build", [
    lambda main, other: xlsx_bytes(main, other_sheets={"Notes": other}),
    lambda main, other: ods_students(*main, Notes=other),
], ids=["xlsx", "ods"])
def test_data_on_several_sheets_is_refused_naming_them(build):
    assert problems_of(build([student_values()], [["à revoir"]])) == [
        (1, "", "several_sheets", {"sheets": ("Inscrits", "Notes")}),
    ]
    only_one = parse_students(build([student_values()], []))
    assert only_one.problems == [] and len(only_one.rows) == 1


def test_the_one_sheet_with_data_is_read_wherever_it_is():
    data = ods_bytes({"Consignes": [], "Inscrits": [HEADER, student_values()], "Vide": []})
    assert [row.email for row in parse_students(data).rows] == ["camille.martin@etu.utbm.fr"]


def test_identical_rows_written_once_with_a_repeat_count_are_each_read():
    """LibreOffice writes identical consecutive rows once, with number-rows-repeated."""
    data = ods_students((student_values(), 2))
    assert codes(parse_students(data).problems) == [(2, "email", "duplicate_email"),
                                                     (3, "email", "duplicate_email")]


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    (xlsx_bytes([], columns=[]), "empty_file"),
    (ods_bytes({"Feuille1": []}), "empty_file"),
    (xlsx_bytes([]), "no_rows"),
    (xlsx_bytes([student_values()])[:2000], "corrupt_file"),
    (ods_students(student_values())[:-40], "corrupt_file"),
    (compound_file("Workbook"), "old_excel_format"),
    (compound_file("EncryptionInfo", "EncryptedPackage"), "password_protected"),
    (ods_bytes({"Inscrits": [HEADER, student_values()]}, encrypted=True), "password_protected"),
], ids=["empty", "empty-xlsx", "empty-ods", "header-only", "truncated-xlsx", "truncated-ods",
        "xls", "encrypted-xlsx", "encrypted-ods"])
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(data, code):
    parsed = parse_students(data)
    assert [problem.code for problem in parsed.problems] == [code] and parsed.rows == []


def test_a_broken_sheet_xml_is_refused_as_damaged():
    good = xlsx_bytes([student_values()])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b"<row><c>")
            target.writestr(item, content)
    assert [p[2] for p in problems_of(broken.getvalue())] == ["corrupt_file"]


def test_a_formula_in_the_header_is_reported_on_row_1():
    data = xlsx_bytes([student_values()], columns=[*STUDENT_COLUMNS[:-1], '=LOWER("GROUP")'])
    found = problems_of(data)
    assert (1, "", "formula_cell", {"cell": "I1", "formula": '=LOWER("GROUP")'}) in found


def test_a_value_beyond_the_named_columns_is_refused_naming_its_cell():
    data = xlsx_bytes([student_values(), [*student_values(email="b@etu.utbm.fr"), None, "note"]])
    assert problems_of(data) == [(3, "", "outside_header", {"cell": "K3"})]


def test_sheet_names_are_read_as_the_spreadsheet_shows_them():
    data = ods_bytes({"R&D « 2026 »": [HEADER, student_values()], "Notes & idées": [["x"]]})
    assert problems_of(data)[0][3]["sheets"] == ("R&D « 2026 »", "Notes & idées")


def test_a_header_below_row_1_is_refused_saying_where_it_is():
    book = ods_bytes({"Inscrits": [[None], [None], HEADER, student_values()]})
    assert problems_of(book) == [(1, "", "header_not_on_row_1", {"row": 3})]
