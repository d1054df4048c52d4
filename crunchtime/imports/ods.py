"""OpenDocument spreadsheets (.ods), streamed from content.xml without keeping the tree.

LibreOffice writes runs of identical rows or cells once with a repeat count (often a million
empty rows to the sheet's end): an empty run only moves the row number on, a run with data is
read row by row, so the caller's row limit stops it.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from xml.etree.ElementTree import Element, iterparse

from crunchtime.imports.spreadsheet import (
    XML_ERRORS,
    Refused,
    SheetCell,
    Unreadable,
    Workbook,
    column_letters,
    merge_problems,
    number_text,
    read_member,
    shown_formula,
    the_data_sheet,
)

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CELLS = (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")
TABLE_TAG, ROW_TAG = f"{TABLE}table", f"{TABLE}table-row"
COLUMNS_REPEATED, ROWS_REPEATED = f"{TABLE}number-columns-repeated", f"{TABLE}number-rows-repeated"
COLUMNS_SPANNED, ROWS_SPANNED = f"{TABLE}number-columns-spanned", f"{TABLE}number-rows-spanned"
SCAN_CHUNK = 1 << 20
TABLE_WORD = re.compile(rb"table[\s>]")
TABLE_TAG_NAME = re.compile(rb"(?:[A-Za-z_][\w.-]*:)?table")
TABLE_NAME = re.compile(rb"\bname=[\"']([^\"']*)[\"']")
SPANNED = re.compile(rb"-spanned=[\"'](\d+)")
TEXT_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p\b[^>]*>[^<]")
MAX_COLUMNS = 16_384
NUMBER_TYPES = ("float", "percentage", "currency")


@dataclass(frozen=True)
class RawCell:
    """A cell before its row number is known (a repeated row shows it on several rows)."""

    column: int
    text: str = ""
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def on_row(self, row: int) -> SheetCell:
        if not self.code:
            return self.text
        return Unreadable(self.code, {"cell": f"{column_letters(self.column)}{row}",
                                      **dict(self.params)})


@dataclass(frozen=True)
class SheetRow:
    number: int
    cells: list[SheetCell]
    merges: list[str]


def read_ods(package: zipfile.ZipFile, data: bytes) -> Workbook:
    if b"encryption-data" in read_member(package, "META-INF/manifest.xml"):
        raise Refused("password_protected")
    sheets = _guarded_summary(package)
    name = the_data_sheet([(sheet.name, sheet.has_data) for sheet in sheets])
    index = next(n for n, sheet in enumerate(sheets) if sheet.name == name)
    if sheets[index].has_spans:
        merges = [cell_range for row in _guarded(_rows(package, index, with_merges=True))
                  for cell_range in row.merges]
        if problems := merge_problems(merges):
            return Workbook("ods", problems=problems)
    return Workbook("ods", rows=((row.number, row.cells)
                                 for row in _guarded(_rows(package, index))))


@dataclass(frozen=True)
class SheetSummary:
    name: str
    has_data: bool = False
    has_spans: bool = False


def _guarded_summary(package: zipfile.ZipFile) -> list[SheetSummary]:
    try:
        return _summary(package)
    except XML_ERRORS as error:
        raise Refused("corrupt_file", detail=str(error) or type(error).__name__) from error


def _summary(package: zipfile.ZipFile) -> list[SheetSummary]:
    """Each sheet's name, whether it holds a value, whether a cell spans others: a byte scan
    of content.xml (markup cannot occur inside XML text), far faster than walking every cell;
    the walk then reads the one sheet with data."""
    sheets: list[SheetSummary] = []
    tail = b""
    with package.open("content.xml") as source:
        while chunk := source.read(SCAN_CHUNK):
            window = tail + chunk
            cut = window.rfind(b"<")  # a tag cut by the chunk's end waits for the next one
            if cut <= 0 or len(window) - cut > SCAN_CHUNK:  # no tag start: a long text
                cut = len(window)
            whole, tail = window[:cut], window[cut:]
            segment_start = 0
            for start, name in _table_starts(whole):
                _summarise(sheets, whole[segment_start:start])
                sheets.append(SheetSummary(name))
                segment_start = start
            _summarise(sheets, whole[segment_start:])
    return sheets


def _table_starts(markup: bytes) -> Iterator[tuple[int, str]]:
    """(offset, sheet name) of each <table:table> start tag in `markup`."""
    for match in TABLE_WORD.finditer(markup):
        tag_start = markup.rfind(b"<", 0, match.start())
        if tag_start >= 0 and TABLE_TAG_NAME.fullmatch(markup, tag_start + 1, match.start() + 5):
            tag = markup[tag_start:markup.find(b">", match.start()) + 1]
            name = TABLE_NAME.search(tag)
            raw = name.group(1).decode("utf-8", "replace") if name else ""
            yield tag_start, html.unescape(raw)  # the XML entities and character references


def _summarise(sheets: list[SheetSummary], segment: bytes) -> None:
    """Note what one stretch of the current sheet's markup holds."""
    if not sheets or not segment:
        return
    sheet = sheets[-1]
    if not sheet.has_data and (b"value-type=" in segment or b"formula=" in segment
                               or TEXT_PARAGRAPH.search(segment)):
        sheet = replace(sheet, has_data=True)
    if not sheet.has_spans and any(int(count) > 1 for count in SPANNED.findall(segment)):
        sheet = replace(sheet, has_spans=True)
    sheets[-1] = sheet


