"""The design-thinking stages of the week: each edition has them (five by default), each
team marks a stage done with its short deliverable, and company contacts or organisers
leave feedback that the team sees at once. Late stages are shown, never blocked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.files import DELIVERABLE_KINDS, IMAGE_KINDS, storage
from crunchtime.models import (
    Edition,
    Milestone,
    MilestoneFeedback,
    MilestoneProgress,
    SubmissionFile,
    Team,
    User,
)
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import team_room
from crunchtime.services.editions.current import require_phase
from crunchtime.services.submissions import files
from crunchtime.services.submissions.deadlines import arrival_time, now
from crunchtime.services.submissions.versions import open_submission
from crunchtime.services.teams.space import load_team, team_for_member
from crunchtime.services.teams.words import STAGE_HINTS
from crunchtime.teamwork.status import stage_state

NOTE_MAX = 2000


@dataclass(frozen=True)
class StageDefault:
    key: str
    label_fr: str
    label_en: str
    kind: str
    days_before_deadline: int


# The labels are the stage's own names in both languages (organisers edit them as such);
# what a stage expects is in words.STAGE_HINTS.
DEFAULT_STAGES = (
    StageDefault("empathise", "Empathie", "Empathise", "note", 4),
    StageDefault("define", "Définition", "Define", "note", 3),
    StageDefault("ideate", "Idéation", "Ideate", "photo", 2),
    StageDefault("prototype", "Prototype", "Prototype", "photo", 1),
    StageDefault("test_pitch", "Test et pitch", "Test & pitch", "file", 0),
)


def _english(text) -> str:
    with force_locale("en"):
        return str(text)


def _stages(edition: Edition) -> list[Milestone]:
    return list(db.session.scalars(
        sa.select(Milestone).where(Milestone.edition_id == edition.id)
        .order_by(Milestone.position, Milestone.id)))


def add_default_milestones(edition: Edition) -> list[Milestone]:
    """In the caller's unit of work: the edition's stages, adding the five default ones when
    it has none yet (due one day apart up to the submission deadline, when it is set). A
    savepoint keeps a concurrent creation from failing the caller's transaction."""
    existing = _stages(edition)
    if existing:
        return existing
    deadline = edition.submission_deadline
    try:
        with db.session.begin_nested():
            for position, stage in enumerate(DEFAULT_STAGES, start=1):
                due = deadline - timedelta(days=stage.days_before_deadline) if deadline else None
                db.session.add(Milestone(
                    edition_id=edition.id, key=stage.key, position=position,
                    label_fr=stage.label_fr, label_en=stage.label_en,
                    expected=_english(STAGE_HINTS[stage.key]),
                    deliverable_kind=stage.kind, due_at=due))
    except IntegrityError:  # created at the same moment by another request
        pass
    return _stages(edition)


def ensure_default_milestones(edition: Edition) -> list[Milestone]:
    """The edition's stages, the default ones created and committed if it has none (a page
    that shows the stages before the edition entered the building phase). Idempotent."""
    existing = _stages(edition)
    if existing:
        return existing
    stages = add_default_milestones(edition)
    db.session.commit()
    return stages


def stage_label(milestone: Milestone) -> str:
    english = str(get_locale() or "fr") == "en"
    return milestone.label_en if english and milestone.label_en else milestone.label_fr


def stage_hint(milestone: Milestone) -> str:
    """What the stage expects, in the reader's language while it is still a default stage's
    hint as stored (in English, or in French by earlier versions); an organiser's own text
    is shown as written."""
    text = milestone.expected or ""
    hint = STAGE_HINTS.get(milestone.key)
    if hint is None or not text:
        return text
    with force_locale("fr"):
        french = str(hint)
    return str(hint) if text in (_english(hint), french) else text


@dataclass(frozen=True)
class FeedbackView:
    author: str
    role: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class StageView:
    milestone: Milestone
    progress: MilestoneProgress | None
    state: str
    file: SubmissionFile | None
    feedback: list[FeedbackView]

    @property
    def label(self) -> str:
        return stage_label(self.milestone)

    @property
    def hint(self) -> str:
        return stage_hint(self.milestone)


def _feedback_by_progress(progress_ids: list[int]) -> dict[int, list[FeedbackView]]:
    grouped: dict[int, list[FeedbackView]] = {}
    if not progress_ids:
        return grouped
    rows = db.session.execute(
        sa.select(MilestoneFeedback, User)
        .outerjoin(User, MilestoneFeedback.author_id == User.id)
        .where(MilestoneFeedback.progress_id.in_(progress_ids))
        .order_by(MilestoneFeedback.created_at, MilestoneFeedback.id))
    for feedback, author in rows:
        grouped.setdefault(feedback.progress_id, []).append(FeedbackView(
            author.full_name if author else "—", author.role if author else "",
            feedback.text, feedback.created_at))
    return grouped


def team_stages(team: Team, edition: Edition, moment: datetime | None = None) -> list[StageView]:
    """Every stage with the team's progress, its deliverable file and the feedback."""
    moment = moment or now()
    stages = ensure_default_milestones(edition)
    progress = {row.milestone_id: row for row in db.session.scalars(
        sa.select(MilestoneProgress).where(MilestoneProgress.team_id == team.id))}
    feedback = _feedback_by_progress([row.id for row in progress.values()])
    file_ids = [row.file_id for row in progress.values() if row.file_id]
    stage_files = {row.id: row for row in files.live_files(file_ids)}
    views = []
    for milestone in stages:
        row = progress.get(milestone.id)
        views.append(StageView(
            milestone, row,
            stage_state(milestone.due_at, row.completed_at if row else None, moment),
            stage_files.get(row.file_id) if row and row.file_id else None,
            feedback.get(row.id, []) if row else []))
    return views


