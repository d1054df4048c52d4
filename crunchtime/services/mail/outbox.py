"""The outbox as organisers read it: each message's state (sent, waiting for its next attempt,
failed and why), filtered by state, with its personal links hidden (links.py), never the row
itself, whose body the SMTP delivery still needs whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import OutboxMessage
from crunchtime.services.mail.links import hide_personal_links
from crunchtime.services.mail.sending import WAITING
from crunchtime.services.mail.words import mail_error

PER_PAGE = 50
FILTERS = {
    "all": sa.true(),
    "waiting": WAITING,
    "failed": OutboxMessage.failed_at.is_not(None),
    "sent": OutboxMessage.sent_at.is_not(None),
}


@dataclass(frozen=True)
class ShownMessage:
    id: int
    recipient: str
    subject: str
    body: str
    kind: str
    created_at: datetime
    sent_at: datetime | None
    error: str  # in words, personal links hidden
    attempts: int
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    failed_at: datetime | None

    @property
    def state(self) -> str:
        """sent | failed | waiting (an attempt failed, another comes) | queued."""
        if self.sent_at is not None:
            return "sent"
        if self.failed_at is not None:
            return "failed"
        return "waiting" if self.attempts else "queued"


def shown_message(message: OutboxMessage) -> ShownMessage:
    return ShownMessage(
        message.id, message.recipient, hide_personal_links(message.subject),
        hide_personal_links(message.body), message.kind, message.created_at, message.sent_at,
        hide_personal_links(mail_error(message.error)), message.attempts,
        message.last_attempt_at, message.next_attempt_at, message.failed_at)


def outbox_page(page: int, status: str = "all"):
    """A page of the outbox, newest first, as `ShownMessage`s, of one state if asked."""
    pagination = db.paginate(
        sa.select(OutboxMessage).where(FILTERS.get(status, sa.true()))
        .order_by(OutboxMessage.id.desc()),
        page=page, per_page=PER_PAGE, error_out=False,
    )
    pagination.items = [shown_message(message) for message in pagination.items]
    return pagination


def outbox_message(message_id: int) -> ShownMessage | None:
    message = db.session.get(OutboxMessage, message_id)
    return shown_message(message) if message is not None else None


def state_counts() -> dict[str, int]:
    """How many messages each filter shows, in one query."""
    row = db.session.execute(sa.select(*(
        sa.func.count(OutboxMessage.id).filter(condition).label(name)
        for name, condition in FILTERS.items()))).one()
    return dict(row._mapping)
