"""The live area's words: what the big screen may show."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DISPLAY_LABELS = {
    "hidden": _l("Nothing (a waiting screen)"),
    "progress": _l("Judging progress only"),
    "ranking": _l("Live ranking"),
}
