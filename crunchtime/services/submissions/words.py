"""The submissions area's words: the statuses of a team's submission."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from crunchtime.teamwork import status as rules

STATUS_LABELS = {
    rules.NONE: _l("nothing yet"),
    rules.DRAFT: _l("draft"),
    rules.SUBMITTED: _l("handed in"),
    rules.LATE: _l("handed in late"),
    rules.EXTENDED: _l("extended"),
}
