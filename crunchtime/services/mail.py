"""Outgoing mail: always written to the outbox; sent by SMTP after the commit when configured.

A personal link (password reset, invitation, e-mail verification: any address of the app that
carries a signed token) works for whoever holds it, so only the mail sent by SMTP carries it:
wherever the app shows or returns a message (the organisers' outbox), `hide_personal_links`
cuts it to `…/password/reset/•••`.
"""

from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

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


HIDDEN = "•••"
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
# The shape of an itsdangerous signed token (payload.timestamp.signature, the payload maybe
# compressed behind a leading dot): hidden wherever it appears, in a link or not.
_SIGNED_TOKEN = re.compile(r"\.?[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,8}\.[A-Za-z0-9_\-]{20,}")


def _is_secret(name: str) -> bool:
    return "token" in name.lower()


def _secret_values(url: str) -> list[str]:
    """The token values of a link to the app: its route's `<token>`-like arguments and its
    `?token=` parameters."""
    parts = urlsplit(url)
    base_path = urlsplit(current_app.config["BASE_URL"]).path.rstrip("/")
    path = parts.path[len(base_path):] if base_path and parts.path.startswith(base_path) \
        else parts.path
    try:
        _endpoint, values = current_app.url_map.bind("localhost").match(path or "/", "GET")
    except HTTPException:
        values = {}
    secrets = [str(value) for name, value in values.items() if _is_secret(name)]
    return secrets + [value for name, value in parse_qsl(parts.query) if _is_secret(name)]


def _hidden_link(match: re.Match) -> str:
    url = match.group(0)
    secrets = [value for value in _secret_values(url) if value]
    if not secrets and not _SIGNED_TOKEN.search(url):
        return url
    parts = urlsplit(url)
    shown = parts.path + (f"?{parts.query}" if parts.query else "")
    for secret in secrets:
        shown = shown.replace(secret, HIDDEN)
    shown = _SIGNED_TOKEN.sub(HIDDEN, shown)
    note = _("personal link hidden")
    return f"…{shown} ({note})"


def hide_personal_links(text: str) -> str:
    """The text of a message as the app may show it: every personal link cut to
    `…/password/reset/•••`, with a note; other links (a team's space, the announcements)
    stay whole. The outbox row keeps the whole text for the SMTP delivery."""
    return _SIGNED_TOKEN.sub(HIDDEN, _URL.sub(_hidden_link, text or ""))
