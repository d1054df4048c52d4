"""RGPD requests: a student asks for deletion (queued until results while their team is being
judged); organisers process the requests, which anonymises the student. When the results are
published (or the edition leaves judging), the queued requests go to the organisers by
themselves and the student is told."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    DeletionRequest,
    Edition,
    JudgingRound,
    Membership,
    OutboxMessage,
    StudentProfile,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.accounts.sessions import end_live_connections
from crunchtime.services.audit import record_audit
from crunchtime.services.mail import deliver_mail, external_url, queue_mail
from crunchtime.services.privacy.anonymise import anonymise_student

OPEN_STATUSES = ("pending", "deferred")
# While juries score, a member's deletion would change the team under their eyes; in the
# "results" phase the finalists' ranking is still being settled until the results are
# published, so a team counts as judged there too until then (see `being_judged`).
JUDGED_PHASES = ("judging", "results")
NOTE_MAX = 1000


def open_request(user: User) -> DeletionRequest | None:
    return db.session.scalar(sa.select(DeletionRequest).where(
        DeletionRequest.user_id == user.id, DeletionRequest.status.in_(OPEN_STATUSES))
        .order_by(DeletionRequest.id.desc()).limit(1))


def being_judged():
    """SQL condition on `Edition`: judging, or in "results" before the results are published."""
    published = sa.select(JudgingRound.id).where(
        JudgingRound.edition_id == Edition.id,
        JudgingRound.results_published_at.is_not(None)).exists()
    return sa.or_(Edition.phase == "judging",
                  sa.and_(Edition.phase.in_(JUDGED_PHASES), ~published))


def editions_judging(user: User) -> list[Edition]:
    """The editions where the student's team is being judged right now."""
    return list(db.session.scalars(
        sa.select(Edition).join(StudentProfile, StudentProfile.edition_id == Edition.id)
        .join(Membership, Membership.student_id == StudentProfile.id)
        .where(StudentProfile.user_id == user.id, being_judged())))


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
    if user is not None:
        end_live_connections([user.id])  # an erased account keeps no live page open
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


def _released_mail(user: User):
    with force_locale(user.locale or "fr"):
        subject = _("Crunch Time: your deletion request")
        body = render_template("mail/deletion_released.txt", user=user,
                               link=external_url("privacy.mine"))
    return queue_mail(user.email, subject, body, kind="privacy")


def release_deferred_requests() -> list[OutboxMessage]:
    """In the caller's unit of work: deferred requests whose student no longer has a team
    being judged become "pending" for the organisers, and the student's mail is queued. Run
    by every phase change and by the publication of the results; harmless when nothing
    waits. Returns the mails, for `announce_released` once the caller has committed."""
    rows = db.session.execute(
        sa.select(DeletionRequest, User).join(User, User.id == DeletionRequest.user_id)
        .where(DeletionRequest.status == "deferred").order_by(DeletionRequest.id)).all()
    messages = []
    for request, user in rows:
        if editions_judging(user):
            continue
        request.status = "pending"
        record_audit(None, "privacy.release", request, user_id=user.id)
        messages.append(_released_mail(user))
    return messages


def announce_released(messages: list[OutboxMessage]) -> None:
    """After the commit that released requests: send the mails, refresh the cockpit."""
    if not messages:
        return
    deliver_mail(messages)
    publish("cockpit", {"changed": ["privacy"]}, room=ORGANIZERS)
