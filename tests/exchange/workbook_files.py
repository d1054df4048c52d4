"""Workbooks for the spreadsheet import tests, built here: .xlsx by openpyxl, .ods by hand
(the three parts an OpenDocument spreadsheet needs), Excel 97–2003 and encrypted workbooks as
the OLE2 compound files Office writes (their directory of streams is what the import reads)."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

import openpyxl

from crunchtime.imports import CHALLENGE_COLUMNS, STUDENT_COLUMNS

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3"'
)


def student_values(**cells) -> list:
    """A valid students row as a spreadsheet holds it (the year a number)."""
    row = {"email": "camille.martin@etu.utbm.fr", "first_name": "Camille", "last_name": "Martin",
           "programme": "Informatique", "year": 3, "skills": "Python;UX",
           "interests": "Santé, numérique", "choices": None, "group": None}
    row.update(cells)
    return [row[column] for column in STUDENT_COLUMNS]


def challenge_values(code: str, **cells) -> list:
    row = {"code": code, "title": f"Défi {code}", "organisation": "Énergie Nord SA",
           "description": "Réduire la consommation.", "skills": "Thermique", "teams": 2}
    row.update(cells)
    return [row[column] for column in CHALLENGE_COLUMNS]


def xlsx_bytes(rows, columns=STUDENT_COLUMNS, *, title="Inscrits", merges=(),
               other_sheets=None) -> bytes:
    """A workbook whose first sheet holds the header and `rows` (a value starting with `=`
    is a formula); `other_sheets` maps more sheet names to their rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for name, more in (other_sheets or {}).items():
        extra = book.create_sheet(name)
        for row in more:
            extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods_bytes(sheets: dict[str, list[list]], *, encrypted: bool = False) -> bytes:
    """An OpenDocument spreadsheet: one table per sheet, each cell a value or an `OdsCell`."""
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        '<table:table-column table:number-columns-repeated="16384"/>'
        + "".join(_ods_row(row) for row in rows)
        + '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
          'table:number-columns-repeated="16384"/></table:table-row>'
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}>'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    encryption = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" '
                  'manifest:checksum="x"/>') if encrypted else ""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{encryption}</manifest:file-entry></manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content)
        package.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


class OdsCell:
    """A cell with what LibreOffice writes beside the value: a formula, a span, a repeat."""

    def __init__(self, value=None, *, formula=None, spans=(1, 1), repeat=1):
        self.value, self.formula, self.spans, self.repeat = value, formula, spans, repeat

    def xml(self) -> str:
        attributes = _ods_value(self.value)
        if self.formula:
            attributes += f" table:formula={quoteattr('of:' + self.formula)}"
        if self.spans != (1, 1):
            attributes += (f' table:number-columns-spanned="{self.spans[0]}"'
                           f' table:number-rows-spanned="{self.spans[1]}"')
        if self.repeat > 1:
            attributes += f' table:number-columns-repeated="{self.repeat}"'
        return f"<table:table-cell{attributes}>{_ods_text(self.value)}</table:table-cell>"


def _ods_row(row) -> str:
    repeat = 1
    if isinstance(row, tuple):  # (cells, times): LibreOffice's repeated identical rows
        row, repeat = row
    cells = "".join(cell.xml() if isinstance(cell, OdsCell) else OdsCell(cell).xml()
                    for cell in row)
    covered = "".join("<table:covered-table-cell/>" for cell in row
                      if isinstance(cell, OdsCell) and cell.spans[0] > 1)
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}>{cells}{covered}</table:table-row>"


def _ods_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f' office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
    if isinstance(value, int | float):
        return f' office:value-type="float" office:value="{value}"'
    if isinstance(value, datetime | date):
        return f' office:value-type="date" office:date-value="{value.isoformat()}"'
    return ' office:value-type="string"'


def _ods_text(value) -> str:
    if value is None:
        return ""
    shown = value.strftime("%d/%m/%Y") if isinstance(value, datetime | date) else str(value)
    return "".join(f"<text:p>{escape(line)}</text:p>" for line in shown.split("\n"))


def compound_file(*streams: str) -> bytes:
    """An OLE2 compound file (what .xls and encrypted .xlsx files are) holding `streams`,
    each 4 KiB: the header, one FAT sector, one directory sector, then the streams."""
    sector = 512
    data_sectors = 8 * len(streams)
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    for index in range(len(streams)):
        first = 2 + 8 * index
        fat += [*range(first + 1, first + 8), 0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3,
        0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0,
    ) + struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108
    entries = [_directory_entry("Root Entry", 5, child=1, start=0xFFFFFFFE, size=0)]
    for index, name in enumerate(streams):
        following = index + 2 if index + 1 < len(streams) else 0xFFFFFFFF
        entries.append(_directory_entry(name, 2, right=following, start=2 + 8 * index,
                                        size=4096))
    directory = b"".join(entries).ljust(sector, b"\0")
    assert len(header) == sector and data_sectors == 8 * len(streams)
    return (header + struct.pack(f"<{len(fat)}I", *fat) + directory
            + bytes(4096 * len(streams)))


def _directory_entry(name: str, kind: int, *, child=0xFFFFFFFF, right=0xFFFFFFFF,
                     start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, 0xFFFFFFFF,
                       right, child, bytes(16), 0, 0, 0, start, size)
