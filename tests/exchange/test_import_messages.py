"""Every problem code has words, in French by default, filled with its details."""

from __future__ import annotations

import pytest

from crunchtime.imports import RowProblem
from crunchtime.services.exchange.words import MESSAGES, problem_line, problem_message
from tests.helpers import fr

SAMPLES = {
    "not_utf8": {"byte": "0xE9", "char": "é", "position": 7},
    "bad_quoting": {"detail": "',' expected after '\"'"},
    "unknown_column": {"expected": "email, first_name"},
    "unnamed_column": {"position": 4},
    "too_many_cells": {"count": 11, "expected": 9},
    "too_long": {"length": 90, "max": 80},
    "item_too_long": {"item": "xxx", "max": 80},
    "invalid_email": {"value": "anne@"},
    "not_integer": {"value": "trois"},
    "out_of_range": {"value": 9, "min": 1, "max": 8},
    "duplicate_choice": {"code": "C001"},
    "too_many_choices": {"count": 6, "max": 5},
    "too_few_choices": {"count": 2, "min": 3},
    "unknown_challenge": {"code": "C404"},
    "challenge_not_approved": {"code": "C009"},
    "bad_code": {"value": "D12"},
    "email_not_student": {"value": "jury@utbm.fr", "role": "jury"},
    "group_full_in_app": {"group": "AMIS", "size": 4, "max": 3},
    "duplicate_email": {"value": "anne@utbm.fr", "lines": (4,)},
    "duplicate_code": {"value": "C001", "lines": (4, 9)},
    "group_too_large": {"group": "AMIS", "size": 4, "max": 3, "lines": (3, 4, 5)},
    "corrupt_file": {"detail": "Bad CRC-32 for file 'xl/worksheets/sheet1.xml'"},
    "too_large_uncompressed": {"size": 512, "max": 100},
    "several_sheets": {"sheets": ("Inscrits", "Notes")},
    "too_many_rows": {"max": 20000},
    "merged_cells": {"range": "B3:C4"},
    "more_merged_cells": {"count": 7},
    "formula_cell": {"cell": "C12", "formula": "=A12+1"},
    "date_cell": {"cell": "E4", "value": "03/01/1900"},
    "boolean_cell": {"cell": "D2", "value": "TRUE"},
    "error_cell": {"cell": "E9", "value": "#N/A"},
    "outside_header": {"cell": "K4"},
    "header_not_on_row_1": {"row": 3},
}


@pytest.mark.parametrize("code", sorted({*MESSAGES, *SAMPLES}))
def test_every_problem_code_is_explained(app_context, code):
    problem = RowProblem(3, "year", code, SAMPLES.get(code, {}))
    message = problem_message(problem)
    assert message and "%(" not in message
    for value in SAMPLES.get(code, {}).values():
        if isinstance(value, str | int) and code != "email_not_student":
            assert str(value) in message


def test_repeated_values_name_the_other_lines_with_the_right_plural(app_context):
    one = problem_message(RowProblem(2, "email", "duplicate_email",
                                     {"value": "a@b.fr", "lines": (4,)}))
    many = problem_message(RowProblem(2, "email", "duplicate_email",
                                      {"value": "a@b.fr", "lines": (4, 7)}))
    assert one == fr("The e-mail address %(value)s is also on line %(lines)s.",
                     "The e-mail address %(value)s is also on lines %(lines)s.",
                     num=1, value="a@b.fr", lines="4")
    assert many.endswith("4, 7.")


def test_the_role_of_another_account_is_named_in_words(app_context):
    message = problem_message(RowProblem(2, "email", "email_not_student",
                                         {"value": "x@y.fr", "role": "company"}))
    assert fr("Partner organisation") in message


def test_a_report_line_names_line_column_and_the_spreadsheet_row_when_it_differs(app_context):
    same = problem_line(RowProblem(5, "year", "required", {}, 5))
    assert same == f"line 5, column year: {fr('This cell must not be empty.')}"
    shifted = problem_line(RowProblem(9, "year", "required", {}, 4))
    assert shifted.startswith("line 9, column year: ")
    assert shifted.endswith(fr("(spreadsheet row %(row)d)", row=4))
    assert problem_line(RowProblem(1, "", "empty_file")) == f"line 1: {fr('The file is empty.')}"


def test_a_workbook_report_line_names_the_row_as_the_spreadsheet_shows_it(app_context):
    problem = RowProblem(12, "year", "formula_cell", {"cell": "E12", "formula": "=1+2"}, 12)
    assert problem_line(problem, spreadsheet=True).startswith("row 12, column year: ")
