"""Office Open XML workbooks (.xlsx, .xlsm), read by openpyxl in streaming (read-only) mode.

Before any row is read, each sheet's XML is scanned once (without keeping it) for whether it
holds a value and for its merged ranges, which openpyxl's read-only mode does not report.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from crunchtime.imports.spreadsheet import (
    XML_ERRORS,
    Refused,
    SheetCell,
    Unreadable,
    Workbook,
    formula_cell,
    merge_problems,
    the_data_sheet,
    typed_cell,
)

SCAN_CHUNK = 1 << 20
CELL_CONTENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|f|is)[\s/>]")
MERGED_RANGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=[\"']([^\"']+)")
LOAD_ERRORS = (*XML_ERRORS, InvalidFileException, AttributeError)


def read_xlsx(package: zipfile.ZipFile, data: bytes) -> Workbook:
    book = _load(data)
    try:  # openpyxl names each sheet's part only in this attribute, stable since 2.x
        scans = {sheet.title: _scan(package, sheet._worksheet_path) for sheet in book.worksheets}
    except LOAD_ERRORS as error:
        raise Refused("corrupt_file", detail=str(error)) from error
    name = the_data_sheet([(title, has_data) for title, (has_data, _) in scans.items()])
    problems = merge_problems(scans[name][1])
    if problems:
        return Workbook("xlsx", problems=problems)
    sheet = book[name]
    sheet.reset_dimensions()  # the declared size may be stale or huge: read what is there
    return Workbook("xlsx", rows=_rows(sheet))


def _load(data: bytes):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except LOAD_ERRORS as error:
        raise Refused("corrupt_file", detail=str(error) or type(error).__name__) from error


def _scan(package: zipfile.ZipFile, path: str) -> tuple[bool, list[str]]:
    """(whether a cell holds a value or a formula, the merged ranges) of one sheet's XML.

    A byte scan, chunk by chunk: markup cannot occur inside XML text (`<` is escaped there),
    and it is some fifty times faster than walking every element of a large sheet.
    """
    has_data, merges, tail = False, [], b""
    with package.open(path.lstrip("/")) as source:
        while chunk := source.read(SCAN_CHUNK):
            window = tail + chunk
            cut = window.rfind(b">") + 1  # a tag cut by the chunk's end waits for the next
            whole, tail = window[:cut], window[cut:][-SCAN_CHUNK:]
            has_data = has_data or CELL_CONTENT.search(whole) is not None
            merges += [ref.decode("ascii", "replace") for ref in MERGED_RANGE.findall(whole)]
    return has_data, merges


def _rows(sheet) -> Iterator[tuple[int, list[SheetCell]]]:
    """Each row with its number as shown (absent rows count, as the spreadsheet shows them)."""
    rows, number = sheet.iter_rows(), 0
    try:
        while True:
            with warnings.catch_warnings():  # never left set while the caller holds the rows
                warnings.simplefilter("ignore")
                cells = next(rows, None)
            if cells is None:
                return
            number += 1
            yield number, [_cell(cell) for cell in cells]
    except LOAD_ERRORS as error:
        raise Refused("corrupt_file", detail=str(error) or type(error).__name__) from error
    finally:
        sheet.parent.close()


def _cell(cell) -> SheetCell:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if cell.data_type == "f":
        return formula_cell(cell.coordinate, str(getattr(value, "text", value)))
    if cell.data_type == "e":
        return Unreadable("error_cell", {"cell": cell.coordinate, "value": str(value)})
    return typed_cell(value, cell.coordinate)
