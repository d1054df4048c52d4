"""A team's submission: every save is a new version (who, when, what changed), files are
added with it, and a save started from an older version never silently overwrites a
teammate's work (optimistic concurrency: a compare-and-swap on the version number)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.files.storage import StoredFile
from crunchtime.models import Edition, Submission, SubmissionVersion, Team, User
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import team_room
from crunchtime.services.submissions import files
from crunchtime.services.submissions.deadlines import arrival_time, require_open_for_edits
from crunchtime.services.teams.space import team_for_member
from crunchtime.teamwork import links as link_rules
from crunchtime.teamwork import revisions
from crunchtime.teamwork.revisions import FieldChange

TEXT_LIMITS = {"title": 200, "pitch": 300, "problem": 5000, "solution": 5000,
               "prototype": 5000, "user_tests": 5000}
SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class SubmissionDraft:
    """What the form sends: the texts and the three links."""

    title: str = ""
    pitch: str = ""
    problem: str = ""
    solution: str = ""
    prototype: str = ""
    user_tests: str = ""
    repository: str = ""
    video: str = ""
    demo: str = ""

    def snapshot(self) -> dict[str, str]:
        return revisions.normalised(asdict(self))


@dataclass(frozen=True)
class SaveRequest:
    """A save names the version it started from; after a conflict it also names the
    version the member has now seen and how to resolve (merge or override)."""

    draft: SubmissionDraft
    base_version: int
    uploads: Sequence[files.Upload] = field(default_factory=tuple)
    resolution: str | None = None
    seen_version: int | None = None


class StaleSubmission(Conflict):
    """409: the submission changed since this member opened it; `details` hold what."""

    code = "stale_version"


def snapshot_of(version: SubmissionVersion | None) -> dict[str, str]:
    if version is None:
        return revisions.blank_snapshot()
    values = {name: getattr(version, name) for name in revisions.TEXT_FIELDS}
    values.update({name: (version.links or {}).get(name, "") for name in revisions.LINK_FIELDS})
    return revisions.normalised(values)


def submission_of(team: Team) -> Submission | None:
    return db.session.scalar(sa.select(Submission).where(Submission.team_id == team.id))


def version_row(submission: Submission | None, number: int) -> SubmissionVersion | None:
    if submission is None or number <= 0:
        return None
    return db.session.scalar(sa.select(SubmissionVersion).where(
        SubmissionVersion.submission_id == submission.id, SubmissionVersion.number == number))


def current_version(submission: Submission | None) -> SubmissionVersion | None:
    return version_row(submission, submission.version) if submission else None


def link_message(reason: str) -> str:
    return {
        link_rules.TOO_LONG: _("This address is too long (at most %(n)d characters).",
                               n=link_rules.MAX_LENGTH),
        link_rules.NOT_WEB: _("Only web addresses starting with http:// or https:// are "
                              "accepted."),
    }.get(reason, _("This is not a valid web address."))


def checked_snapshot(draft: SubmissionDraft) -> dict[str, str]:
    """The draft's values, or InvalidInput on the first field that cannot be stored."""
    values = draft.snapshot()
    for name, limit in TEXT_LIMITS.items():
        if len(values[name]) > limit:
            raise InvalidInput(_("At most %(n)d characters.", n=limit), field=name)
    for name in revisions.LINK_FIELDS:
        try:
            values[name] = link_rules.clean_link(values[name])
        except link_rules.BadLink as error:
            raise InvalidInput(link_message(error.reason), field=name) from error
    return values


def open_submission(team: Team) -> Submission:
    """The team's submission row, created at version 0 on the first save (a teammate
    creating it at the same moment wins; this save then sees it as changed)."""
    submission = submission_of(team)
    if submission is not None:
        return submission
    submission = Submission(team_id=team.id, version=0)
    db.session.add(submission)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        submission = submission_of(team)
    return submission


def claim_next_version(submission: Submission, moment: datetime) -> bool:
    """Claim the next version number: fails if anyone saved since we read the submission."""
    result = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.version == submission.version)
        .values(version=submission.version + 1, updated_at=moment)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def add_version(submission: Submission, author: User, values: dict, file_ids: list[int],
                 changed: list[str], moment: datetime, restored_from: int | None = None):
    links = {name: values[name] for name in revisions.LINK_FIELDS if values[name]}
    version = SubmissionVersion(
        submission_id=submission.id, number=submission.version + 1, author_id=author.id,
        links=links, file_ids=file_ids, changed_fields=changed, restored_from=restored_from,
        created_at=moment, **{name: values[name] for name in revisions.TEXT_FIELDS})
    db.session.add(version)
    return version


def announce_version(team: Team, version: SubmissionVersion, author: User) -> None:
    publish("submission", {"team": team.id, "version": version.number,
                           "author": author.first_name, "changed": version.changed_fields},
            room=team_room(team.id))


def stale_error(current: int, conflicts: Sequence[FieldChange] = ()) -> StaleSubmission:
    return StaleSubmission(
        _("Another member saved the submission (version %(n)d) since you opened it. Check "
          "their changes below, then merge or keep your version.", n=current),
        current_version=current, conflicts=list(conflicts))


def _plan(submission: Submission, request: SaveRequest, mine: dict) -> revisions.SavePlan:
    base_number = min(request.base_version, submission.version)
    base = snapshot_of(version_row(submission, base_number))
    if request.base_version > submission.version:  # a version that does not exist
        base = revisions.blank_snapshot()
    seen_now = request.seen_version == submission.version
    resolution = request.resolution if seen_now else None
    return revisions.plan_save(base, snapshot_of(current_version(submission)), mine,
                               resolution)


def _try_save(author: User, team: Team, edition: Edition, request: SaveRequest, mine: dict,
              stored: list[StoredFile], moment: datetime) -> SubmissionVersion | bool | None:
    """One attempt; False when a teammate saved in between (the caller tries again)."""
    submission = open_submission(team)
    plan = _plan(submission, request, mine)
    if plan.refused:
        raise stale_error(submission.version, plan.conflicts)
    current = current_version(submission)
    changed = revisions.changed_fields(snapshot_of(current), plan.values)
    if stored:
        changed.append(revisions.FILES)
    if not changed:
        db.session.rollback()
        return None
    if not claim_next_version(submission, moment):
        db.session.rollback()
        return False
    new_files = files.file_rows(submission, stored, author)
    files.require_team_quota(submission, edition)
    file_ids = list(current.file_ids if current else []) + [row.id for row in new_files]
    return add_version(submission, author, plan.values, file_ids, changed, moment)


def save_submission(author: User, team_id: int, request: SaveRequest,
                    accepted_at: datetime | None = None) -> SubmissionVersion | None:
    """Store a new version (None when nothing changed). Refusals write nothing: 403 for
    a non-member, 409 after the deadline or when stale, 400 for a bad field or file,
    413 over a size limit."""
    team = team_for_member(author, team_id)
    edition = db.session.get(Edition, team.edition_id)
    moment = accepted_at or arrival_time()
    require_open_for_edits(team, edition, moment)
    mine = checked_snapshot(request.draft)
    stored = files.store_uploads(request.uploads, edition)
    try:
        for _attempt in range(SAVE_ATTEMPTS):
            version = _try_save(author, team, edition, request, mine, stored, moment)
            if version is not False:
                break
            db.session.expire_all()
        else:
            raise stale_error(submission_of(team).version)
        if version is not None:
            db.session.commit()
    except BaseException:
        db.session.rollback()
        files.discard(stored)
        raise
    if version is not None:
        announce_version(team, version, author)
    return version

