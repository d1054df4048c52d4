"""Outgoing mail: kept in the outbox, and sent by SMTP when a server is configured."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.services.accounts import sign_in
from crunchtime.services.mail import deliver_mail, queue_mail
from tests.helpers import FakeSMTP, last_mail_to


def test_without_smtp_messages_wait_in_the_outbox(db, student):
    sign_in.request_password_reset(student.email)
    message = last_mail_to(student.email)
    assert message.sent_at is None and message.error == ""
    assert "/password/reset/" in message.body


def test_with_smtp_messages_are_sent_and_marked(db, student, smtp):
    sign_in.request_password_reset(student.email)
    message = last_mail_to(student.email)
    assert message.sent_at is not None
    assert smtp.sent[0]["To"] == student.email
    assert "/password/reset/" in smtp.sent[0].get_content()


def test_a_failing_smtp_server_loses_nothing(db, student, smtp):
    smtp.fail = True
    sign_in.request_password_reset(student.email)
    message = last_mail_to(student.email)
    assert message.sent_at is None and "server busy" in message.error


def test_mail_is_written_in_the_recipients_language(db, student):
    student.locale = "en"
    db.session.commit()
    sign_in.request_password_reset(student.email)
    message = last_mail_to(student.email)
    assert message.subject == "Reset your Crunch Time password"
    student.locale = None
    db.session.commit()
    sign_in.request_password_reset(student.email)
    assert last_mail_to(student.email).subject != "Reset your Crunch Time password"


def test_deliver_mail_does_nothing_for_no_messages(app, db, smtp):
    deliver_mail([])
    queue_mail("x@example.org", "s", "b")
    assert smtp.sent == []


def test_a_large_batch_is_sent_in_the_background_over_one_connection(app, db, smtp):
    from crunchtime.models import OutboxMessage

    messages = [queue_mail(f"etudiant{n}@etu.utbm.fr", "Invitation", "Bienvenue")
                for n in range(25)]
    db.session.commit()
    task = deliver_mail(messages)
    assert task is not None
    task.join(timeout=30)
    db.session.expire_all()
    sent = db.session.scalars(sa.select(OutboxMessage.sent_at)).all()
    assert len(smtp.sent) == 25 and all(sent)
    assert FakeSMTP.connections == 1
