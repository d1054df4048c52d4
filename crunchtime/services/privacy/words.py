"""The privacy area's words: the statuses of a deletion request."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REQUEST_STATUS_LABELS = {"pending": _l("to process"), "deferred": _l("waiting for the results"),
                         "done": _l("anonymised"), "refused": _l("refused")}
