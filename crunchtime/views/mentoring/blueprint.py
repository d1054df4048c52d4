"""The "mentoring" blueprint: its routes are in team.py (teams) and mentors.py (mentors,
organisers)."""

from __future__ import annotations

from flask import Blueprint

from crunchtime.services.mentoring import words

blueprint = Blueprint("mentoring", __name__)


@blueprint.context_processor
def mentoring_words() -> dict:
    return {"URGENCY_SHORT": words.URGENCY_SHORT, "HELP_STATUS_LABELS": words.STATUS_LABELS,
            "SUGGESTED_TAGS": words.SUGGESTED_TAGS}
