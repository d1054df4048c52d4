"""What the challenge pages of every audience show the same way: status names, file sizes."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

from crunchtime.services.challenges.words import CHALLENGE_STATUS_LABELS


def file_size(size: int) -> str:
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def template_globals() -> dict:
    return {"CHALLENGE_STATUS_LABELS": CHALLENGE_STATUS_LABELS, "file_size": file_size}
