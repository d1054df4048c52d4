"""Outgoing mail: always written to the outbox, which is the queue the mail sender works
through (queue.py, sending.py, sender.py) over SMTP (transport.py); organisers read it with
personal links hidden (links.py, outbox.py)."""

from crunchtime.services.mail.links import external_url, hide_personal_links
from crunchtime.services.mail.queue import (
    INLINE_DELIVERY_LIMIT,
    deliver_mail,
    mail_backlog,
    queue_mail,
    resend_failed,
    resend_message,
)

__all__ = [
    "INLINE_DELIVERY_LIMIT",
    "deliver_mail",
    "external_url",
    "hide_personal_links",
    "mail_backlog",
    "queue_mail",
    "resend_failed",
    "resend_message",
]
