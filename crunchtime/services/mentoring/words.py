"""The mentoring area's words: urgencies, a request's states, and expertise tags that
mentors and teams pick from (any other tag may be typed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

URGENCY_LABELS = {
    "low": _l("Low: when someone is free"),
    "normal": _l("Normal"),
    "high": _l("High: we are stuck"),
}
URGENCY_SHORT = {"low": _l("low"), "normal": _l("normal"), "high": _l("high")}
STATUS_LABELS = {
    "open": _l("Waiting for a mentor"),
    "claimed": _l("A mentor is coming"),
    "resolved": _l("Resolved"),
    "cancelled": _l("Cancelled"),
}
SUGGESTED_TAGS = (
    "business model", "design", "data", "développement web", "mobile", "électronique",
    "énergie", "juridique", "marketing", "pitch", "prototypage", "ux",
)
