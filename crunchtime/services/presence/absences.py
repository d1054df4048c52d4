"""Declared absences: a student gives the session, a reason and maybe a proof (checked like
the submissions' files: by content, within the edition's size limit); organisers accept or
refuse it, audited. A refused absence may be declared again, with a new reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.files import PDF_AND_IMAGES, storage
from crunchtime.files.storage import FileRefused, StoredFile
from crunchtime.models import Absence, CheckIn, Edition, PresenceSession, User
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.audit import record_audit
from crunchtime.services.incubation.flags import require_writable
from crunchtime.services.presence.checkins import LIVE_EVENT, require_student_of
from crunchtime.services.presence.sessions import load_session
from crunchtime.services.submissions.files import per_file_limit

REASON_MAX = 2000
NOTE_MAX = 1000
DOCUMENT_KINDS = PDF_AND_IMAGES


@dataclass(frozen=True)
class Document:
    stream: BinaryIO
    filename: str


def _store(document: Document | None, edition: Edition) -> StoredFile | None:
    if document is None or not document.filename:
        return None
    if storage.names_a_path(document.filename):
        raise FileRefused(_("The file name “%(name)s” contains a folder path; rename the "
                            "file and add it again.", name=document.filename[:80]),
                          field="document")
    try:
        return storage.save_upload(document.stream, document.filename,
                                   max_bytes=per_file_limit(edition), allowed=DOCUMENT_KINDS)
    except FileRefused as error:
        raise FileRefused(error.message, field="document") from error


def declare_absence(user: User, edition: Edition, session_id: int, reason: str,
                    document: Document | None = None) -> Absence:
    """One declaration per student and session; a refused one is replaced (pending again)."""
    require_writable(edition)
    require_student_of(user, edition)
    session = load_session(edition, session_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why you are (or were) absent."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=REASON_MAX), field="reason")
    if db.session.scalar(sa.select(CheckIn.id).where(CheckIn.user_id == user.id,
                                                     CheckIn.session_id == session.id)):
        raise Conflict(_("You were checked in for this session: there is no absence to "
                         "declare."), field="session")
    row = db.session.scalar(sa.select(Absence).where(Absence.user_id == user.id,
                                                     Absence.session_id == session.id))
    if row is not None and row.status != "refused":
        raise Conflict(_("You have already declared an absence for this session."),
                       field="session")
    stored = _store(document, edition)
    old_document = row.stored_name if row is not None else None
    try:
        row = _fill(row or Absence(user_id=user.id, session_id=session.id), reason, stored)
        db.session.add(row)
        record_audit(user, "presence.absence_declared", row, edition_id=edition.id,
                     session=session.id, document=stored is not None)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if stored is not None:
            storage.delete_stored(stored.stored_name)
        raise
    if old_document and stored is not None:
        storage.delete_stored(old_document)
    publish(LIVE_EVENT, {"changed": ["absence"]}, room=ORGANIZERS)
    return row


def _fill(row: Absence, reason: str, stored: StoredFile | None) -> Absence:
    row.reason, row.status, row.decided_by_id, row.decided_at, row.note = (
        reason, "pending", None, None, "")
    if stored is not None:
        row.stored_name, row.original_name = stored.stored_name, stored.display_name
        row.content_type, row.size, row.sha256 = stored.content_type, stored.size, stored.sha256
    return row


def decide_absence(actor: User, edition: Edition, absence_id: int, accept: bool,
                   note: str = "") -> Absence:
    require_writable(edition)
    row = load_absence(edition, absence_id)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="note")
    previous, actor_id = row.status, actor.id  # read before the row changes (no autoflush)
    row.status, row.decided_by_id, row.decided_at, row.note = (
        "accepted" if accept else "refused", actor_id, utcnow(), note)
    record_audit(actor, "presence.absence_decided", row, edition_id=edition.id,
                 student=row.user_id, session=row.session_id, status=row.status,
                 previous=previous, note=note)
    db.session.commit()
    publish(LIVE_EVENT, {"changed": ["absence"]}, room=ORGANIZERS)
    return row


def load_absence(edition: Edition, absence_id: int) -> Absence:
    row = db.session.get(Absence, absence_id)
    if row is None or db.session.get(PresenceSession, row.session_id).edition_id != edition.id:
        raise NotFound(_("This absence does not exist."))
    return row


def absence_document(user: User, absence_id: int) -> Absence:
    """An absence's proof, for its student or an organiser."""
    row = db.session.get(Absence, absence_id)
    if row is None or row.stored_name is None:
        raise NotFound(_("This document does not exist."))
    if user.role != "organizer" and user.id != row.user_id:
        raise Forbidden(_("Only the student and the organisers can read this document."))
    return row


def edition_absences(edition: Edition, status: str | None = None) -> list[tuple]:
    """(absence, student, session) of the edition, those waiting first, oldest first."""
    query = (sa.select(Absence, User, PresenceSession)
             .join(User, User.id == Absence.user_id)
             .join(PresenceSession, PresenceSession.id == Absence.session_id)
             .where(PresenceSession.edition_id == edition.id))
    if status:
        query = query.where(Absence.status == status)
    order = sa.case((Absence.status == "pending", 0), else_=1)
    return list(db.session.execute(query.order_by(order, PresenceSession.starts_at,
                                                  User.last_name, Absence.id)).all())
