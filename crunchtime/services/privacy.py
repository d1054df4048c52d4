"""RGPD requests: a student asks for deletion (queued until results while their team is being
judged); organisers process the requests, which anonymises the student."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import DeletionRequest, Edition, Membership, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.anonymise import anonymise_student
from crunchtime.services.audit import record_audit

OPEN_STATUSES = ("pending", "deferred")
# While juries score, a member's deletion would change the team under their eyes.
JUDGED_PHASES = ("judging",)
NOTE_MAX = 1000


def open_request(user: User) -> DeletionRequest | None:
    return db.session.scalar(sa.select(DeletionRequest).where(
        DeletionRequest.user_id == user.id, DeletionRequest.status.in_(OPEN_STATUSES))
        .order_by(DeletionRequest.id.desc()).limit(1))


def editions_judging(user: User) -> list[Edition]:
    """The editions where the student's team is being judged right now."""
    return list(db.session.scalars(
        sa.select(Edition).join(StudentProfile, StudentProfile.edition_id == Edition.id)
        .join(Membership, Membership.student_id == StudentProfile.id)
        .where(StudentProfile.user_id == user.id, Edition.phase.in_(JUDGED_PHASES))))


def request_deletion(user: User) -> DeletionRequest:
    """Record the request; it waits ("deferred") while the student's team is being judged."""
    if user.role != "student":
        raise Conflict(_("Only students can ask for deletion here; other accounts write to "
                         "the organisers."))
    if open_request(user) is not None:
        raise Conflict(_("You have already asked for the deletion of your data; the "
                         "organisers will process it."))
    deferred = bool(editions_judging(user))
    request = DeletionRequest(user_id=user.id, status="deferred" if deferred else "pending",
                              note="")
    db.session.add(request)
    db.session.flush()
    record_audit(user, "privacy.request", request, status=request.status)
    db.session.commit()
    publish("cockpit", {"changed": ["privacy"]}, room=ORGANIZERS)
    return request


def deletion_requests() -> list[tuple[DeletionRequest, User | None]]:
    return list(db.session.execute(
        sa.select(DeletionRequest, User).outerjoin(User, User.id == DeletionRequest.user_id)
        .order_by(DeletionRequest.status.in_(OPEN_STATUSES).desc(),
                  DeletionRequest.id.desc())).all())


def _open(request_id: int) -> DeletionRequest:
    request = db.session.get(DeletionRequest, request_id)
    if request is None:
        raise NotFound(_("This request does not exist."))
    if request.status not in OPEN_STATUSES:
        raise Conflict(_("This request has already been processed."))
    return request


def process_request(actor: User, request_id: int) -> DeletionRequest:
    """Anonymise the student; refused while their team is still being judged."""
    request = _open(request_id)
    user = db.session.get(User, request.user_id) if request.user_id else None
    if user is not None and editions_judging(user):
        raise Conflict(_("This student's team is being judged: the request waits until the "
                         "results are published."))
    if user is not None:
        anonymise_student(user)
    request.status, request.processed_at, request.processed_by_id = "done", utcnow(), actor.id
    record_audit(actor, "privacy.anonymise", request, user_id=request.user_id)
    db.session.commit()
    return request


def refuse_request(actor: User, request_id: int, note: str) -> DeletionRequest:
    """Refuse with the legal reason (e.g. a record the university must keep)."""
    request = _open(request_id)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Give the reason for refusing."), field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="note")
    request.status, request.note = "refused", note
    request.processed_at, request.processed_by_id = utcnow(), actor.id
    record_audit(actor, "privacy.refuse", request, user_id=request.user_id, note=note)
    db.session.commit()
    return request
