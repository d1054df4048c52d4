"""Mail as a real SMTP server receives it: the headers, UTF-8, STARTTLS and implicit TLS with a
login, and what happens when the server refuses a mail, for now or for good."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa

from crunchtime.models import OutboxMessage
from crunchtime.models.base import utcnow
from crunchtime.services.accounts import sign_in
from crunchtime.services.mail import deliver_mail, mail_backlog, queue_mail
from crunchtime.services.mail.sending import retry_delay
from tests.helpers import fr, last_mail_to


def queued(db, *recipients, kind="invite", subject="Invitation", body="Bienvenue à l’UTBM"):
    messages = [queue_mail(address, subject, body, kind=kind) for address in recipients]
    db.session.commit()
    return messages


def stored(db, message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_a_mail_carries_date_message_id_and_auto_submitted(db, student, mail_server):
    sign_in.request_password_reset(student.email)
    [received] = mail_server.inbox.received
    mail, row = received.message, last_mail_to(student.email)
    assert received.recipients == [student.email] and mail["To"] == student.email
    assert mail["From"] == "Crunch Time <crunchtime@crunchtime.test>"
    assert mail["Subject"] == row.subject
    assert mail["Message-ID"].strip() == row.message_id
    assert row.message_id.startswith("<") and row.message_id.endswith("@crunchtime.test>")
    sent_date = parsedate_to_datetime(mail["Date"])
    assert sent_date.utcoffset() == timedelta(0)
    assert abs(sent_date - row.created_at) < timedelta(seconds=1)
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "/password/reset/" in mail.get_content()
    assert row.sent_at is not None and row.attempts == 1 and row.error == ""


def test_the_body_arrives_in_utf8_whole(db, mail_server):
    text = "Bonjour Zoé,\nvotre équipe « Hydrogène vert » — 5 € de café offert.\n"
    [message] = queued(db, "zoe@etu.utbm.fr", subject="Équipe formée ✓", body=text)
    deliver_mail([message])
    [received] = mail_server.inbox.received
    assert received.message["Subject"] == "Équipe formée ✓"
    assert received.message.get_content_charset() == "utf-8"
    assert received.message.get_content().replace("\r\n", "\n") == text


def test_an_announcement_written_by_an_organiser_is_not_marked_automatic(db, mail_server):
    messages = queued(db, "a@etu.utbm.fr", kind="announcement") + queued(db, "b@etu.utbm.fr")
    deliver_mail(messages)
    headers = {item.recipients[0]: item.message["Auto-Submitted"]
               for item in mail_server.inbox.received}
    assert headers == {"a@etu.utbm.fr": None, "b@etu.utbm.fr": "auto-generated"}


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_mail_goes_over_tls_with_a_login(db, start_mail_server, mode):
    server = start_mail_server(mode, login=True)
    deliver_mail(queued(db, "li.wu@etu.utbm.fr"))
    [received] = server.inbox.received
    assert received.tls and received.login == "crunchtime"
    assert received.recipients == ["li.wu@etu.utbm.fr"]


def test_a_server_certificate_that_is_not_trusted_keeps_the_mail_waiting(app, db,
                                                                         start_mail_server,
                                                                         monkeypatch):
    server = start_mail_server("starttls")
    monkeypatch.setitem(app.config, "MAIL_TLS_CA_FILE", None)  # the system's CAs only
    [message] = queued(db, "li.wu@etu.utbm.fr")
    deliver_mail([message])
    row = stored(db, message.id)
    assert server.inbox.received == []
    assert row.sent_at is None and row.failed_at is None and row.error.startswith("tls: ")


def test_wrong_credentials_say_so_and_lose_nothing(app, db, start_mail_server, monkeypatch):
    server = start_mail_server("starttls", login=True, MAIL_PASSWORD="not-the-password")
    messages = queued(db, "a@etu.utbm.fr", "b@etu.utbm.fr")
    deliver_mail(messages)
    rows = [stored(db, message.id) for message in messages]
    assert server.inbox.received == []
    assert all(row.sent_at is None and row.failed_at is None and row.attempts == 1
               and row.error.startswith("login: ") and "535" in row.error for row in rows)
    backlog = mail_backlog()
    assert backlog["pending"] == 2 and backlog["failed"] == 0
    assert backlog["last_error"].startswith(fr(
        "The SMTP server refused the login: check MAIL_USERNAME and MAIL_PASSWORD"))
    assert "not-the-password" not in backlog["last_error"]
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret-smtp-password")
    from crunchtime.services.mail.sending import flush_mail

    done, waiting = flush_mail()
    assert (done.sent, waiting) == (2, 0)
    assert sorted(server.inbox.by_recipient()) == ["a@etu.utbm.fr", "b@etu.utbm.fr"]
    assert mail_backlog() == {"pending": 0, "failed": 0, "last_error": None}


def test_an_address_refused_for_good_fails_at_once_and_the_others_go(db, mail_server):
    mail_server.inbox.refuse["nobody@etu.utbm.fr"] = "550 5.1.1 No such user"
    messages = queued(db, "a@etu.utbm.fr", "nobody@etu.utbm.fr", "b@etu.utbm.fr")
    deliver_mail(messages)
    refused = stored(db, messages[1].id)
    assert refused.failed_at is not None and refused.attempts == 1
    assert refused.next_attempt_at is None and "550 5.1.1 No such user" in refused.error
    assert sorted(mail_server.inbox.by_recipient()) == ["a@etu.utbm.fr", "b@etu.utbm.fr"]
    assert mail_backlog()["failed"] == 1


def test_a_mail_refused_for_now_is_tried_again_later_then_given_up(app, db, mail_server,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    mail_server.inbox.refuse["busy@etu.utbm.fr"] = "451 4.7.1 Greylisted, try later"
    [message] = queued(db, "busy@etu.utbm.fr")
    before = utcnow()
    deliver_mail([message])
    row = stored(db, message.id)
    assert row.failed_at is None and row.attempts == 1 and row.error.startswith("temporary: ")
    assert before + timedelta(seconds=29) < row.next_attempt_at < utcnow() + timedelta(seconds=31)
    deliver_mail([message])  # not due yet: not tried
    assert stored(db, message.id).attempts == 1
    from crunchtime.services.mail.sending import send_round

    for _attempt in range(2):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        send_round()
    row = stored(db, message.id)
    assert row.attempts == 3 and row.failed_at is not None and row.sent_at is None
    assert mail_server.inbox.received == []


def test_the_backoff_doubles_up_to_its_ceiling(app):
    config = {"MAIL_RETRY_SECONDS": 30, "MAIL_RETRY_MAX_SECONDS": 3600}
    assert [retry_delay(n, config).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == \
        [30, 60, 120, 1920, 3600, 3600]


def test_a_failed_attempt_is_counted_in_the_metrics(db, start_mail_server):
    from crunchtime.metrics import MAIL_FAILURES

    start_mail_server("starttls", login=True, MAIL_PASSWORD="wrong")
    before = MAIL_FAILURES._value.get()
    deliver_mail(queued(db, "a@etu.utbm.fr", "b@etu.utbm.fr"))
    assert MAIL_FAILURES._value.get() == before + 2


def test_a_server_that_is_down_keeps_every_mail_waiting(db, mail_server):
    mail_server.stop()
    messages = queued(db, "a@etu.utbm.fr", "b@etu.utbm.fr")
    deliver_mail(messages)
    rows = [stored(db, message.id) for message in messages]
    assert all(row.error.startswith("unavailable: ") and row.failed_at is None
               and row.next_attempt_at is not None for row in rows)
    assert mail_backlog()["pending"] == 2