def edition_stage(edition_id: int, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.edition_id != edition_id:
        raise NotFound(_("This stage does not exist."))
    return milestone


def _progress_row(team: Team, milestone: Milestone) -> MilestoneProgress:
    row = db.session.scalar(sa.select(MilestoneProgress).where(
        MilestoneProgress.team_id == team.id, MilestoneProgress.milestone_id == milestone.id))
    if row is None:
        row = MilestoneProgress(team_id=team.id, milestone_id=milestone.id)
        db.session.add(row)
    return row


def _check_deliverable(milestone: Milestone, note: str, upload, row) -> None:
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="note")
    has_file = upload is not None or (row is not None and row.file_id is not None)
    if milestone.deliverable_kind == "note" and not note:
        raise InvalidInput(_("Write a short note for this stage."), field="note")
    if milestone.deliverable_kind == "photo" and not has_file:
        raise InvalidInput(_("Add a photo for this stage (a picture of your board, "
                             "for example)."), field="file")
    if milestone.deliverable_kind == "file" and not has_file:
        raise InvalidInput(_("Add a file for this stage."), field="file")


def _attach_stage_file(team: Team, edition: Edition, milestone: Milestone, upload,
                       author: User) -> tuple[SubmissionFile, storage.StoredFile]:
    allowed = IMAGE_KINDS if milestone.deliverable_kind == "photo" else DELIVERABLE_KINDS
    [stored] = files.store_uploads([upload], edition, allowed)
    try:
        submission = open_submission(team)
        [row] = files.file_rows(submission, [stored], author)
        files.require_team_quota(submission, edition)
    except BaseException:
        db.session.rollback()
        storage.delete_stored(stored.stored_name)
        raise
    return row, stored


def complete_stage(author: User, team_id: int, milestone_id: int, note: str,
                   upload: files.Upload | None = None,
                   accepted_at: datetime | None = None) -> MilestoneProgress:
    """Mark a stage done with its deliverable (again: replace it); never refused for
    being late, only outside the building phase."""
    team = team_for_member(author, team_id)
    edition = db.session.get(Edition, team.edition_id)
    require_phase(edition, "edit_submission")
    milestone = edition_stage(edition.id, milestone_id)
    note = (note or "").strip().replace("\r\n", "\n")
    existing = db.session.scalar(sa.select(MilestoneProgress).where(
        MilestoneProgress.team_id == team.id, MilestoneProgress.milestone_id == milestone.id))
    _check_deliverable(milestone, note, upload, existing)
    new_file = stored = None
    if upload is not None:
        new_file, stored = _attach_stage_file(team, edition, milestone, upload, author)
    row, replaced = _record_completion(team, milestone, author, note, new_file,
                                       accepted_at or arrival_time())
    try:
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        if stored is not None:
            storage.delete_stored(stored.stored_name)
        if isinstance(error, IntegrityError):
            raise Conflict(_("A teammate has just updated this stage: reload the page.")) \
                from error
        raise
    if replaced is not None:
        storage.delete_stored(replaced)
    publish("stage", {"team": team.id, "stage": milestone.id, "author": author.first_name},
            room=team_room(team.id))
    return row


def _record_completion(team: Team, milestone: Milestone, author: User, note: str,
                       new_file: SubmissionFile | None,
                       moment: datetime) -> tuple[MilestoneProgress, str | None]:
    """Fill the progress row; also returns the stored name of a replaced file to delete."""
    row = _progress_row(team, milestone)
    replaced = None
    if new_file is not None:
        if row.file_id:
            old = db.session.get(SubmissionFile, row.file_id)
            if old is not None and old.deleted_at is None:
                old.deleted_at = moment
                replaced = old.stored_name
        row.file_id = new_file.id
    row.note = note
    if row.completed_at is None:
        row.completed_at = moment
        row.completed_by_id = author.id
    return row, replaced


def may_give_feedback(user: User, team: Team) -> bool:
    if user.role == "organizer":
        return True
    return (user.role == "company" and user.organisation_id is not None
            and team.challenge.organisation_id == user.organisation_id)


def leave_feedback(author: User, team_id: int, milestone_id: int,
                   text: str) -> MilestoneFeedback:
    """A company contact of the team's challenge, or an organiser, comments on a stage;
    the team's open pages show it at once."""
    team = load_team(team_id)
    if not may_give_feedback(author, team):
        raise Forbidden(_("Only the challenge's organisation and the organisers can leave "
                          "feedback to this team."))
    milestone = edition_stage(team.edition_id, milestone_id)
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise InvalidInput(_("Write your feedback."), field="text")
    if len(text) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="text")
    row = _progress_row(team, milestone)
    db.session.flush()
    feedback = MilestoneFeedback(progress_id=row.id, author_id=author.id, text=text)
    db.session.add(feedback)
    db.session.commit()
    publish("feedback", {"team": team.id, "stage": milestone.id, "author": author.full_name,
                         "text": text}, room=team_room(team.id))
    return feedback
