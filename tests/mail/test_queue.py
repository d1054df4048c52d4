"""The outbox as a queue: an SMTP outage in the middle of a 1,700-invitation import loses no
mail and repeats none; two processes sending at once send each mail once; a claim held by
another sender is left alone until it lapses."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import Edition, OutboxMessage
from crunchtime.models.base import utcnow
from crunchtime.services.exchange.imports import import_students
from crunchtime.services.mail import mail_backlog, queue_mail
from crunchtime.services.mail.sender import wake_sender
from crunchtime.services.mail.sending import send_round
from tests.exchange.samples import student, students_csv
from tests.mail.conftest import wait_until

# A server process of the tests: retries within a second instead of minutes.
FAST = {"MAIL_RETRY_SECONDS": 0.1, "MAIL_RETRY_MAX_SECONDS": 0.5, "MAIL_MAX_ATTEMPTS": 1000,
        "MAIL_SENDER_INTERVAL": 0.1, "MAIL_BATCH_SIZE": 100}


def rows(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def import_file(app, edition_id: int, count: int, prefix: str) -> int:
    """Import `count` new students in `app` (a server process), as an organiser's upload."""
    data = students_csv(*(student(email=f"{prefix}{n}@etu.utbm.fr", last_name=f"Nom{n}")
                          for n in range(count)))
    with app.app_context():
        try:
            report = import_students(_db.session.get(Edition, edition_id), data, None,
                                     filename=f"{prefix}.csv")
        finally:
            _db.session.remove()
    return report.invitations


def backlog_in(app) -> dict:
    with app.app_context():
        try:
            return mail_backlog()
        finally:
            _db.session.remove()


@pytest.mark.timeout(600)
def test_an_smtp_outage_during_a_1700_invitation_import_loses_and_repeats_nothing(
        db, edition, mail_server, sender_apps):
    server_process = sender_apps(mail_server, **FAST)
    mail_server.inbox.going_down_after = 300  # then 421 to every mail, then gone

    assert import_file(server_process, edition.id, 1700, "promo") == 1700
    assert wait_until(lambda: mail_server.inbox.going_down, timeout=120)
    mail_server.stop()
    assert wait_until(lambda: (backlog_in(server_process)["last_error"] or "").startswith(
        str(_backlog_label("unavailable"))), timeout=60)
    # The import goes on while the server is down: a late file of 100 students.
    assert import_file(server_process, edition.id, 100, "retard") == 100
    during = backlog_in(server_process)
    assert during["failed"] == 0 and during["pending"] > 1000
    assert 300 <= mail_server.inbox.count() < 1800

    mail_server.inbox.going_down_after, mail_server.inbox.going_down = None, False
    mail_server.start()  # back, on the same port
    assert wait_until(lambda: backlog_in(server_process)["pending"] == 0, timeout=300)

    by_recipient, message_ids = mail_server.inbox.by_recipient(), mail_server.inbox.message_ids()
    expected = {f"promo{n}@etu.utbm.fr" for n in range(1700)} | \
        {f"retard{n}@etu.utbm.fr" for n in range(100)}
    assert set(by_recipient) == expected
    assert max(by_recipient.values()) == 1, "a mail arrived twice"
    assert len(message_ids) == 1800 and max(message_ids.values()) == 1
    outbox = rows(db)
    assert all(row.sent_at is not None and row.failed_at is None for row in outbox)
    assert {row.message_id for row in outbox} == {m.strip() for m in message_ids}
    assert any(row.attempts > 1 for row in outbox)  # some did wait for the server
    assert backlog_in(server_process) == {"pending": 0, "failed": 0, "last_error": None}


def _backlog_label(code: str):
    from flask_babel import force_locale

    from crunchtime.services.mail.words import ERROR_LABELS

    with force_locale("fr"):
        return str(ERROR_LABELS[code])


