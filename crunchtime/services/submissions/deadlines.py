"""The submission deadline, enforced by the server: stored in UTC, shown in Paris time, and
judged at the moment a save has finished arriving (its whole body read), accepted up to a
short grace after the deadline so that a slow network does not lose a save sent in time,
while an upload trickled for hours is not. Organisers set the deadline and the grace, and
grant one team an extension."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, has_request_context
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Edition, Team, User
from crunchtime.models.base import utcnow
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.teamwork.status import accepts_edits, team_deadline

# Edition.settings key: True lets companies read their teams' submissions during the week
# (by default they see them once the submission deadline has passed).
COMPANY_VIEW_DURING_WEEK = "company_view_during_week"
# Edition.settings key: minutes after the deadline during which a save may still finish
# arriving (a slow connection), within GRACE_MINUTES_RANGE.
GRACE_MINUTES = "submission_grace_minutes"
DEFAULT_GRACE_MINUTES = 2
GRACE_MINUTES_RANGE = (0, 15)
FILE_MB_RANGE = (1, 500)
TEAM_MB_RANGE = (1, 5000)


class DeadlinePassed(Conflict):
    """409: the submission is read-only; the message states the deadline in Paris time."""

    code = "deadline_passed"


def now() -> datetime:
    """The clock of this module (tests move it)."""
    return utcnow()


def stamp_arrival() -> None:
    """Remember when the request finished arriving: call it once its body has been read to
    the end (the team blueprint does, before its views run)."""
    g.submission_arrived_at = now()


def arrival_time() -> datetime:
    """When the current request finished arriving (now, outside a request or when not
    stamped)."""
    if has_request_context() and "submission_arrived_at" in g:
        return g.submission_arrived_at
    return now()


def deadline_of(team: Team, edition: Edition) -> datetime | None:
    return team_deadline(edition.submission_deadline, team.deadline_extension_until)


def grace_minutes(edition: Edition) -> int:
    """Minutes after the deadline during which a save may still finish arriving."""
    stored = (edition.settings or {}).get(GRACE_MINUTES, DEFAULT_GRACE_MINUTES)
    return stored if isinstance(stored, int) else DEFAULT_GRACE_MINUTES


def is_read_only(team: Team, edition: Edition, at: datetime | None = None) -> bool:
    """Whether the form is closed: from the deadline itself (the grace is for saves already
    on their way, not for starting new ones)."""
    at = at or now()
    return edition.phase != "building" or not accepts_edits(deadline_of(team, edition), at)


def paris(moment: datetime) -> str:
    """A moment as people read it here: Europe/Paris, in their language."""
    return format_datetime(moment, "medium")


def require_open_for_edits(team: Team, edition: Edition, accepted_at: datetime) -> None:
    """Refuse outside the building phase, or a change that finished arriving after the
    team's deadline and its grace (409 stating the deadline)."""
    require_phase(edition, "edit_submission")
    deadline, minutes = deadline_of(team, edition), grace_minutes(edition)
    if accepts_edits(deadline, accepted_at, timedelta(minutes=minutes)):
        return
    details = {"deadline": deadline.isoformat(), "arrived_at": accepted_at.isoformat(),
               "grace_minutes": minutes}
    if minutes == 0:
        raise DeadlinePassed(
            _("The submission deadline (%(deadline)s) has passed: the submission can no "
              "longer be changed.", deadline=paris(deadline)), **details)
    raise DeadlinePassed(ngettext(
        "The submission deadline (%(deadline)s) has passed, and so has the %(num)d minute "
        "allowed after it for slow connections: the submission can no longer be changed.",
        "The submission deadline (%(deadline)s) has passed, and so have the %(num)d minutes "
        "allowed after it for slow connections: the submission can no longer be changed.",
        minutes, deadline=paris(deadline)), **details)


