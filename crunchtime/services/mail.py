"""Outgoing mail: always written to the outbox; sent by SMTP after the commit when configured."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from crunchtime.extensions import db, socketio
from crunchtime.models import OutboxMessage
from crunchtime.models.base import utcnow

log = logging.getLogger(__name__)


def queue_mail(recipient: str, subject: str, body: str, kind: str = "") -> OutboxMessage:
    """Add a message to the caller's unit of work; `deliver_mail` sends it after the commit."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    return message


# Above this many messages (an import's invitations), sending happens in the background so
# that the organiser's page answers at once; the outbox shows progress.
INLINE_DELIVERY_LIMIT = 10


def deliver_mail(messages: list[OutboxMessage]):
    """Send committed messages by SMTP if a server is configured; otherwise they stay queued.

    Returns the background task when the batch is large (tests join it), else None.
    """
    if not current_app.config["MAIL_SERVER"] or not messages:
        return None
    if len(messages) <= INLINE_DELIVERY_LIMIT:
        _send_and_record(messages)
        return None
    app = current_app._get_current_object()
    ids = [message.id for message in messages]
    return socketio.start_background_task(_deliver_in_background, app, ids)


def _deliver_in_background(app, ids: list[int]) -> None:
    with app.app_context():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            _send_and_record(list(db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.id.in_(chunk)))))
        db.session.remove()


def _send_and_record(messages: list[OutboxMessage]) -> None:
    """One SMTP connection for the batch; each message records its own success or error."""
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for message in messages:
                _send_one(smtp, config, message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s unavailable: %s", config["MAIL_SERVER"], error)
        for message in messages:
            if message.sent_at is None:
                message.error = str(error)[:500]
    db.session.commit()


def _send_one(smtp, config, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        message.error = str(error)[:500]
    else:
        message.sent_at = utcnow()
        message.error = ""


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails, built from BASE_URL (never from the request's Host)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, url_scheme=base.scheme, script_name=base.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)
