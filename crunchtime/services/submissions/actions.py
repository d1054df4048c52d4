"""What members do to a saved submission besides editing it: hand it in, restore an older
version, remove a file; and the history they read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.files import storage
from crunchtime.models import Edition, Submission, SubmissionFile, SubmissionVersion, Team, User
from crunchtime.services.audit import record_audit
from crunchtime.services.submissions import files
from crunchtime.services.submissions import versions as submissions
from crunchtime.services.submissions.deadlines import arrival_time, require_open_for_edits
from crunchtime.services.teams.space import team_for_member
from crunchtime.teamwork import revisions


def _require_saved(team: Team) -> tuple[Submission, SubmissionVersion]:
    submission = submissions.submission_of(team)
    current = submissions.current_version(submission)
    if current is None:
        raise InvalidInput(_("Save the submission first."))
    return submission, current


def hand_in(author: User, team_id: int, accepted_at: datetime | None = None) -> Submission:
    """Mark the submission as handed in; later saves before the deadline still count."""
    team = team_for_member(author, team_id)
    edition = db.session.get(Edition, team.edition_id)
    moment = accepted_at or arrival_time()
    require_open_for_edits(team, edition, moment)
    submission, current = _require_saved(team)
    if not current.title.strip() or not current.pitch.strip():
        raise InvalidInput(_("Give the project a title and a one-line pitch before handing "
                             "it in."))
    if submission.submitted_at is None:
        submission.submitted_at = moment
        record_audit(author, "submission.hand_in", submission, edition_id=edition.id,
                     code=team.code, version=submission.version)
        db.session.commit()
    return submission


def _rewrite(author: User, team: Team, submission: Submission, values: dict,
             file_ids: list[int], changed: list[str], moment: datetime,
             restored_from: int | None = None) -> SubmissionVersion:
    if not submissions.claim_next_version(submission, moment):
        db.session.rollback()
        raise submissions.stale_error(submissions.submission_of(team).version)
    return submissions.add_version(submission, author, values, file_ids, changed, moment,
                                   restored_from)


def restore_version(author: User, team_id: int, number: int, base_version: int,
                    accepted_at: datetime | None = None) -> SubmissionVersion | None:
    """A new version with an older one's texts and those of its files still kept."""
    team = team_for_member(author, team_id)
    edition = db.session.get(Edition, team.edition_id)
    moment = accepted_at or arrival_time()
    require_open_for_edits(team, edition, moment)
    submission, current = _require_saved(team)
    if base_version != submission.version:
        raise submissions.StaleSubmission(
            _("The submission changed since you opened this page (it is now at version "
              "%(n)d): look at the latest version before restoring an older one.",
              n=submission.version), current_version=submission.version, conflicts=[])
    old = submissions.version_row(submission, number)
    if old is None:
        raise NotFound(_("This version does not exist."))
    values = submissions.snapshot_of(old)
    file_ids = [row.id for row in files.live_files(old.file_ids or [])]
    changed = revisions.changed_fields(submissions.snapshot_of(current), values)
    if file_ids != list(current.file_ids or []):
        changed.append(revisions.FILES)
    if not changed:
        return None
    version = _rewrite(author, team, submission, values, file_ids, changed, moment, number)
    db.session.commit()
    submissions.announce_version(team, version, author)
    return version


def remove_file(author: User, team_id: int, file_id: int,
                accepted_at: datetime | None = None) -> SubmissionVersion:
    """A new version without this file; the file itself is deleted for good."""
    team = team_for_member(author, team_id)
    edition = db.session.get(Edition, team.edition_id)
    moment = accepted_at or arrival_time()
    require_open_for_edits(team, edition, moment)
    submission, current = _require_saved(team)
    row = db.session.get(SubmissionFile, file_id)
    if (row is None or row.deleted_at is not None or row.submission_id != submission.id
            or file_id not in (current.file_ids or [])):
        raise NotFound(_("This file does not exist, or was deleted."))
    row.deleted_at = moment
    file_ids = [other for other in current.file_ids if other != file_id]
    version = _rewrite(author, team, submission, submissions.snapshot_of(current), file_ids,
                       [revisions.FILES], moment)
    db.session.commit()
    storage.delete_stored(row.stored_name)
    submissions.announce_version(team, version, author)
    return version


@dataclass(frozen=True)
class HistoryEntry:
    number: int
    author: str
    created_at: datetime
    changed_fields: list[str]
    restored_from: int | None


def version_history(submission: Submission | None) -> list[HistoryEntry]:
    """Every version, newest first, with its author's name (one query)."""
    if submission is None:
        return []
    rows = db.session.execute(
        sa.select(SubmissionVersion.number, User.first_name, User.last_name,
                  SubmissionVersion.created_at, SubmissionVersion.changed_fields,
                  SubmissionVersion.restored_from)
        .outerjoin(User, SubmissionVersion.author_id == User.id)
        .where(SubmissionVersion.submission_id == submission.id)
        .order_by(SubmissionVersion.number.desc()))
    return [HistoryEntry(row[0], f"{row[1] or ''} {row[2] or ''}".strip() or "—", row[3],
                         list(row[4] or []), row[5]) for row in rows]


def version_files(version: SubmissionVersion) -> list[SubmissionFile]:
    """The files a version listed, deleted ones included (shown as no longer available)."""
    ids = list(version.file_ids or [])
    if not ids:
        return []
    rows = {row.id: row for row in db.session.scalars(
        sa.select(SubmissionFile).where(SubmissionFile.id.in_(ids)))}
    return [rows[file_id] for file_id in ids if file_id in rows]


def team_version(team: Team, number: int) -> SubmissionVersion:
    version = submissions.version_row(submissions.submission_of(team), number)
    if version is None:
        raise NotFound(_("This version does not exist."))
    return version
