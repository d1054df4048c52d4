"""Spreadsheets (.xlsx, .ods) as rows of text cells, for the same checks as a CSV file.

The format is told by the content, never by the file name: a ZIP package that declares an
OOXML workbook or an OpenDocument spreadsheet. What an import cannot take is refused before
any row is read: an Excel 97–2003 file, a password, a damaged package, a package that would
take more than MAX_UNCOMPRESSED_BYTES once inflated (zip bomb), data on several sheets,
merged cells. Rows are then read lazily, one at a time, so a caller can stop at its limit.
"""

from __future__ import annotations

import io
import zipfile

from crunchtime.imports import ods, xlsx
from crunchtime.imports.results import RowProblem
from crunchtime.imports.spreadsheet import MAX_UNCOMPRESSED_BYTES, Refused, Workbook, read_member

MAX_PACKAGE_MEMBERS = 5_000
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
XLSX_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
XLSB_MAIN_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"


def is_spreadsheet(data: bytes) -> bool:
    """Whether `data` is in a binary container spreadsheets use (ZIP, OLE2) rather than text."""
    return data.startswith((*ZIP_SIGNATURES, OLE_SIGNATURE))


def read_workbook(data: bytes) -> Workbook:
    """The workbook's one data sheet as lazily read rows, or the problem refusing the file."""
    book_format = "ole" if data.startswith(OLE_SIGNATURE) else "zip"
    try:
        if book_format == "ole":
            raise _ole_refusal(data)
        package = _open_package(data)
        book_format = _package_format(package)
        reader = ods.read_ods if book_format == "ods" else xlsx.read_xlsx
        return reader(package, data)
    except Refused as refused:
        problem = RowProblem(1, "", refused.code, refused.params, 1)
        return Workbook(book_format, problems=[problem])


def _ole_refusal(data: bytes) -> Refused:
    """An OLE2 compound file: an encrypted OOXML package, or an Excel 97–2003 workbook."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Refused("password_protected")
    return Refused("old_excel_format")


def _open_package(data: bytes) -> zipfile.ZipFile:
    """The ZIP package, once its declared sizes show it cannot inflate beyond the limit.

    Python's zipfile stops at each member's declared size (and fails on its CRC), so the
    declared sizes bound what parsing will ever inflate.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Refused("corrupt_file", detail=str(error)) from error
    if len(members) > MAX_PACKAGE_MEMBERS:
        raise Refused("corrupt_file", detail=f"{len(members)} parts")
    inflated = sum(member.file_size for member in members)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise Refused("too_large_uncompressed", size=-(-inflated // 2**20),
                      max=MAX_UNCOMPRESSED_BYTES // 2**20)
    if any(member.flag_bits & 0x1 for member in members):
        raise Refused("password_protected")
    return package


def _package_format(package: zipfile.ZipFile) -> str:
    """"ods" or "xlsx" from the package's own declaration (mimetype, [Content_Types].xml)."""
    names = set(package.namelist())
    if "mimetype" in names:
        if read_member(package, "mimetype").strip() == ODS_MIMETYPE:
            return "ods"
        raise Refused("not_a_spreadsheet")
    if "[Content_Types].xml" not in names:
        raise Refused("not_a_spreadsheet")
    declared = read_member(package, "[Content_Types].xml").decode("utf-8", errors="replace")
    if any(kind in declared for kind in XLSX_MAIN_TYPES):
        return "xlsx"
    if XLSB_MAIN_TYPE in declared:
        raise Refused("binary_excel_format")
    raise Refused("not_a_spreadsheet")
