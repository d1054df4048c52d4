"""What the spreadsheet readers share: the cells they yield, their limits and their refusals."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from xml.etree.ElementTree import ParseError

from crunchtime.imports.results import RowProblem

MAX_DATA_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_REPORTED_MERGES = 20
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass(frozen=True)
class Unreadable:
    """A cell whose content is not a value an import can take as text (formula, date, …)."""

    code: str
    params: Mapping[str, object]


SheetCell = str | Unreadable


@dataclass
class Workbook:
    """The rows of the one sheet with data (row number as shown, cells), or why there are none."""

    format: str  # "xlsx", "ods"; "zip" or "ole" for a container refused before reading it
    problems: list[RowProblem] = field(default_factory=list)
    rows: Iterator[tuple[int, list[SheetCell]]] = field(default_factory=lambda: iter(()))

    def close(self) -> None:
        """Stop reading (the rows past a limit are never parsed) and release the package."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


class Refused(Exception):
    """The whole file is refused for `code` (with `params`): no row can be read."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def read_member(package: zipfile.ZipFile, name: str) -> bytes:
    try:
        return package.read(name)
    except KeyError as error:
        raise Refused("corrupt_file", detail=f"{name} is missing") from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise Refused("corrupt_file", detail=str(error)) from error


def the_data_sheet(sheets: list[tuple[str, bool]]) -> str:
    """The name of the only sheet with data (`sheets`: name and whether it has data)."""
    with_data = [name for name, has_data in sheets if has_data]
    if not with_data:
        raise Refused("empty_file")
    if len(with_data) > 1:
        raise Refused("several_sheets", sheets=tuple(with_data))
    return with_data[0]


def merge_problems(ranges: list[str]) -> list[RowProblem]:
    """One problem per merged range (the first MAX_REPORTED_MERGES), on its top row."""
    problems = []
    for cell_range in ranges[:MAX_REPORTED_MERGES]:
        row = _row_of(cell_range.split(":")[0])
        problems.append(RowProblem(row, "", "merged_cells", {"range": cell_range}, row))
    if len(ranges) > MAX_REPORTED_MERGES:
        problems.append(RowProblem(1, "", "more_merged_cells",
                                   {"count": len(ranges) - MAX_REPORTED_MERGES}, 1))
    return problems


def _row_of(reference: str) -> int:
    match = CELL_REFERENCE.fullmatch(reference.replace("$", "").upper())
    return int(match.group(2)) if match else 1


def column_letters(number: int) -> str:
    """1 → A, 27 → AA: the column as the spreadsheet names it."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def number_text(value: int | float) -> str:
    """A number as the import reads it: 3.0 → "3" (a year, a count), else 15 digits at most."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def typed_cell(value: object, reference: str) -> SheetCell:
    """The text of a cell's typed value, or why a text or number column cannot take it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return Unreadable("boolean_cell", {"cell": reference,
                                           "value": "TRUE" if value else "FALSE"})
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, datetime | date | time | timedelta):
        return Unreadable("date_cell", {"cell": reference, "value": _date_text(value)})
    return str(value)


def _date_text(value: datetime | date | time | timedelta) -> str:
    if isinstance(value, datetime):
        shown = value.strftime("%d/%m/%Y")
        return shown if value.time() == time() else f"{shown} {value:%H:%M}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def formula_cell(reference: str, formula: str) -> Unreadable:
    return Unreadable("formula_cell", {"cell": reference, "formula": shown_formula(formula)})


def shown_formula(formula: str) -> str:
    """The formula as a problem quotes it: its first 60 characters."""
    return formula if len(formula) <= 60 else formula[:59] + "…"


XML_ERRORS = (ParseError, KeyError, IndexError, ValueError, TypeError, zipfile.BadZipFile,
              EOFError, OSError)
