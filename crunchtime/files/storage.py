"""Uploaded files on disk: random names, streamed with a size limit, checked by content.

Files live in `UPLOAD_DIR` (outside `static/`) under a random 32-hex name, never the
sender's; the name the sender gave is kept only for display and downloads.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from crunchtime.errors import DomainError, InvalidInput
from crunchtime.files import sniff as sniffing
from crunchtime.files.sniff import FileKind, RefusedFile

CHUNK_BYTES = 64 * 1024
STORED_NAME = re.compile(r"[0-9a-f]{32}")
DISPLAY_NAME_MAX = 200
MEGABYTE = 1024 * 1024


class FileTooLarge(DomainError):
    """An upload above its limit: answered with a 413 page that states the limit."""

    status = 413
    code = "too_large"


class FileRefused(InvalidInput):
    """The content is not a type we accept; the message says why."""

    code = "file_refused"


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    display_name: str
    kind: FileKind
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.kind.mime


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def stored_path(stored_name: str) -> Path:
    """Where a stored file lives; refuses anything that is not one of our random names."""
    if not STORED_NAME.fullmatch(stored_name or ""):
        raise ValueError(f"not a stored file name: {stored_name!r}")
    return upload_dir() / stored_name[:2] / stored_name


def names_a_path(original: str) -> bool:
    """True for a name that tries to climb folders ("../x.pdf") or is an absolute path
    ("/etc/x"): refused outright where a file's name matters, rather than silently cut."""
    name = original or ""
    parts = name.replace("\\", "/").split("/")
    return ".." in parts or name.startswith(("/", "\\")) or "\x00" in name


def display_name(original: str, kind: FileKind | None = None) -> str:
    """The sender's file name, safe to show and to offer back: no folders, no control
    characters, accents kept; the right extension added when it has none."""
    name = unicodedata.normalize("NFC", (original or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = secure_filename(original or "") or "file"
    if kind is not None and "." not in name:
        name = f"{name}.{kind.extension}"
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep = DISPLAY_NAME_MAX - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and keep > 0 else name[:DISPLAY_NAME_MAX]
    return name


def ascii_name(name: str, kind: FileKind | None = None) -> str:
    """An ASCII-only, path-free version of a display name (Content-Disposition fallback)."""
    safe = secure_filename(name)
    if not safe or safe.startswith("."):
        safe = "file" + (f".{kind.extension}" if kind else "")
    return safe


def too_large_message(limit_bytes: int) -> str:
    return _("The file is too large: the limit is %(mb)d MB per file.",
             mb=max(1, limit_bytes // MEGABYTE))


def refusal_message(error: RefusedFile, allowed: frozenset[str] | None) -> str:
    accepted = ", ".join(
        sorted({sniffing.KINDS[key].extension.upper() for key in allowed})
    ) if allowed else ""
    messages = {
        sniffing.EMPTY: _("The file is empty."),
        sniffing.EXECUTABLE: _("Programs and scripts are not accepted."),
        sniffing.MARKUP: _("Web pages, SVG and other markup files are not accepted."),
        sniffing.MACROS: _("Documents with macros are not accepted."),
        sniffing.MISMATCH: _(
            "The file name's extension does not match its content (which is %(kind)s).",
            kind=error.detected.extension.upper() if error.detected else "?",
        ),
        sniffing.NOT_ALLOWED: _("This type of file is not accepted here. Accepted: %(types)s.",
                                types=accepted),
        sniffing.ARCHIVE_BOMB: _("This document would unpack to far more than its own size, "
                                 "or misstates its sizes (a “zip bomb”): it is refused."),
        sniffing.ARCHIVE_PARTS: _("This document is made of too many parts (at most %(n)d "
                                  "are accepted): it is refused.",
                                  n=sniffing.MAX_ARCHIVE_MEMBERS),
    }
    default = _("This file's content is not a type we accept. Accepted: %(types)s.",
                types=accepted)
    return messages.get(error.reason, default)


def _copy_limited(stream: BinaryIO, target: BinaryIO, max_bytes: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise FileTooLarge(too_large_message(max_bytes), limit_bytes=max_bytes)
        digest.update(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


def save_upload(
    stream: BinaryIO, original_name: str, *, max_bytes: int,
    allowed: frozenset[str] | None = None,
) -> StoredFile:
    """Stream an upload to disk under a random name; FileTooLarge or FileRefused on failure
    (nothing is left on disk then). The caller deletes the file if its own commit fails."""
    original_name = original_name or ""
    stored_name = secrets.token_hex(16)
    path = stored_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{stored_name}.part")
    try:
        with partial.open("xb") as target:
            size, sha256 = _copy_limited(stream, target, max_bytes)
        with partial.open("rb") as written:
            kind = sniffing.sniff(written, original_name, allowed)
    except RefusedFile as error:
        partial.unlink(missing_ok=True)
        raise FileRefused(refusal_message(error, allowed), field="file") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return StoredFile(stored_name, display_name(original_name, kind), kind, size, sha256)


def delete_stored(stored_name: str) -> None:
    """Remove a stored file; a file already gone is not an error."""
    stored_path(stored_name).unlink(missing_ok=True)


def open_stored(stored_name: str) -> BinaryIO:
    return stored_path(stored_name).open("rb")
