"""The links a team gives (repository, video, demo): web addresses only (pure)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_LENGTH = 500
SCHEMES = ("http", "https")
HOST = re.compile(r"[A-Za-z0-9.\-\[\]:]+")

TOO_LONG = "too_long"
NOT_WEB = "not_web"
MALFORMED = "malformed"


class BadLink(ValueError):
    """Not an http(s) address; `reason` is one of the constants above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def clean_link(raw: str | None) -> str:
    """The address, trimmed, or "" when empty; BadLink for anything but http(s) with a host.

    Browsers ignore tabs and line breaks inside a URL ("java\\tscript:"), so any whitespace
    or control character inside is refused rather than trusted.
    """
    link = (raw or "").strip()
    if not link:
        return ""
    if len(link) > MAX_LENGTH:
        raise BadLink(TOO_LONG)
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in link):
        raise BadLink(MALFORMED)
    try:
        parts = urlsplit(link)
    except ValueError as error:
        raise BadLink(MALFORMED) from error
    if parts.scheme.lower() not in SCHEMES:
        raise BadLink(NOT_WEB)
    host = parts.hostname or ""
    named = "." in host.strip(".") or ":" in host or host == "localhost"
    if not parts.netloc or not HOST.fullmatch(host) or not named:
        raise BadLink(MALFORMED)
    return link
