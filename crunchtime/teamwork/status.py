"""Deadlines and statuses of submissions and design-thinking stages (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta

NONE = "none"
DRAFT = "draft"
SUBMITTED = "submitted"
LATE = "late"
EXTENDED = "extended"
SUBMISSION_STATUSES = (NONE, DRAFT, SUBMITTED, LATE, EXTENDED)

STAGE_DONE = "done"
STAGE_DONE_LATE = "done_late"
STAGE_BEHIND = "behind"
STAGE_OPEN = "open"


def team_deadline(edition_deadline: datetime | None,
                  extension_until: datetime | None) -> datetime | None:
    """The moment after which the team's submission is read-only (None: no deadline set)."""
    if edition_deadline is None:
        return None
    if extension_until is not None and extension_until > edition_deadline:
        return extension_until
    return edition_deadline


def accepts_edits(deadline: datetime | None, accepted_at: datetime,
                  grace: timedelta = timedelta(0)) -> bool:
    """A save is accepted when the server had received all of it at or before the deadline,
    or within `grace` after it (a slow connection finishing an upload sent in time)."""
    return deadline is None or accepted_at <= deadline + grace


def submission_status(version: int, submitted_at: datetime | None,
                      edition_deadline: datetime | None, extension_until: datetime | None,
                      now: datetime) -> str:
    """none: nothing saved; draft: saved, not handed in; submitted: handed in on time;
    late: handed in after the edition's deadline (under an extension); extended: an
    extension is running and the team has not handed in yet."""
    if submitted_at is not None:
        on_time = edition_deadline is None or submitted_at <= edition_deadline
        return SUBMITTED if on_time else LATE
    deadline = team_deadline(edition_deadline, extension_until)
    if deadline is not None and deadline != edition_deadline and now <= deadline:
        return EXTENDED
    return NONE if version == 0 else DRAFT


def stage_state(due_at: datetime | None, completed_at: datetime | None,
                now: datetime) -> str:
    """Late stages are shown as such and never blocked."""
    if completed_at is not None:
        return STAGE_DONE_LATE if due_at is not None and completed_at > due_at else STAGE_DONE
    if due_at is not None and now > due_at:
        return STAGE_BEHIND
    return STAGE_OPEN
