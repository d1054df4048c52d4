"""The teams area's words: the states of a design-thinking stage and the kinds of deliverable."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from crunchtime.teamwork import status as rules

STAGE_STATE_LABELS = {
    rules.STAGE_DONE: _l("done"),
    rules.STAGE_DONE_LATE: _l("done late"),
    rules.STAGE_BEHIND: _l("behind"),
    rules.STAGE_OPEN: _l("to do"),
}


DELIVERABLE_KIND_LABELS = {
    "note": _l("a short note"),
    "photo": _l("a photo (of a board, a sketch…)"),
    "file": _l("a file (slides, PDF, image or short video)"),
}