def _guarded(rows: Iterator[SheetRow]) -> Iterator[SheetRow]:
    try:
        yield from rows
    except XML_ERRORS as error:
        raise Refused("corrupt_file", detail=str(error) or type(error).__name__) from error


def _rows(package: zipfile.ZipFile, index: int, with_merges: bool = False
          ) -> Iterator[SheetRow]:
    """The rows with a value (or a merge) of the sheet at `index`; other sheets are skipped."""
    tables, number, stack, cells, column = -1, 0, [], [], 1
    with package.open("content.xml") as source:
        for event, element in iterparse(source, events=("start", "end")):  # noqa: S314 -- expat 2.5
            tag = element.tag
            if event == "start":
                stack.append(element)
                if tag == TABLE_TAG:
                    tables += 1
                elif tag == ROW_TAG:
                    cells, column = [], 1
                continue
            stack.pop()
            if tag == ROW_TAG:
                if tables == index:
                    repeat = _count(element, ROWS_REPEATED)
                    merges = _merges(element, number + 1) if with_merges else []
                    yield from _repeated(number, cells, merges, repeat)
                    number += repeat
                if stack:
                    stack[-1].remove(element)  # a finished row is not kept
            elif tables == index and tag in CELLS and stack[-1].tag == ROW_TAG:
                repeat = _count(element, COLUMNS_REPEATED)
                cell = _cell(element, column)
                if cell.text or cell.code:
                    cells.extend(RawCell(column + n, cell.text, cell.code, cell.params)
                                 for n in range(min(repeat, MAX_COLUMNS - column + 1)))
                column += repeat
            elif tag == TABLE_TAG and tables == index:
                return


def _repeated(number: int, cells: list[RawCell], merges: list[str],
              repeat: int) -> Iterator[SheetRow]:
    """The rows a <table:table-row> stands for; nothing when it holds no value nor merge."""
    if not cells and not merges:
        return
    for offset in range(repeat):
        row_number = number + 1 + offset
        values: list[SheetCell] = [""] * (cells[-1].column if cells else 0)
        for cell in cells:
            values[cell.column - 1] = cell.on_row(row_number)
        yield SheetRow(row_number, values, merges if offset == 0 else [])


def _cell(element: Element, column: int) -> RawCell:
    formula = element.get(f"{TABLE}formula")
    if formula is not None:
        shown = formula.removeprefix("of:")
        return RawCell(column, code="formula_cell", params=(("formula", shown_formula(shown)),))
    kind = element.get(f"{OFFICE}value-type")
    if kind in NUMBER_TYPES:
        return RawCell(column, number_text(float(element.get(f"{OFFICE}value", "0"))))
    if kind in ("date", "time"):
        value = element.get(f"{OFFICE}{kind}-value", "")
        return RawCell(column, code="date_cell", params=(("value", _shown_date(value)),))
    if kind == "boolean":
        value = element.get(f"{OFFICE}boolean-value", "")
        return RawCell(column, code="boolean_cell", params=(("value", value.upper()),))
    if kind == "string" and element.get(f"{OFFICE}string-value") is not None:
        return RawCell(column, element.get(f"{OFFICE}string-value", ""))
    paragraphs = [_inline(child) for child in element if child.tag in (f"{TEXT}p", f"{TEXT}h")]
    return RawCell(column, "\n".join(paragraphs))


def _inline(element: Element) -> str:
    """The text of a paragraph: spans and links kept, notes and annotations left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}s":
            parts.append(" " * _count(child, f"{TEXT}c"))
        elif child.tag == f"{TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        elif child.tag not in (f"{TEXT}note", f"{OFFICE}annotation"):
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _shown_date(value: str) -> str:
    """2026-12-07 → 07/12/2026 (with the time when there is one); a duration as written."""
    day, _, clock = value.partition("T")
    parts = day.split("-")
    if len(parts) != 3:
        return value
    shown = "/".join(reversed(parts))
    return f"{shown} {clock[:5]}" if clock and clock[:5] != "00:00" else shown


def _spans(element: Element) -> tuple[int, int]:
    if element.tag != CELLS[0]:
        return 1, 1
    return _count(element, COLUMNS_SPANNED), _count(element, ROWS_SPANNED)


def _merges(row: Element, number: int) -> list[str]:
    """The merged ranges the row's cells start, such as "B3:C4"."""
    ranges, column = [], 1
    for cell in row:
        columns, rows = _spans(cell)
        if (columns, rows) != (1, 1):
            ranges.append(f"{column_letters(column)}{number}:"
                          f"{column_letters(column + columns - 1)}{number + rows - 1}")
        column += _count(cell, COLUMNS_REPEATED)
    return ranges


def _count(element: Element, attribute: str) -> int:
    """A repeat or span count (1 when absent or broken)."""
    value = element.get(attribute)
    if value is None:
        return 1
    try:
        return max(1, int(value))
    except ValueError:
        return 1
