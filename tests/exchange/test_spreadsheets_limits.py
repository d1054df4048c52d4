"""The limits that keep a spreadsheet import bounded: rows read in streaming mode and stopped
past MAX_DATA_ROWS, and ZIP packages refused by their declared uncompressed size (zip bombs)."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crunchtime.imports import CHALLENGE_COLUMNS, MAX_DATA_ROWS, parse_students
from crunchtime.imports.spreadsheet import MAX_UNCOMPRESSED_BYTES
from tests.exchange.workbook_files import NAMESPACES, ODS_MIMETYPE, student_values, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
MEASURE = """
import json, resource, sys
from crunchtime.imports import parse_challenges
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
parsed = parse_challenges(data)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"grown_kib": grown, "rows": len(parsed.rows),
                  "problems": [[p.line, p.code, dict(p.params)] for p in parsed.problems]}))
"""
SHEET_START = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


def streamed_xlsx(path: Path, rows: int) -> None:
    """A challenges workbook of `rows` data rows, written row by row (never whole in memory),
    the way export tools write them: inline strings, no styles, no declared dimension."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, content in _package_parts().items():
            package.writestr(name, content)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            sheet.write(_row(1, CHALLENGE_COLUMNS))
            for n in range(1, rows + 1):
                sheet.write(_row(n + 1, (f"C{n}", f"Défi {n}", "Énergie Nord SA", "", "", 2)))
            sheet.write(b"</sheetData></worksheet>")


def _row(number: int, values) -> bytes:
    cells = "".join(
        f'<c t="inlineStr"><is><t>{value}</t></is></c>' if isinstance(value, str) and value
        else f"<c><v>{value}</v></c>" if value != "" else "" for value in values)
    return f'<row r="{number}">{cells}</row>'.encode()


def _package_parts() -> dict[str, str]:
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{relationships}"><sheets><sheet name="Défis" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'),
    }


def streamed_ods(path: Path, rows: int) -> None:
    """The same as an OpenDocument spreadsheet, content.xml written row by row."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        package.writestr("META-INF/manifest.xml", "<manifest:manifest xmlns:manifest="
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        with package.open("content.xml", "w", force_zip64=True) as content:
            content.write(f"<office:document-content {NAMESPACES}><office:body>"
                          '<office:spreadsheet><table:table table:name="Défis">'.encode())
            content.write(_ods_row(CHALLENGE_COLUMNS))
            for n in range(1, rows + 1):
                content.write(_ods_row((f"C{n}", f"Défi {n}", "Énergie Nord SA", "", "", 2)))
            content.write(b"</table:table></office:spreadsheet></office:body>"
                          b"</office:document-content>")


def _ods_row(values) -> bytes:
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
        "</table:table-cell>" if isinstance(value, str) and value
        else f'<table:table-cell office:value-type="float" office:value="{value}">'
             f"<text:p>{value}</text:p></table:table-cell>" if value != ""
        else "<table:table-cell/>" for value in values)
    return f"<table:table-row>{cells}</table:table-row>".encode()


@pytest.mark.parametrize("write", [streamed_xlsx, streamed_ods], ids=["xlsx", "ods"])
def test_a_sheet_of_100001_rows_is_refused_at_the_limit_with_bounded_memory(tmp_path, write):
    path = tmp_path / "defis.sheet"
    write(path, 100_001)
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=True)
    figures = json.loads(measured.stdout.strip().splitlines()[-1])
    assert figures["problems"] == [
        [MAX_DATA_ROWS + 2, "too_many_rows", {"max": MAX_DATA_ROWS}]]
    assert figures["rows"] == 0
    # Reading the whole .xlsx at once (openpyxl's normal mode) grows the process by ~230 MB.
    assert figures["grown_kib"] < 64 * 1024, figures


def test_a_sheet_at_the_limit_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr("crunchtime.imports.table.MAX_DATA_ROWS", 3)
    rows = [student_values(email=f"e{n}@etu.utbm.fr") for n in range(3)]
    assert parse_students(xlsx_bytes(rows)).problems == []
    refused = parse_students(xlsx_bytes([*rows, [None] * 9, student_values(email="x@etu.fr")]))
    assert [(p.line, p.code, dict(p.params)) for p in refused.problems] == [
        (6, "too_many_rows", {"max": 3})]


def test_a_package_declaring_more_than_the_limit_uncompressed_is_refused_unread():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(block) + 1):
                member.write(block)
    assert len(bomb.getvalue()) < 1 << 20  # 100 MB of spaces fit in a few hundred KB
    problems = parse_students(bomb.getvalue()).problems
    assert [(p.code, p.params["max"]) for p in problems] == [("too_large_uncompressed", 100)]
    assert problems[0].params["size"] > 100


def test_a_member_inflating_past_its_declared_size_is_refused_as_damaged():
    """zipfile stops at the declared size and then fails the CRC: a lie cannot inflate more."""
    data = bytearray(xlsx_bytes([student_values() for _ in range(50)]))
    name = b"xl/worksheets/sheet1.xml"
    at = data.index(b"PK\x01\x02")  # the central directory's first entry
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, 400)  # the central directory's uncompressed size
    assert [p.code for p in parse_students(bytes(data)).problems] == ["corrupt_file"]