def grant_extension(actor: User, team: Team, until: datetime | None) -> Team:
    """Give one team until `until` (None removes the extension); audited."""
    edition = db.session.get(Edition, team.edition_id)
    if until is not None:
        if edition.submission_deadline is None:
            raise InvalidInput(_("Set the edition's submission deadline first."),
                               field="until")
        if until <= edition.submission_deadline:
            raise InvalidInput(_("An extension must end after the edition's deadline "
                                 "(%(deadline)s).", deadline=paris(edition.submission_deadline)),
                               field="until")
    previous = team.deadline_extension_until
    team.deadline_extension_until = until
    record_audit(actor, "team.extension", team, edition_id=team.edition_id, code=team.code,
                 previous=previous.isoformat() if previous else None,
                 until=until.isoformat() if until else None)
    db.session.commit()
    return team


@dataclass(frozen=True)
class SubmissionSettings:
    deadline: datetime | None
    max_file_mb: int
    max_team_upload_mb: int
    company_view_during_week: bool
    grace_minutes: int = DEFAULT_GRACE_MINUTES


def submission_settings(edition: Edition) -> SubmissionSettings:
    return SubmissionSettings(
        edition.submission_deadline, edition.max_file_mb, edition.max_team_upload_mb,
        bool((edition.settings or {}).get(COMPANY_VIEW_DURING_WEEK, False)),
        grace_minutes(edition))


def update_submission_settings(actor: User, edition: Edition,
                               wanted: SubmissionSettings) -> Edition:
    """Deadline, grace, size limits and the companies' early view of an edition; audited."""
    if not GRACE_MINUTES_RANGE[0] <= wanted.grace_minutes <= GRACE_MINUTES_RANGE[1]:
        raise InvalidInput(_("The grace after the deadline must be between %(low)d and "
                             "%(high)d minutes.", low=GRACE_MINUTES_RANGE[0],
                             high=GRACE_MINUTES_RANGE[1]), field="grace_minutes")
    if not FILE_MB_RANGE[0] <= wanted.max_file_mb <= FILE_MB_RANGE[1]:
        raise InvalidInput(_("The limit per file must be between %(low)d and %(high)d MB.",
                             low=FILE_MB_RANGE[0], high=FILE_MB_RANGE[1]), field="max_file_mb")
    if not TEAM_MB_RANGE[0] <= wanted.max_team_upload_mb <= TEAM_MB_RANGE[1]:
        raise InvalidInput(_("The limit per team must be between %(low)d and %(high)d MB.",
                             low=TEAM_MB_RANGE[0], high=TEAM_MB_RANGE[1]),
                           field="max_team_upload_mb")
    if wanted.max_team_upload_mb < wanted.max_file_mb:
        raise InvalidInput(_("The limit per team cannot be smaller than the limit per file."),
                           field="max_team_upload_mb")
    before = submission_settings(edition)
    edition.submission_deadline = wanted.deadline
    edition.max_file_mb = wanted.max_file_mb
    edition.max_team_upload_mb = wanted.max_team_upload_mb
    edition.settings = {**(edition.settings or {}),
                        COMPANY_VIEW_DURING_WEEK: wanted.company_view_during_week,
                        GRACE_MINUTES: wanted.grace_minutes}
    record_audit(actor, "edition.submission_settings", edition, edition_id=edition.id,
                 deadline=wanted.deadline.isoformat() if wanted.deadline else None,
                 previous_deadline=before.deadline.isoformat() if before.deadline else None,
                 max_file_mb=wanted.max_file_mb, max_team_upload_mb=wanted.max_team_upload_mb,
                 company_view_during_week=wanted.company_view_during_week,
                 grace_minutes=wanted.grace_minutes,
                 previous_grace_minutes=before.grace_minutes)
    db.session.commit()
    return edition


def companies_may_read_submissions(edition: Edition, at: datetime | None = None) -> bool:
    """Companies read their teams' submissions once the deadline has passed (or the
    building phase is over), or during the week when the edition allows it."""
    if (edition.settings or {}).get(COMPANY_VIEW_DURING_WEEK):
        return True
    if edition.phase in ("judging", "results", "closed"):
        return True
    deadline = edition.submission_deadline
    return deadline is not None and (at or now()) > deadline
