"""Sending the outbox: a round claims a batch of due messages, sends them over one SMTP
connection and records each outcome at once (sent, waiting for its next attempt, or failed).

A claim is one atomic UPDATE (on PostgreSQL over rows locked with SKIP LOCKED; SQLite has one
writer at a time), so two processes sending at once never take the same message; a sender
that dies lets go of its claim after CLAIM_SECONDS. Each outcome is committed on its own: a
mail the server accepted is never sent again because a later one failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from crunchtime.extensions import db
from crunchtime.metrics import MAIL_FAILURES
from crunchtime.models import OutboxMessage
from crunchtime.models.base import utcnow
from crunchtime.services.mail import transport

log = logging.getLogger(__name__)
CLAIM_SECONDS = 600
TABLE = OutboxMessage.__table__
WAITING = sa.and_(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))


@dataclass
class Round:
    """What one or more rounds did."""

    sent: int = 0
    waiting: int = 0  # failed attempts that will be tried again
    failed: int = 0  # given up
    server_error: bool = False  # the server (or the settings) failed, not a message

    @property
    def tried(self) -> int:
        return self.sent + self.waiting + self.failed

    def add(self, other: Round) -> None:
        self.sent += other.sent
        self.waiting += other.waiting
        self.failed += other.failed
        self.server_error = self.server_error or other.server_error


def retry_delay(attempts: int, config) -> timedelta:
    """Exponential backoff: MAIL_RETRY_SECONDS after the first failure, doubling, capped."""
    seconds = config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


def _claim(limit: int, ids: Iterable[int] | None, now: datetime,
           ignore_backoff: bool) -> list[int]:
    """Take up to `limit` due messages for this sender; give them a Message-ID if they have
    none yet; committed before any mail is sent."""
    due = sa.and_(WAITING, sa.or_(OutboxMessage.claimed_until.is_(None),
                                  OutboxMessage.claimed_until < now))
    if not ignore_backoff:
        due = sa.and_(due, sa.or_(OutboxMessage.next_attempt_at.is_(None),
                                  OutboxMessage.next_attempt_at <= now))
    if ids is not None:
        due = sa.and_(due, OutboxMessage.id.in_(list(ids)))
    candidates = sa.select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    db.session.commit()  # the claim is the first statement of its transaction (SQLite's lock)
    if db.session.scalar(sa.select(OutboxMessage.id).where(due).limit(1)) is None:
        return []  # nothing due: no write, so an idle sender never takes SQLite's write lock
    claimed = db.session.execute(
        sa.update(TABLE).where(TABLE.c.id.in_(candidates.scalar_subquery()), due)
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .returning(TABLE.c.id, TABLE.c.message_id)).all()
    unnamed = [{"row_id": row.id, "message_id": _new_message_id()}
               for row in claimed if not row.message_id]
    if unnamed:
        db.session.execute(sa.update(TABLE).where(TABLE.c.id == sa.bindparam("row_id"))
                           .values(message_id=sa.bindparam("message_id")), unnamed)
    db.session.commit()
    return sorted(row.id for row in claimed)


def _new_message_id() -> str:
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return make_msgid(domain=domain)


def _record(message_id: int, **values) -> None:
    db.session.execute(sa.update(TABLE).where(TABLE.c.id == message_id)
                       .values(claimed_until=None, **values))
    db.session.commit()


def _record_sent(message: OutboxMessage, now: datetime) -> None:
    _record(message.id, sent_at=now, attempts=message.attempts + 1, last_attempt_at=now,
            next_attempt_at=None, error="")


def _record_failure(message: OutboxMessage, failure: transport.Failure, now: datetime,
                    config) -> bool:
    """Count the attempt; True when the message is given up (failed for good)."""
    MAIL_FAILURES.inc()
    attempts = message.attempts + 1
    give_up = failure.permanent or attempts >= config["MAIL_MAX_ATTEMPTS"]
    _record(message.id, attempts=attempts, last_attempt_at=now, error=failure.text,
            next_attempt_at=None if give_up else now + retry_delay(attempts, config),
            failed_at=now if give_up else None)
    return give_up


def _server_is_back(now: datetime) -> None:
    """The server answers: mails that waited because it did not need not wait any longer."""
    db.session.execute(sa.update(TABLE).where(
        WAITING, OutboxMessage.next_attempt_at > now,
        sa.or_(*(OutboxMessage.error.startswith(f"{code}: ")
                 for code in transport.SERVER_FAILURES))).values(next_attempt_at=None))
    db.session.commit()


def send_round(*, ids: Iterable[int] | None = None, limit: int | None = None,
               ignore_backoff: bool = False) -> Round:
    """Claim a batch of due messages (of `ids` if given) and send it over one connection."""
    config = current_app.config
    now = utcnow()
    claimed = _claim(limit or config["MAIL_BATCH_SIZE"], ids, now, ignore_backoff)
    result = Round()
    if not claimed:
        return result
    messages = list(db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
        .order_by(OutboxMessage.id)))
    try:
        smtp = transport.open_session(config)
    except transport.SendFailed as failed:
        _fail_all(messages, failed.failure, result, config)
        return result
    try:
        _server_is_back(now)
        _send_each(smtp, messages, result, config)
    finally:
        transport.close_session(smtp)
    return result


def _send_each(smtp, messages: list[OutboxMessage], result: Round, config) -> None:
    for index, message in enumerate(messages):
        try:
            transport.send(smtp, config, message)
        except transport.SendFailed as failed:
            if failed.connection:  # this one and the rest of the batch wait for the server
                _fail_all(messages[index:], failed.failure, result, config)
                return
            _count(result, _record_failure(message, failed.failure, utcnow(), config))
        else:
            _record_sent(message, utcnow())
            result.sent += 1


def _fail_all(messages: list[OutboxMessage], failure: transport.Failure, result: Round,
              config) -> None:
    log.warning("SMTP server %s:%s failed (%s): %d mails wait for their next attempt",
                config["MAIL_SERVER"], config["MAIL_PORT"], failure.code, len(messages))
    result.server_error = True
    now = utcnow()
    for message in messages:
        _count(result, _record_failure(message, failure, now, config))


def _count(result: Round, given_up: bool) -> None:
    if given_up:
        result.failed += 1
    else:
        result.waiting += 1


def send_due_mail(ids: Iterable[int] | None = None,
                  should_stop: Callable[[], bool] = lambda: False) -> Round:
    """Rounds until nothing is due (or the server fails): the sender's and a batch's work."""
    ids = list(ids) if ids is not None else None
    total = Round()
    while not should_stop():
        result = send_round(ids=ids)
        total.add(result)
        if not result.tried or result.server_error:
            return total
    return total


def flush_mail(progress: Callable[[int, int], None] | None = None) -> tuple[Round, int]:
    """Try every waiting message now, backoff or not, each once (`crunchtime send-mail`);
    stops at a server failure. Returns what was done and how many still wait."""
    ids = list(db.session.scalars(sa.select(OutboxMessage.id).where(WAITING)
                                  .order_by(OutboxMessage.id)))
    total = Round()
    batch = current_app.config["MAIL_BATCH_SIZE"]
    for start in range(0, len(ids), batch):
        result = send_round(ids=ids[start:start + batch], limit=batch, ignore_backoff=True)
        total.add(result)
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
        if result.server_error:
            break
    waiting = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(WAITING))
    return total, waiting
