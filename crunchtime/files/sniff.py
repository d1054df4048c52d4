"""What an uploaded file really is, judged by its bytes (pure: no Flask, no database).

A browser's claimed type and the file's extension are both chosen by the sender; only the
content decides. Anything we cannot recognise as a known safe type is refused, and so is a
file whose extension says something else than its content.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 512


@dataclass(frozen=True)
class FileKind:
    """A recognised type: its key, the MIME type to serve, its usual extensions."""

    key: str
    mime: str
    extensions: tuple[str, ...]
    category: str  # "pdf", "image", "video" or "document"

    @property
    def inline(self) -> bool:
        """Images and PDF open in the browser; everything else is downloaded."""
        return self.category in ("pdf", "image")

    @property
    def extension(self) -> str:
        return self.extensions[0]


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "application/pdf", ("pdf",), "pdf"),
        FileKind("png", "image/png", ("png",), "image"),
        FileKind("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif"), "image"),
        FileKind("gif", "image/gif", ("gif",), "image"),
        FileKind("webp", "image/webp", ("webp",), "image"),
        FileKind("mp4", "video/mp4", ("mp4", "m4v"), "video"),
        FileKind("mov", "video/quicktime", ("mov", "qt"), "video"),
        FileKind("webm", "video/webm", ("webm",), "video"),
        FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml."
                 "presentation", ("pptx",), "document"),
        FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml."
                 "document", ("docx",), "document"),
        FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ("xlsx",), "document"),
        FileKind("odp", "application/vnd.oasis.opendocument.presentation", ("odp",), "document"),
        FileKind("odt", "application/vnd.oasis.opendocument.text", ("odt",), "document"),
        FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", ("ods",), "document"),
    )
}

IMAGE_KINDS = frozenset(key for key, kind in KINDS.items() if kind.category == "image")
PDF_AND_IMAGES = frozenset({"pdf"} | IMAGE_KINDS)
SLIDE_KINDS = frozenset({"pptx", "odp"})
VIDEO_KINDS = frozenset(key for key, kind in KINDS.items() if kind.category == "video")
# What a team may hand in: documents, pictures, slides and a short video.
DELIVERABLE_KINDS = PDF_AND_IMAGES | SLIDE_KINDS | VIDEO_KINDS

# Reasons a file is refused; the caller turns them into messages for people.
EMPTY = "empty"
EXECUTABLE = "executable"
MARKUP = "markup"  # HTML, SVG, XML: a browser may run scripts in them
MACROS = "macros"
UNKNOWN = "unknown"
MISMATCH = "mismatch"
NOT_ALLOWED = "not_allowed"
ARCHIVE_BOMB = "archive_bomb"  # unpacks to far more than its size, or misstates its sizes
ARCHIVE_PARTS = "archive_parts"  # more members than any document has


class RefusedFile(ValueError):
    """The content is not acceptable; `reason` is one of the constants above."""

    def __init__(self, reason: str, detected: FileKind | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detected = detected


EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"#!",  # scripts with a shebang
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal (and Java classes)
    b"\x00asm",  # WebAssembly
)
MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<", b"\xfe\xff\x00<")
QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska family; only its WebM profile is accepted
IMAGE_BRANDS = (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis")
OOXML_FOLDERS = {"ppt/": "pptx", "word/": "docx", "xl/": "xlsx"}
ODF_MIMETYPES = {KINDS[key].mime: key for key in ("odp", "odt", "ods")}

# What an Office or OpenDocument archive may declare. Inspecting one reads its directory
# (bounded below) and at most MIMETYPE_MAX unpacked bytes, whatever the archive claims.
MAX_ARCHIVE_MEMBERS = 5000  # a 1,000-slide deck with its media has about 3,000
MAX_DIRECTORY_BYTES = 1024 * 1024  # the member list; 5,000 long names take about 600 KB
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # all members unpacked (videos are stored as they are)
MAX_PACKING_RATIO = 100  # unpacked / packed, for members over RATIO_FLOOR_BYTES (Apache POI's)
RATIO_FLOOR_BYTES = 1024 * 1024
MIMETYPE_MAX = 128  # "application/vnd.oasis.opendocument.presentation" is 47


def _read_all(source: bytes | BinaryIO) -> BinaryIO:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source))
    source.seek(0)
    return source


def _is_markup(head: bytes) -> bool:
    stripped = head.lstrip(b" \t\r\n\x0c")
    return stripped.startswith(MARKUP_STARTS) or b"<script" in head.lower()


def _isobmff_kind(head: bytes) -> str | None:
    """MP4 and QuickTime share the ISO box layout: size (4 bytes), then the box type."""
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        if brand in IMAGE_BRANDS:
            return None
        return "mov" if brand == b"qt  " else "mp4"
    return "mov" if box in QUICKTIME_ATOMS else None


def _magic_kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(EBML_MAGIC) and b"\x42\x82" in head[:64] and b"webm" in head[:64]:
        return "webm"
    return _isobmff_kind(head)


class _CappedReads:
    """The file as zipfile sees it, where no single read may exceed `cap` bytes: zipfile
    reads the whole central directory (the list of members) in one read of the size the
    archive declares, and builds an object per member from it."""

    def __init__(self, stream: BinaryIO, cap: int):
        self._stream, self._cap = stream, cap

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            here = self._stream.tell()
            size = self._stream.seek(0, io.SEEK_END) - here
            self._stream.seek(here)
        if size > self._cap:
            raise RefusedFile(ARCHIVE_PARTS)
        return self._stream.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def seekable(self) -> bool:
        return True


def _largest_packing(size: int) -> int:
    """The most bytes deflate ever takes for `size` bytes (zlib's compressBound, with room to
    spare): a member packed in more than this misstates the size it unpacks to."""
    return size + (size >> 10) + 1024


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Judge the archive by what its directory declares, before unpacking a byte of it:
    how many members, how large each unpacks, how tightly each is packed, and in all."""
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise RefusedFile(ARCHIVE_PARTS)
    unpacked = 0
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise RefusedFile(UNKNOWN)  # Office and OpenDocument only store or deflate
        size, packed = member.file_size, member.compress_size
        lying = (member.compress_type == zipfile.ZIP_DEFLATED
                 and packed > _largest_packing(size))
        if lying or (size > RATIO_FLOOR_BYTES and size > MAX_PACKING_RATIO * packed):
            raise RefusedFile(ARCHIVE_BOMB)
        unpacked += size
    if unpacked > MAX_UNPACKED_BYTES:
        raise RefusedFile(ARCHIVE_BOMB)


