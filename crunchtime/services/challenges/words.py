"""The challenges area's words: the statuses of a challenge."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHALLENGE_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "approved": _l("Approved"),
    "rejected": _l("Sent back for changes"),
}
