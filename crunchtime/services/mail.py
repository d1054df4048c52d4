"""Outgoing mail: always written to the outbox; sent by SMTP after the commit when configured."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app

from crunchtime.extensions import db
from crunchtime.models import OutboxMessage
from crunchtime.models.base import utcnow

log = logging.getLogger(__name__)


def queue_mail(recipient: str, subject: str, body: str, kind: str = "") -> OutboxMessage:
    """Add a message to the caller's unit of work; `deliver_mail` sends it after the commit."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    return message


def deliver_mail(messages: list[OutboxMessage]) -> None:
    """Send committed messages by SMTP if a server is configured; otherwise they stay queued."""
    config = current_app.config
    if not config["MAIL_SERVER"] or not messages:
        return
    for message in messages:
        try:
            _send_smtp(config, message)
            message.sent_at = utcnow()
            message.error = ""
        except (OSError, smtplib.SMTPException) as error:
            log.warning("mail %s to %s not sent: %s", message.id, message.recipient, error)
            message.error = str(error)[:500]
    db.session.commit()


def _send_smtp(config, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails, built from BASE_URL (never from the request's Host)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, url_scheme=base.scheme, script_name=base.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)
