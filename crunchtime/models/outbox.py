"""Every outgoing e-mail, kept whether or not an SMTP server sent it: the outbox is also the
queue the mail sender works through (services/mail/queue.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crunchtime.models.base import Base, CreatedAtMixin, UTCDateTime

# The messages still to send: what the sender's claim and the backlog count read.
_WAITING = sa.text("sent_at IS NULL AND failed_at IS NULL")


class OutboxMessage(CreatedAtMixin, Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.Index("ix_outbox_message_waiting", "id",
                 sqlite_where=_WAITING, postgresql_where=_WAITING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(32), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last failed attempt's error (kept after a later success is cleared).
    error: Mapped[str] = mapped_column(sa.Text, default="")
    # Given at the first attempt and kept, so a retried mail is recognisably the same one.
    message_id: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Not tried again before this time (exponential backoff); empty: as soon as possible.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A sender holds the message until then; a sender that died lets go of it at that time.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Given up (a permanent refusal, or too many attempts): only an organiser's resend retries.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
