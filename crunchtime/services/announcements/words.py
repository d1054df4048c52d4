"""The announcements area's words: whom an announcement can reach."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIENCE_LABELS = {
    "everyone": _l("Everyone taking part in the edition"),
    "role": _l("Everyone of one role"),
    "challenge": _l("The teams of one challenge"),
    "team": _l("One team"),
}
