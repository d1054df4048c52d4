"""The one CSV writer of every export (the organisers' downloads and `crunchtime export`), and
its rule against spreadsheet formulas (CSV injection, OWASP): Excel and LibreOffice run a
cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so a team
renamed `=HYPERLINK(…)` would run in the organiser's spreadsheet.

The rule, per cell:
- a real number (an int, a float, a Decimal: a score, a count, a place) is written as is,
  so `-2.5` stays a number the spreadsheet can sum; it cannot hold a formula;
- any other value is text: a single quote goes before it when it starts with one of those
  characters (or a line feed), so `=1+1` is shown as `'=1+1` and never computed. A text that
  looks like a number (`"-2"`) is escaped too: only the type of the value says "number".
- The same quote goes before such a character that follows a `,` or a `;` inside the text:
  Excel in French splits a comma-separated file on `;` (and in English a semicolon-separated
  one on `,`), so `x;=1+1` would otherwise become a cell `=1+1` there.

Nothing else changes: the file is UTF-8 with a BOM (Excel then reads the accents), CRLF line
ends, a header row, and the separator the caller chose.
"""

from __future__ import annotations

import csv
import io
import numbers
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

BOM = "\ufeff"
FORMULA_STARTS = "=+-@\t\r\n"
ESCAPE = "'"
_CELL_STARTS = re.compile(r"(^|[,;])(?=[" + re.escape(FORMULA_STARTS) + "])")
CHUNK_CHARS = 64 * 1024


def safe_cell(value: object) -> object:
    """The value as the CSV writes it: numbers kept, None empty, text escaped (see above)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):
        return value
    return _CELL_STARTS.sub(r"\1" + ESCAPE, str(value))


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in row]


def csv_chunks(header: Sequence[str], rows: Iterable[Iterable[object]], delimiter: str = ",",
               chunk_chars: int = CHUNK_CHARS) -> Iterator[str]:
    """The whole file (BOM, header, rows) in pieces of about `chunk_chars`, for a streamed
    download or a file; `rows` may be a lazy iterable."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
        if buffer.tell() > chunk_chars:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(target: TextIO, header: Sequence[str], rows: Iterable[Iterable[object]],
              delimiter: str = ",") -> int:
    """Write the file to `target` (opened with newline=""); the number of data rows."""
    count = 0

    def counted() -> Iterator[Iterable[object]]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    for chunk in csv_chunks(header, counted(), delimiter):
        target.write(chunk)
    return count
