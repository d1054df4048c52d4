"""The words for each import problem: `RowProblem.code` → a translated sentence."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from crunchtime.imports import RowProblem
from crunchtime.services.accounts.words import ROLE_LABELS

MESSAGES = {
    "not_utf8": _l(
        "The file is not in UTF-8: byte %(byte)s (“%(char)s” in the old Windows encoding) at "
        "position %(position)d of this line. In Excel, save it as “CSV UTF-8 (comma "
        "delimited)”."
    ),
    "utf16": _l("The file is in UTF-16 (“Unicode text”). Save it as “CSV UTF-8 (comma "
                "delimited)”."),
    "empty_file": _l("The file is empty."),
    "no_rows": _l("The file has a header but no data rows."),
    "unclosed_quote": _l("A quoted cell starts on this line and is never closed: a \" is "
                         "missing."),
    "bad_quoting": _l("The quotes on this line are not valid CSV (%(detail)s)."),
    "missing_column": _l("The header lacks the column “%(column)s”."),
    "unknown_column": _l("Unknown column “%(column)s”; the expected columns are: "
                         "%(expected)s."),
    "duplicate_column": _l("The column “%(column)s” appears twice in the header."),
    "unnamed_column": _l("Column %(position)d of the header has no name."),
    "too_many_cells": _l("This row has %(count)d cells but the header has %(expected)d "
                         "columns: does a cell contain the separator without quotes?"),
    "control_character": _l("This cell contains an invisible control character; retype it."),
    "required": _l("This cell must not be empty."),
    "too_long": _l("Too long: %(length)d characters, at most %(max)d."),
    "item_too_long": _l("“%(item)s” is too long: at most %(max)d characters."),
    "invalid_email": _l("“%(value)s” is not a valid e-mail address."),
    "not_integer": _l("“%(value)s” is not a whole number."),
    "out_of_range": _l("%(value)d is out of range: it must be between %(min)d and %(max)d."),
    "duplicate_choice": _l("The challenge %(code)s is chosen twice."),
    "too_many_choices": _l("%(count)d challenges chosen; at most %(max)d."),
    "too_few_choices": _l("%(count)d challenges chosen; a student ranks at least %(min)d "
                          "(or leave the cell empty to let them rank in the app)."),
    "unknown_challenge": _l("No challenge has the code %(code)s in this edition."),
    "challenge_not_approved": _l("The challenge %(code)s is not approved: students cannot "
                                 "choose it."),
    "bad_code": _l("“%(value)s” is not a challenge code: C followed by digits, such as C017."),
    "email_not_student": _l("%(value)s is the address of an account of another kind "
                            "(%(role)s), not of a student."),
    "student_deleted": _l("This student's data was deleted at their request: remove the row."),
    "group_full_in_app": _l("The group %(group)s would have %(size)d students with those who "
                            "joined it in the app; at most %(max)d."),
    # spreadsheets (.xlsx, .ods): the whole file
    "old_excel_format": _l("This is an Excel 97–2003 workbook (.xls), which cannot be imported: "
                           "open it and save it as an Excel workbook (.xlsx), an OpenDocument "
                           "spreadsheet (.ods) or CSV UTF-8."),
    "binary_excel_format": _l("This is a binary Excel workbook (.xlsb), which cannot be "
                              "imported: save it as an Excel workbook (.xlsx), an OpenDocument "
                              "spreadsheet (.ods) or CSV UTF-8."),
    "password_protected": _l("The file is protected by a password, so it cannot be read: open "
                             "it, remove the password, save it and send it again."),
    "corrupt_file": _l("The file cannot be read as a spreadsheet: it is damaged or incomplete "
                       "(%(detail)s). Open it in your spreadsheet program, save it again and "
                       "send the new file."),
    "not_a_spreadsheet": _l("The file is a compressed archive but neither an Excel workbook "
                            "(.xlsx) nor an OpenDocument spreadsheet (.ods): send the "
                            "spreadsheet or the CSV file itself."),
    "too_large_uncompressed": _l("Once uncompressed, the file would take %(size)d MB, more than "
                                 "the %(max)d MB accepted for an import."),
    "several_sheets": _l("Several sheets hold data (%(sheets)s): keep only the sheet to import "
                         "(delete or empty the others, or save that sheet alone) and send the "
                         "file again."),
    "too_many_rows": _l("The sheet has more than %(max)d data rows, the most one import "
                        "accepts: split it into several files."),
    "header_not_on_row_1": _l("Row 1 is empty: the column names must be on row 1 (the first "
                              "filled row is row %(row)d)."),
    "merged_cells": _l("The cells %(range)s are merged: unmerge them and give each cell its own "
                       "value."),
    "more_merged_cells": _l("And %(count)d more merged ranges: unmerge every cell of the sheet."),
    # spreadsheets: one cell
    "formula_cell": _l("Cell %(cell)s holds a formula (%(formula)s): an import takes values "
                       "only. Replace the formulas by their values (copy, then paste values "
                       "only)."),
    "date_cell": _l("Cell %(cell)s holds a date (%(value)s) where text or a number is "
                    "expected: format the column as text and type the value again."),
    "boolean_cell": _l("Cell %(cell)s holds a true/false value (%(value)s) where text or a "
                       "number is expected: format the column as text and type the value "
                       "again."),
    "outside_header": _l("Cell %(cell)s holds a value but its column has no name in the header "
                         "(row 1): name the column or empty the cell."),
    "error_cell": _l("Cell %(cell)s holds the error %(value)s: correct it in the spreadsheet."),
}


def problem_message(problem: RowProblem) -> str:
    """The sentence explaining `problem`, in the current language."""
    params = {name: _display(value) for name, value in problem.params.items()}
    params.setdefault("column", problem.column)
    if problem.code == "email_not_student":
        params["role"] = str(ROLE_LABELS.get(str(params["role"]), params["role"]))
    if problem.code in ("duplicate_email", "duplicate_code", "group_too_large"):
        return _repeat_message(problem.code, len(problem.params["lines"]), params)
    return str(MESSAGES[problem.code]) % params


def _repeat_message(code: str, count: int, params: dict) -> str:
    if code == "duplicate_email":
        return ngettext("The e-mail address %(value)s is also on line %(lines)s.",
                        "The e-mail address %(value)s is also on lines %(lines)s.",
                        count, **params)
    if code == "duplicate_code":
        return ngettext("The code %(value)s is also on line %(lines)s.",
                        "The code %(value)s is also on lines %(lines)s.", count, **params)
    return _("The group %(group)s has %(size)d students in the file (also on lines "
             "%(lines)s); at most %(max)d.", **params)


def _display(value):
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return value


def problem_line(problem: RowProblem, spreadsheet: bool = False) -> str:
    """`line N, column X: reason` (the CLI's report line); the spreadsheet row when it differs.

    A workbook's problems are on `row N`: its rows are numbered as the spreadsheet shows them.
    """
    where = f"{'row' if spreadsheet else 'line'} {problem.line}"
    if problem.column:
        where += f", column {problem.column}"
    text = f"{where}: {problem_message(problem)}"
    if problem.row is not None and problem.row != problem.line:
        text += " " + _("(spreadsheet row %(row)d)", row=problem.row)
    return text
