"""An uploaded file as records of named cells with their line numbers (pure: bytes in).

Accepts what spreadsheets write: CSV in UTF-8 with or without BOM, `,` or (French Excel) `;`
between fields, quoted cells spanning several lines, CRLF line ends; or the workbook itself
(.xlsx, .ods: see `workbooks`), whose rows become the same records, numbered as shown.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from crunchtime.imports.results import RowProblem
from crunchtime.imports.spreadsheet import (
    MAX_DATA_ROWS,
    Refused,
    SheetCell,
    Unreadable,
    Workbook,
    column_letters,
)
from crunchtime.imports.workbooks import is_spreadsheet, read_workbook

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
FIELD_SEPARATORS = (",", ";")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Record:
    """One data row: where it starts (physical line, spreadsheet row) and its cells by column."""

    line: int
    row: int
    cells: dict[str, str]
    reported: frozenset[str] = frozenset()  # columns whose cell already has its problem

    def problem(self, column: str, reason: str, /, **params) -> RowProblem:
        return RowProblem(self.line, column, reason, params, self.row)


@dataclass
class Table:
    records: list[Record] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    delimiter: str = ","
    source: str = "csv"


def read_table(data: bytes, columns: Sequence[str]) -> Table:
    """The file's records under the expected `columns`, and the problems of the file itself.

    A wrong encoding or header leaves no records: rows cannot be read reliably then.
    """
    if is_spreadsheet(data):
        return _sheet_table(read_workbook(data), columns)
    text, problem = decode(data)
    if problem is not None:
        return Table(problems=[problem])
    if not text.strip():
        return Table(problems=[RowProblem(1, "", "empty_file", row=1)])
    delimiter = detect_delimiter(text)
    table = Table(delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = _numbered(reader, table.problems)
    header = next(records, None)
    names = _header_names(header[2] if header else [], columns, table.problems)
    if table.problems:
        return table
    for line, row, cells in records:
        record = _record(line, row, cells, names, table.problems)
        if record is not None:
            table.records.append(record)
    if not table.records and not table.problems:
        table.problems.append(RowProblem(2, "", "no_rows", row=2))
    return table


def _sheet_table(book: Workbook, columns: Sequence[str]) -> Table:
    """The sheet's rows as records (line = row as shown); at most MAX_DATA_ROWS of them."""
    table = Table(problems=book.problems, delimiter="", source=book.format)
    if table.problems:
        return table
    try:
        number, cells = next(book.rows, (0, []))
        if number != 1:
            table.problems.append(RowProblem(1, "", "header_not_on_row_1", {"row": number}, 1))
            return table
        names = _header_names(_header_cells(cells, table.problems), columns, table.problems)
        if not table.problems:
            _read_sheet_rows(table, book, names)
    except Refused as refused:
        table.records.clear()
        table.problems = [RowProblem(1, "", refused.code, refused.params, 1)]
    finally:
        book.close()
    if not table.records and not table.problems:
        table.problems.append(RowProblem(2, "", "no_rows", row=2))
    return table


def _header_cells(cells: list[SheetCell], problems: list[RowProblem]) -> list[str]:
    for cell in cells:
        if isinstance(cell, Unreadable):
            problems.append(RowProblem(1, "", cell.code, cell.params, 1))
    return [cell if isinstance(cell, str) else "" for cell in cells]


def _read_sheet_rows(table: Table, book: Workbook, names: list[str]) -> None:
    """Stops reading at the first data row beyond MAX_DATA_ROWS: memory stays bounded."""
    rows_read = 0
    for number, cells in book.rows:
        if not any(cells):
            continue
        rows_read += 1
        if rows_read > MAX_DATA_ROWS:
            table.records.clear()  # the other problems would be noise beside this one
            table.problems[:] = [
                RowProblem(number, "", "too_many_rows", {"max": MAX_DATA_ROWS}, number)]
            return
        _add_sheet_record(table, number, cells, names)


def _add_sheet_record(table: Table, number: int, cells: list[SheetCell],
                      names: list[str]) -> None:
    """A row's record; a cell the import cannot read as text, or outside the header's
    columns, gets its problem, once."""
    values, reported = [], set()
    for position, cell in enumerate(cells):
        if position >= len(names):
            if isinstance(cell, Unreadable) or cell.strip():
                reference = f"{column_letters(position + 1)}{number}"
                table.problems.append(RowProblem(number, "", "outside_header",
                                                 {"cell": reference}, number))
                reported.add("")
            continue
        if isinstance(cell, Unreadable):
            table.problems.append(RowProblem(number, names[position], cell.code, cell.params,
                                             number))
            reported.add(names[position])
            cell = ""
        values.append(cell)
    if reported and not any(values):
        return
    record = _record(number, number, values, names, table.problems, frozenset(reported))
    if record is not None:
        table.records.append(record)


def decode(data: bytes) -> tuple[str, RowProblem | None]:
    """UTF-8 text without its BOM, or the problem naming the first byte that is not UTF-8."""
    if data.startswith(UTF16_BOMS):
        return "", RowProblem(1, "", "utf16", row=1)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        position = start - data.rfind(b"\n", 0, start)
        byte = data[start : start + 1]
        params = {
            "byte": f"0x{byte[0]:02X}",
            "char": byte.decode("cp1252", errors="replace"),
            "position": position,
        }
        return "", RowProblem(line, "", "not_utf8", params, None)


def detect_delimiter(text: str) -> str:
    """`;` when the header line uses it more than `,` (Excel in French locales), else `,`."""
    header_line = text.split("\n", 1)[0]
    return max(FIELD_SEPARATORS, key=header_line.count)


def _numbered(reader, problems: list[RowProblem]) -> Iterator[tuple[int, int, list[str]]]:
    """(first physical line, spreadsheet row, cells) of each record; stops at broken quoting."""
    next_line, row = 1, 0
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            code = "unclosed_quote" if "end of data" in str(error) else "bad_quoting"
            problems.append(RowProblem(next_line, "", code, {"detail": str(error)}, row))
            return
        yield next_line, row, cells
        next_line = reader.line_num + 1


def _header_names(
    header: list[str], columns: Sequence[str], problems: list[RowProblem]
) -> list[str]:
    """The header's column names, each problem (missing, unknown, repeated) reported on line 1."""
    names = [name.strip().lower() for name in header]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(RowProblem(1, "", "unnamed_column", {"position": position}, 1))
        elif name in seen:
            problems.append(RowProblem(1, name, "duplicate_column", {}, 1))
        elif name not in columns:
            problems.append(
                RowProblem(1, name, "unknown_column", {"expected": ", ".join(columns)}, 1)
            )
        seen.add(name)
    for name in columns:
        if name not in seen:
            problems.append(RowProblem(1, name, "missing_column", {}, 1))
    return names


def _record(
    line: int, row: int, cells: list[str], names: list[str], problems: list[RowProblem],
    reported: frozenset[str] = frozenset(),
) -> Record | None:
    """The record of a non-blank row; None (with a problem if needed) for rows not to validate."""
    values = [_clean(cell) for cell in cells]
    if not any(values):
        return None
    record = Record(line, row, dict(zip(names, values, strict=False)), reported)
    for name in names[len(values) :]:
        record.cells[name] = ""
    used = len(values)
    while used > len(names) and not values[used - 1]:
        used -= 1
    if used > len(names):
        problems.append(record.problem("", "too_many_cells", count=used, expected=len(names)))
        return None
    for name, value in record.cells.items():
        if CONTROL_CHARACTERS.search(value):
            problems.append(record.problem(name, "control_character"))
    return record


def _clean(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()
