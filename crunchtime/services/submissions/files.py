"""A team's files: stored checked by content within the edition's limits (per file and
per team), and given back only to those allowed to see them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.files import DELIVERABLE_KINDS, storage
from crunchtime.files.storage import FileRefused, FileTooLarge, StoredFile
from crunchtime.models import (
    Edition,
    JuryAssignment,
    JuryProfile,
    MilestoneProgress,
    Submission,
    SubmissionFile,
    Team,
    User,
)
from crunchtime.services.submissions.deadlines import companies_may_read_submissions
from crunchtime.services.teams.space import is_member

FILES_PER_SAVE = 10


@dataclass(frozen=True)
class Upload:
    """A file as the request gave it: its stream and the name the sender chose."""

    stream: BinaryIO
    filename: str


def per_file_limit(edition: Edition) -> int:
    return edition.max_file_mb * storage.MEGABYTE


def per_team_limit(edition: Edition) -> int:
    return edition.max_team_upload_mb * storage.MEGABYTE


def _store_one(upload: Upload, edition: Edition, allowed: frozenset[str]) -> StoredFile:
    if storage.names_a_path(upload.filename):
        raise FileRefused(_("The file name “%(name)s” contains a folder path; rename the "
                            "file and add it again.", name=upload.filename[:80]),
                          field="files")
    try:
        return storage.save_upload(upload.stream, upload.filename,
                                   max_bytes=per_file_limit(edition), allowed=allowed)
    except FileRefused as error:
        name = storage.display_name(upload.filename)
        raise FileRefused(_("“%(name)s”: %(reason)s", name=name, reason=error.message),
                          field="files") from error


def store_uploads(uploads: Sequence[Upload], edition: Edition,
                  allowed: frozenset[str] = DELIVERABLE_KINDS) -> list[StoredFile]:
    """Every upload on disk, or none: a refusal removes those already written."""
    if len(uploads) > FILES_PER_SAVE:
        raise InvalidInput(_("Add at most %(n)d files at a time.", n=FILES_PER_SAVE),
                           field="files")
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            stored.append(_store_one(upload, edition, allowed))
    except BaseException:
        discard(stored)
        raise
    return stored


def discard(stored: Sequence[StoredFile]) -> None:
    for item in stored:
        storage.delete_stored(item.stored_name)


def file_rows(submission: Submission, stored: Sequence[StoredFile],
              author: User) -> list[SubmissionFile]:
    rows = [SubmissionFile(submission_id=submission.id, stored_name=item.stored_name,
                           original_name=item.display_name, content_type=item.content_type,
                           size=item.size, sha256=item.sha256, uploaded_by_id=author.id)
            for item in stored]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def require_team_quota(submission: Submission, edition: Edition) -> None:
    """After the new rows are flushed: refuse (413) when the team's files exceed its limit."""
    used = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(SubmissionFile.size), 0))
        .where(SubmissionFile.submission_id == submission.id,
               SubmissionFile.deleted_at.is_(None)))
    limit = per_team_limit(edition)
    if used > limit:
        raise FileTooLarge(
            _("Your team's files would take more than the limit of %(mb)d MB per team. "
              "Remove a file or add a smaller one.", mb=edition.max_team_upload_mb),
            limit_bytes=limit)


def live_files(ids: Sequence[int]) -> list[SubmissionFile]:
    """These files, in this order, leaving out those deleted since."""
    if not ids:
        return []
    rows = {row.id: row for row in db.session.scalars(
        sa.select(SubmissionFile).where(SubmissionFile.id.in_(list(ids)),
                                        SubmissionFile.deleted_at.is_(None)))}
    return [rows[file_id] for file_id in ids if file_id in rows]


def _file_and_team(file_id: int) -> tuple[SubmissionFile, Team]:
    row = db.session.execute(
        sa.select(SubmissionFile, Team)
        .join(Submission, SubmissionFile.submission_id == Submission.id)
        .join(Team, Submission.team_id == Team.id)
        .where(SubmissionFile.id == file_id)
    ).first()
    if row is None or row[0].deleted_at is not None:
        raise NotFound(_("This file does not exist, or was deleted."))
    return row[0], row[1]


def _is_stage_deliverable(file_id: int) -> bool:
    return db.session.scalar(
        sa.select(MilestoneProgress.id).where(MilestoneProgress.file_id == file_id)
    ) is not None


def _company_may_see(user: User, team: Team, file_id: int) -> bool:
    if team.challenge.organisation_id != user.organisation_id or user.organisation_id is None:
        return False
    edition = db.session.get(Edition, team.edition_id)
    return _is_stage_deliverable(file_id) or companies_may_read_submissions(edition)


def _jury_may_see(user: User, team: Team) -> bool:
    return db.session.scalar(
        sa.select(JuryAssignment.id)
        .join(JuryProfile, JuryAssignment.jury_id == JuryProfile.id)
        .where(JuryAssignment.team_id == team.id, JuryProfile.user_id == user.id)
    ) is not None


def file_for(user: User, file_id: int) -> SubmissionFile:
    """The file if `user` may download it (404 when unknown or deleted, 403 otherwise):
    organisers, the team's members, the challenge's organisation (stage deliverables
    always, the submission once companies may read it) and juries assigned to the team."""
    row, team = _file_and_team(file_id)
    allowed = (user.role == "organizer"
               or (user.role == "student" and is_member(user, team))
               or (user.role == "company" and _company_may_see(user, team, file_id))
               or (user.role == "jury" and _jury_may_see(user, team)))
    if not allowed:
        raise Forbidden(_("You do not have access to this file."))
    return row
