"""Sending a stored file back: its checked type, never sniffed by the browser, and
downloaded rather than opened unless it is an image or a PDF."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, send_file

from crunchtime.files.sniff import KINDS, FileKind
from crunchtime.files.storage import ascii_name, stored_path

KINDS_BY_MIME = {kind.mime: kind for kind in KINDS.values()}


def content_disposition(name: str, kind: FileKind | None) -> dict[str, str]:
    """Header parameters: an ASCII fallback name and the exact UTF-8 name (RFC 6266)."""
    return {
        "filename": ascii_name(name, kind),
        "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~"),
    }


def send_stored_file(stored_name: str, content_type: str, download_name: str) -> Response:
    """The view's answer for a stored file (404 if it is missing on disk)."""
    path = stored_path(stored_name)
    if not path.is_file():
        abort(404)
    kind = KINDS_BY_MIME.get(content_type)
    inline = kind is not None and kind.inline
    response = send_file(
        path,
        mimetype=kind.mime if kind else "application/octet-stream",
        conditional=True,
        etag=True,
        max_age=0,
    )
    disposition = "inline" if inline else "attachment"
    response.headers.set(
        "Content-Disposition", disposition, **content_disposition(download_name, kind)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
