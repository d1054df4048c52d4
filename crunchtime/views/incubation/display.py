"""What the incubation templates need to put codes into words."""

from __future__ import annotations

from datetime import datetime

from crunchtime.incubation import DEFAULT_WEIGHTS
from crunchtime.services.incubation.words import (
    SIGNAL_HELP,
    SIGNAL_LABELS,
    STATUS_LABELS,
    model_status_text,
    reason_text,
    reasons_sentence,
)
from crunchtime.services.teams.continuation import split_plan
from crunchtime.views.templating import paris_time


def iso_time(value: str | None) -> str:
    """A moment stored as ISO text (in JSON settings), in Paris time."""
    try:
        return paris_time(datetime.fromisoformat(value)) if value else ""
    except ValueError:
        return ""


def template_globals() -> dict:
    return {"SIGNAL_LABELS": SIGNAL_LABELS, "SIGNAL_HELP": SIGNAL_HELP,
            "DEFAULT_WEIGHTS": DEFAULT_WEIGHTS,
            "FLAG_STATUS_LABELS": STATUS_LABELS, "reason_text": reason_text,
            "reasons_sentence": reasons_sentence, "model_status_text": model_status_text,
            "iso_time": iso_time, "split_plan": lambda text: dict(
                zip(("who", "plan"), split_plan(text), strict=True))}
