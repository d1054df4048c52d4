"""The teams area's words: the states of a design-thinking stage, the kinds of deliverable and
the hints of the default stages."""

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


# What each default stage expects. Stored in English when the stages are created, shown in
# the reader's language as long as no organiser has rewritten it (services/teams/milestones.py).
STAGE_HINTS = {
    "empathise": _l("Who lives the problem? Sum up your interviews and observations in a few "
                    "lines."),
    "define": _l("The problem rephrased as one question: “How might we…?”"),
    "ideate": _l("A photo of your board of ideas, and the idea you keep."),
    "prototype": _l("A photo or a screenshot of your prototype."),
    "test_pitch": _l("What the tests with users taught you, and the pitch slides."),
}
