"""What the team pages of every audience show the same way: statuses, stage states,
deliverable kinds, stage names in the reader's language, time left before a deadline."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_timedelta

from crunchtime.services.submissions.words import STATUS_LABELS
from crunchtime.services.teams.milestones import stage_label
from crunchtime.services.teams.words import DELIVERABLE_KIND_LABELS, STAGE_STATE_LABELS
from crunchtime.views.challenges.display import file_size


def time_left(deadline: datetime | None, moment: datetime) -> str:
    """"in 2 days" / "3 hours ago", in the reader's language."""
    if deadline is None:
        return ""
    return format_timedelta(deadline - moment, granularity="minute", add_direction=True,
                            threshold=1.0)


def template_globals() -> dict:
    return {
        "SUBMISSION_STATUS_LABELS": STATUS_LABELS,
        "STAGE_STATE_LABELS": STAGE_STATE_LABELS,
        "DELIVERABLE_KIND_LABELS": DELIVERABLE_KIND_LABELS,
        "stage_label": stage_label,
        "time_left": time_left,
        "file_size": file_size,
    }
