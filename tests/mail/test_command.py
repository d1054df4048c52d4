"""`crunchtime send-mail`: every waiting mail sent now, backoff or not; a non-zero exit and the
reason when some could not be sent."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crunchtime.models import OutboxMessage
from crunchtime.models.base import utcnow
from crunchtime.services.mail import queue_mail


def queue_three(db) -> None:
    for name in ("anne", "li", "zoe"):
        queue_mail(f"{name}@etu.utbm.fr", "Invitation", "Bienvenue")
    db.session.commit()
    waiting = db.session.scalar(sa.select(OutboxMessage).where(
        OutboxMessage.recipient == "zoe@etu.utbm.fr"))
    waiting.attempts, waiting.error = 4, "unavailable: down"
    waiting.next_attempt_at = utcnow() + timedelta(hours=1)
    db.session.commit()


def test_send_mail_sends_every_waiting_mail_now(app, db, mail_server):
    queue_three(db)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent: 3." in result.output and "Waiting in the outbox: 0." in result.output
    assert sorted(mail_server.inbox.by_recipient()) == ["anne@etu.utbm.fr", "li@etu.utbm.fr",
                                                        "zoe@etu.utbm.fr"]
    again = app.test_cli_runner().invoke(args=["send-mail"])
    assert again.exit_code == 0 and "Sent: 0." in again.output
    assert mail_server.inbox.count() == 3


def test_send_mail_fails_with_the_reason_when_the_server_is_down(app, db, mail_server):
    queue_three(db)
    mail_server.stop()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "3 mails could not be sent" in result.output
    assert "Waiting in the outbox: 3." in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                             .where(OutboxMessage.sent_at.is_(None),
                                    OutboxMessage.failed_at.is_(None))) == 3


def test_send_mail_without_a_server_says_what_to_set(app, db):
    queue_three(db)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1 and "MAIL_SERVER is not set" in result.output
