"""The outbox as a queue: a mail is written in the caller's unit of work and sent after its
commit, by this process's sender (sender.py), by any other process's, or by
`crunchtime send-mail`; organisers see the backlog and send failed mails again."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app

from crunchtime.errors import Conflict, NotFound
from crunchtime.extensions import db, socketio
from crunchtime.models import OutboxMessage, User
from crunchtime.services.audit import record_audit
from crunchtime.services.mail import words
from crunchtime.services.mail.sender import wake_sender
from crunchtime.services.mail.sending import WAITING, send_due_mail

log = logging.getLogger(__name__)

# Without a sender in this process (tests, commands), a few messages are sent before the
# caller answers; a larger batch (an import's invitations) in a background task.
INLINE_DELIVERY_LIMIT = 10


def queue_mail(recipient: str, subject: str, body: str, kind: str = "") -> OutboxMessage:
    """Add a message to the caller's unit of work; `deliver_mail` sends it after the commit."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    return message


def deliver_mail(messages: list[OutboxMessage]):
    """After the commit: have committed messages sent, without making the caller wait for
    SMTP when a sender runs here. Returns the background task of a large batch sent without
    one (tests join it), else None. Whatever is not sent stays queued."""
    config = current_app.config
    if not config["MAIL_SERVER"] or not messages:
        return None
    app = current_app._get_current_object()
    if wake_sender(app):
        return None
    ids = [message.id for message in messages]
    if len(ids) <= INLINE_DELIVERY_LIMIT:
        send_due_mail(ids)
        return None
    if config.get("MAIL_SENDER") is False:  # a command: its threads end with it
        log.info("%d mails queued for the server's sender or `crunchtime send-mail`", len(ids))
        return None
    return socketio.start_background_task(_deliver_in_background, app, ids)


def _deliver_in_background(app, ids: list[int]) -> None:
    with app.app_context():
        try:
            send_due_mail(ids)
        finally:
            db.session.remove()


def mail_backlog() -> dict:
    """The queue's state for /ready and the metrics: waiting and failed messages, and the
    error of the last failed attempt unless a mail was sent since."""
    waiting, failed = db.session.execute(sa.select(
        sa.func.count(OutboxMessage.id).filter(WAITING),
        sa.func.count(OutboxMessage.id).filter(OutboxMessage.failed_at.is_not(None)),
    )).one()
    last_failure = db.session.execute(
        sa.select(OutboxMessage.error, OutboxMessage.last_attempt_at)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.error != "",
               OutboxMessage.last_attempt_at.is_not(None))
        .order_by(OutboxMessage.last_attempt_at.desc()).limit(1)).first()
    last_sent = db.session.scalar(sa.select(sa.func.max(OutboxMessage.sent_at)))
    current = last_failure is not None and (
        last_sent is None or last_failure.last_attempt_at >= last_sent)
    return {"pending": waiting, "failed": failed,
            "last_error": words.mail_error(last_failure.error) if current else None}


def _queue_again(ids: list[int]) -> None:
    db.session.execute(sa.update(OutboxMessage.__table__)
                       .where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None))
                       .values(failed_at=None, next_attempt_at=None, attempts=0))


def resend_message(actor: User, message_id: int) -> OutboxMessage:
    """Queue a message not sent yet for an attempt now, whatever its attempts so far."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(str(words.NO_SUCH_MESSAGE))
    if message.sent_at is not None:
        raise Conflict(str(words.ALREADY_SENT))
    _queue_again([message.id])
    record_audit(actor, "mail.resend", message, kind=message.kind)
    db.session.commit()
    deliver_mail([message])
    return message


def resend_failed(actor: User) -> int:
    """Queue every failed message again; how many."""
    ids = list(db.session.scalars(sa.select(OutboxMessage.id)
                                  .where(OutboxMessage.failed_at.is_not(None),
                                         OutboxMessage.sent_at.is_(None))))
    if not ids:
        return 0
    _queue_again(ids)
    record_audit(actor, "mail.resend_failed", messages=len(ids))
    db.session.commit()
    deliver_mail(list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids)))))
    return len(ids)
