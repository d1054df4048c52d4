"""The submission deadline, enforced by the server: stored in UTC, shown in Paris time, and
judged at the moment a request arrives, so that a save sent in time is never lost to the
seconds its upload takes. Organisers set the deadline and grant one team an extension."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context
from flask_babel import format_datetime
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
FILE_MB_RANGE = (1, 500)
TEAM_MB_RANGE = (1, 5000)


class DeadlinePassed(Conflict):
    """409: the submission is read-only; the message states the deadline in Paris time."""

    code = "deadline_passed"


def now() -> datetime:
    """The clock of this module (tests move it)."""
    return utcnow()


def stamp_arrival() -> None:
    """Remember when the request arrived, before its body (maybe a large upload) is read.
    Registered as a URL value preprocessor: those run before every `before_request`."""
    g.submission_arrived_at = now()


def arrival_time() -> datetime:
    """When the current request arrived (now, outside a request or when not stamped)."""
    if has_request_context() and "submission_arrived_at" in g:
        return g.submission_arrived_at
    return now()


def deadline_of(team: Team, edition: Edition) -> datetime | None:
    return team_deadline(edition.submission_deadline, team.deadline_extension_until)


def is_read_only(team: Team, edition: Edition, at: datetime | None = None) -> bool:
    at = at or now()
    return edition.phase != "building" or not accepts_edits(deadline_of(team, edition), at)


def paris(moment: datetime) -> str:
    """A moment as people read it here: Europe/Paris, in their language."""
    return format_datetime(moment, "medium")


def require_open_for_edits(team: Team, edition: Edition, accepted_at: datetime) -> None:
    """Refuse outside the building phase, or after the team's deadline (409 with it)."""
    require_phase(edition, "edit_submission")
    deadline = deadline_of(team, edition)
    if not accepts_edits(deadline, accepted_at):
        raise DeadlinePassed(
            _("The submission deadline (%(deadline)s) has passed: the submission can no "
              "longer be changed.", deadline=paris(deadline)),
            deadline=deadline.isoformat())


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


def submission_settings(edition: Edition) -> SubmissionSettings:
    return SubmissionSettings(
        edition.submission_deadline, edition.max_file_mb, edition.max_team_upload_mb,
        bool((edition.settings or {}).get(COMPANY_VIEW_DURING_WEEK, False)))


def update_submission_settings(actor: User, edition: Edition,
                               wanted: SubmissionSettings) -> Edition:
    """Deadline, size limits and the companies' early view of an edition; audited."""
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
                        COMPANY_VIEW_DURING_WEEK: wanted.company_view_during_week}
    record_audit(actor, "edition.submission_settings", edition, edition_id=edition.id,
                 deadline=wanted.deadline.isoformat() if wanted.deadline else None,
                 previous_deadline=before.deadline.isoformat() if before.deadline else None,
                 max_file_mb=wanted.max_file_mb, max_team_upload_mb=wanted.max_team_upload_mb,
                 company_view_during_week=wanted.company_view_during_week)
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
