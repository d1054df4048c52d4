"""The presence area's words: parts of a day, ways of checking in, absence decisions, and
why a check-in is refused."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

PART_LABELS = {"morning": _l("Morning"), "afternoon": _l("Afternoon")}
HOW_LABELS = {"qr": _l("door QR code"), "staff_scan": _l("scanned by the staff"),
              "staff_list": _l("ticked by the staff")}
ABSENCE_STATUS_LABELS = {"pending": _l("waiting for a decision"), "accepted": _l("justified"),
                         "refused": _l("refused")}
RECORD_LABELS = {"present": _l("present"), "late": _l("present (late)"),
                 "justified": _l("absence justified"), "pending": _l("absence declared"),
                 "absent": _l("absent"), "upcoming": _l("to come"), "open": _l("in progress")}


def session_title(session) -> str:
    """The label the organisers gave the session, else its day and part ("lundi 7 décembre,
    matin")."""
    if session.label:
        return session.label
    return f"{format_date(session.day, 'EEEE d MMMM')}, {str(PART_LABELS[session.part]).lower()}"
