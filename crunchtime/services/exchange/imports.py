"""Bulk imports of DESIGN §4: the registrar's students file and the challenges file.

All-or-nothing: the whole file is checked first (its cells, then against the database); one
broken row refuses it with every problem listed, and nothing is written. An accepted file is
written in one transaction, audited once; re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.imports import (
    CHALLENGE_COLUMNS,
    STUDENT_COLUMNS,
    ImportReport,
    parse_challenges,
    parse_students,
)
from crunchtime.imports.results import sort_problems
from crunchtime.models import Challenge, Edition, OutboxMessage, Programme, Skill, User
from crunchtime.models.base import utcnow
from crunchtime.services.accounts.invitations import invitation_mail
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.services.exchange.bulk_writes import ensure_names, insert_rows
from crunchtime.services.exchange.challenge_writes import ChallengeWriter
from crunchtime.services.exchange.student_rows import chunked, database_problems, load_known
from crunchtime.services.exchange.student_writes import StudentWriter, Vocabulary
from crunchtime.services.mail import deliver_mail

Progress = Callable[[int, int], None]
INVITATION_TEMPLATE = "mail/student_invitation.txt"
INVITATION_SUBJECT = _l("Crunch Time: choose your password to activate your account")
# Challenges change only while students can still rank them, as for a review.
CHALLENGE_IMPORT_ACTION = "import_challenges"


class ImportRejected(InvalidInput):
    """The file is refused: `report.problems` lists why, line by line; nothing was written."""

    def __init__(self, report: ImportReport):
        lines = len(report.broken_lines)
        super().__init__(ngettext(
            "The file is refused: %(num)d line has a problem. Nothing was imported; correct "
            "the file and send it again.",
            "The file is refused: %(num)d lines have problems. Nothing was imported; correct "
            "the file and send it again.",
            lines,
        ))
        self.report = report


def import_students(
    edition: Edition, data: bytes, actor: User | None, progress: Progress | None = None,
    *, filename: str = "",
) -> ImportReport:
    """Create or update the file's students in `edition` (actor None: the command line)."""
    _check_organiser(actor)
    require_phase(edition, "import_students")
    parsed = parse_students(data, challenge_statuses(edition.id))
    report = ImportReport("students", filename, parsed.source, rows=len(parsed.rows),
                          problems=parsed.problems)
    known = load_known(edition.id, [row.email for row in parsed.rows])
    report.problems += database_problems(parsed.rows, known, edition.id)
    _refuse_if_broken(report, STUDENT_COLUMNS)
    with _one_transaction():
        now = utcnow()
        programmes, report.new_programmes = ensure_names(
            Programme, edition.id, [row.programme for row in parsed.rows])
        skills, report.new_skills = ensure_names(
            Skill, edition.id, [skill for row in parsed.rows for skill in row.skills])
        vocabulary = Vocabulary(programmes, skills, _approved_ids(edition.id))
        writer = StudentWriter(edition.id, known, vocabulary, now)
        counts, invitees = writer.write(parsed.rows, progress)
        report.created, report.updated, report.unchanged = (
            counts.created, counts.updated, counts.unchanged)
        message_ids = _queue_invitations(invitees, now)
        report.invitations = len(message_ids)
        _audit(actor, "import.students", edition, report)
    _deliver(message_ids)
    return report


def import_challenges(
    edition: Edition, data: bytes, actor: User | None, *, filename: str = ""
) -> ImportReport:
    """Create (approved) or update the file's challenges in `edition`, by code."""
    _check_organiser(actor)
    require_phase(edition, CHALLENGE_IMPORT_ACTION)
    parsed = parse_challenges(data)
    report = ImportReport("challenges", filename, parsed.source, rows=len(parsed.rows),
                          problems=parsed.problems)
    _refuse_if_broken(report, CHALLENGE_COLUMNS)
    with _one_transaction():
        writer = ChallengeWriter(edition.id, getattr(actor, "id", None), utcnow(), report)
        writer.write(parsed.rows)
        _audit(actor, "import.challenges", edition, report)
    return report


def challenge_statuses(edition_id: int) -> dict[str, str]:
    """Status of every challenge of the edition, by code."""
    return dict(db.session.execute(
        sa.select(Challenge.code, Challenge.status).where(Challenge.edition_id == edition_id)
    ).all())


def _approved_ids(edition_id: int) -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(Challenge.code, Challenge.id).where(
            Challenge.edition_id == edition_id, Challenge.status == "approved")
    ).all())


def _check_organiser(actor: User | None) -> None:
    if actor is not None and actor.role != "organizer":
        raise Forbidden(_("Only organisers can import files."))


def _refuse_if_broken(report: ImportReport, columns: Sequence[str]) -> None:
    if report.problems:
        sort_problems(report.problems, columns)
        raise ImportRejected(report)


@contextmanager
def _one_transaction() -> Iterator[None]:
    """Commit once at the end; a concurrent change (same e-mail, same code) becomes a Conflict
    and any failure leaves nothing written."""
    try:
        yield
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(
            _("The data changed while the file was being imported; send it again.")
        ) from error
    except BaseException:
        db.session.rollback()
        raise


def _queue_invitations(user_ids: list[int], now: datetime) -> list[int]:
    """Invitation mails written to the outbox in bulk (not one INSERT each); their ids."""
    rows = []
    for chunk in chunked(user_ids):
        for user in db.session.scalars(sa.select(User).where(User.id.in_(chunk))):
            subject, body = invitation_mail(user, INVITATION_TEMPLATE, INVITATION_SUBJECT)
            rows.append({"recipient": user.email, "subject": subject, "body": body,
                         "kind": "invite", "sent_at": None, "error": "", "created_at": now})
    return [row.id for row in insert_rows(OutboxMessage, rows, OutboxMessage.id)]


def _deliver(message_ids: list[int]) -> None:
    """After the commit: send the queued mails if an SMTP server is configured."""
    if not message_ids or not current_app.config["MAIL_SERVER"]:
        return
    deliver_mail([
        message for chunk in chunked(message_ids)
        for message in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id.in_(chunk)))
    ])


def _audit(actor: User | None, action: str, edition: Edition, report: ImportReport) -> None:
    record_audit(
        actor, action, edition, edition_id=edition.id, filename=report.filename,
        rows=report.rows, created=report.created, updated=report.updated,
        unchanged=report.unchanged, invitations=report.invitations,
        new_programmes=report.new_programmes, new_skills=report.new_skills,
        new_organisations=report.new_organisations, via="web" if actor else "cli",
    )