def _odf_kind(archive: zipfile.ZipFile, names: list[str]) -> str:
    """OpenDocument names its type in a short `mimetype` member: at most MIMETYPE_MAX bytes
    of it are unpacked (zipfile unpacks a deflated member 4 KB at a time)."""
    member = archive.getinfo("mimetype")
    if member.file_size > MIMETYPE_MAX:
        raise RefusedFile(UNKNOWN)
    with archive.open(member) as entry:
        declared = entry.read(MIMETYPE_MAX + 1)
    declared = declared[:MIMETYPE_MAX].decode("ascii", "replace").strip()
    if declared in ODF_MIMETYPES and "content.xml" in names:
        return ODF_MIMETYPES[declared]
    raise RefusedFile(UNKNOWN)


def _zip_kind(stream: BinaryIO) -> str:
    """An Office or OpenDocument file, recognised by its members; any other zip is refused,
    and so is an archive too large or too tightly packed to be a document (a zip bomb)."""
    try:
        with zipfile.ZipFile(_CappedReads(stream, MAX_DIRECTORY_BYTES)) as archive:
            members = archive.infolist()
            _check_members(members)
            names = [member.filename for member in members]
            if "mimetype" in names:
                return _odf_kind(archive, names)
    except RefusedFile:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError, ValueError,
            NotImplementedError, zlib.error) as error:
        raise RefusedFile(UNKNOWN) from error
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RefusedFile(MACROS)
    if "[Content_Types].xml" in names:
        for folder, key in OOXML_FOLDERS.items():
            if any(name.startswith(folder) for name in names):
                return key
    raise RefusedFile(UNKNOWN)


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


def detect_kind(source: bytes | BinaryIO) -> FileKind:
    """The type the content proves, or RefusedFile. A stream must be seekable."""
    stream = _read_all(source)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        raise RefusedFile(EMPTY)
    if head.startswith(EXECUTABLE_MAGIC):
        raise RefusedFile(EXECUTABLE)
    key = _magic_kind(head)
    if key is None and head.startswith(b"PK\x03\x04"):
        key = _zip_kind(stream)
        stream.seek(0)
    if key is None:
        raise RefusedFile(MARKUP if _is_markup(head) else UNKNOWN)
    return KINDS[key]


def sniff(
    source: bytes | BinaryIO, filename: str = "", allowed: frozenset[str] | None = None
) -> FileKind:
    """Detect the content's type, check the name's extension agrees and the type is allowed."""
    kind = detect_kind(source)
    extension = _extension(filename)
    if extension and extension not in kind.extensions:
        raise RefusedFile(MISMATCH, kind)
    if allowed is not None and kind.key not in allowed:
        raise RefusedFile(NOT_ALLOWED, kind)
    return kind
