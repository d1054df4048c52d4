"""An uploaded CSV file as records of named cells with their line numbers (pure: bytes in).

Accepts what spreadsheets write: UTF-8 with or without BOM, `,` or (French Excel) `;`
between fields, quoted cells spanning several lines, CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from crunchtime.imports.results import RowProblem

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
FIELD_SEPARATORS = (",", ";")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Record:
    """One data row: where it starts (physical line, spreadsheet row) and its cells by column."""

    line: int
    row: int
    cells: dict[str, str]

    def problem(self, column: str, reason: str, /, **params) -> RowProblem:
        return RowProblem(self.line, column, reason, params, self.row)


@dataclass
class Table:
    records: list[Record] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    delimiter: str = ","


def read_table(data: bytes, columns: Sequence[str]) -> Table:
    """The file's records under the expected `columns`, and the problems of the file itself.

    A wrong encoding or header leaves no records: rows cannot be read reliably then.
    """
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
    line: int, row: int, cells: list[str], names: list[str], problems: list[RowProblem]
) -> Record | None:
    """The record of a non-blank row; None (with a problem if needed) for rows not to validate."""
    values = [_clean(cell) for cell in cells]
    if not any(values):
        return None
    record = Record(line, row, dict(zip(names, values, strict=False)))
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