@pytest.mark.timeout(300)
def test_two_processes_sending_at_once_send_each_mail_once(db, mail_server, sender_apps):
    for n in range(600):
        queue_mail(f"etudiant{n}@etu.utbm.fr", "Invitation", "Bienvenue")
    db.session.commit()
    mail_server.inbox.delay = 0.002  # a server that takes its time: the senders overlap
    first = sender_apps(mail_server, **{**FAST, "MAIL_BATCH_SIZE": 20,
                                        "MAIL_FROM": "Crunch Time <first@crunchtime.test>"})
    second = sender_apps(mail_server, **{**FAST, "MAIL_BATCH_SIZE": 20,
                                         "MAIL_FROM": "Crunch Time <second@crunchtime.test>"})
    wake_sender(first)
    wake_sender(second)
    assert wait_until(lambda: backlog_in(first)["pending"] == 0, timeout=240)

    by_recipient = mail_server.inbox.by_recipient()
    assert len(by_recipient) == 600 and max(by_recipient.values()) == 1
    senders = {item.message["From"] for item in mail_server.inbox.received}
    assert senders == {"Crunch Time <first@crunchtime.test>",
                       "Crunch Time <second@crunchtime.test>"}
    assert all(row.attempts == 1 for row in rows(db))


def test_a_message_claimed_by_another_sender_waits_until_the_claim_lapses(db, mail_server):
    held, _free = [queue_mail(f"{name}@etu.utbm.fr", "Sujet", "Corps")
                    for name in ("held", "free")]
    db.session.commit()
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == held.id)
                       .values(claimed_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert send_round().sent == 1
    assert list(mail_server.inbox.by_recipient()) == ["free@etu.utbm.fr"]
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == held.id)
                       .values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()  # that sender died: its claim lapsed
    assert send_round().sent == 1
    assert sorted(mail_server.inbox.by_recipient()) == ["free@etu.utbm.fr", "held@etu.utbm.fr"]


@pytest.mark.postgresql  # SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time
def test_postgresql_skips_a_row_another_transaction_is_claiming(app, db, mail_server):
    locked, _other = [queue_mail(f"{name}@etu.utbm.fr", "Sujet", "Corps")
                       for name in ("locked", "other")]
    db.session.commit()
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        with app.app_context(), _db.engine.connect() as connection:
            connection.execute(sa.select(OutboxMessage.id).where(OutboxMessage.id == locked.id)
                               .with_for_update())
            holding.set()
            release.wait(30)
            connection.rollback()

    thread = threading.Thread(target=hold_the_row)
    thread.start()
    try:
        assert holding.wait(10)
        assert send_round().sent == 1  # does not wait for the lock
        assert list(mail_server.inbox.by_recipient()) == ["other@etu.utbm.fr"]
    finally:
        release.set()
        thread.join(30)
    assert send_round().sent == 1
    assert sorted(mail_server.inbox.by_recipient()) == ["locked@etu.utbm.fr", "other@etu.utbm.fr"]


def test_with_a_sender_in_the_process_the_caller_does_not_wait_for_smtp(db, mail_server,
                                                                        sender_apps):
    from crunchtime.services.mail import deliver_mail

    server_process = sender_apps(mail_server, **FAST)
    mail_server.inbox.delay = 1.0  # a slow server
    with server_process.app_context():
        message = queue_mail("anne@etu.utbm.fr", "Sujet", "Corps")
        _db.session.commit()
        assert deliver_mail([message]) is None
        assert mail_server.inbox.count() == 0  # the sender sends it, not the caller
        _db.session.remove()
    assert wait_until(lambda: mail_server.inbox.count() == 1, timeout=30)


def test_a_sender_runs_only_with_a_server_and_outside_tests_and_commands(make_app):
    from crunchtime.console import create_command_app
    from crunchtime.services.mail.sender import EXTENSION_KEY, stop_sender

    assert EXTENSION_KEY not in make_app(MAIL_SERVER="127.0.0.1").extensions  # tests
    assert EXTENSION_KEY not in make_app(MAIL_SERVER=None, MAIL_SENDER=True).extensions
    running = make_app(MAIL_SERVER="127.0.0.1", MAIL_SENDER=True)
    assert EXTENSION_KEY in running.extensions
    stop_sender(running, timeout=10)
    assert create_command_app().config["MAIL_SENDER"] is False
