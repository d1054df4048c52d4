"""What organisers see of the queue: each message's state, the failed ones alone, why sending
fails, and sending a failed mail again (one, or all), by a form with its CSRF token, audited."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crunchtime.models import AuditEvent, OutboxMessage
from crunchtime.models.base import utcnow
from crunchtime.services.mail import deliver_mail, queue_mail
from tests.helpers import csrf_token, fr, says, text

OUTBOX = "/organizer/outbox"


def outbox_of_every_state(db) -> dict[str, OutboxMessage]:
    now = utcnow()
    states = {
        "sent": {"sent_at": now, "attempts": 1},
        "waiting": {"attempts": 2, "error": "unavailable: 127.0.0.1:25: ConnectionRefusedError",
                    "next_attempt_at": now + timedelta(minutes=2), "last_attempt_at": now},
        "failed": {"attempts": 1, "error": "refused: 550 5.1.1 No such user",
                   "failed_at": now, "last_attempt_at": now},
        "queued": {},
    }
    messages = {}
    for state, values in states.items():
        message = queue_mail(f"{state}@etu.utbm.fr", f"Message {state}", "Corps")
        for name, value in values.items():
            setattr(message, name, value)
        messages[state] = message
    db.session.commit()
    return messages


def test_the_outbox_shows_each_messages_state_and_why_it_failed(db, organizer, as_user):
    outbox_of_every_state(db)
    page = as_user(organizer).get(OUTBOX)
    assert page.status_code == 200
    for label in ("sent", "waiting", "failed", "in the outbox"):
        assert says(page, label)
    assert fr("The SMTP server refused the mail for good (an unknown address?)") in text(page)
    assert "550 5.1.1 No such user" in text(page)
    assert fr("The SMTP server cannot be reached") in text(page)
    assert says(page, "%(num)d message waits to be sent.", "%(num)d messages wait to be sent.",
                num=2)
    assert says(page, "%(num)d message failed for good.", "%(num)d messages failed for good.",
                num=1)


def test_the_failed_filter_lists_only_the_failed_messages(db, organizer, as_user):
    outbox_of_every_state(db)
    page = text(as_user(organizer).get(OUTBOX + "?status=failed"))
    assert "failed@etu.utbm.fr" in page
    assert not any(f"{state}@etu.utbm.fr" in page for state in ("sent", "waiting", "queued"))
    waiting = text(as_user(organizer).get(OUTBOX + "?status=waiting"))
    assert "waiting@etu.utbm.fr" in waiting and "queued@etu.utbm.fr" in waiting
    assert "failed@etu.utbm.fr" not in waiting


def test_a_failed_mail_is_sent_again_from_its_page_and_the_resend_is_audited(
        db, organizer, as_user, mail_server):
    failed = outbox_of_every_state(db)["failed"]
    client = as_user(organizer)
    page = f"{OUTBOX}/{failed.id}"
    assert says(client.get(page), "Send it again now")
    response = client.post(page + "/resend", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302 and response.headers["Location"] == page
    db.session.expire_all()
    row = db.session.get(OutboxMessage, failed.id)
    assert row.sent_at is not None and row.failed_at is None and row.attempts == 1
    assert list(mail_server.inbox.by_recipient()) == ["failed@etu.utbm.fr"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mail.resend"))
    assert (event.actor_id, event.target_type, event.target_id) == \
        (organizer.id, "OutboxMessage", failed.id)


def test_a_resend_without_its_csrf_token_is_refused_and_changes_nothing(db, organizer, as_user,
                                                                        mail_server):
    failed = outbox_of_every_state(db)["failed"]
    response = as_user(organizer).post(f"{OUTBOX}/{failed.id}/resend", data={})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed.id).failed_at is not None
    assert mail_server.inbox.received == []
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_a_mail_already_sent_is_not_sent_twice(db, organizer, as_user, mail_server):
    sent = outbox_of_every_state(db)["sent"]
    client = as_user(organizer)
    page = f"{OUTBOX}/{sent.id}"
    response = client.post(page + "/resend", data={"csrf_token": csrf_token(client, page)},
                           follow_redirects=True)
    assert says(response, "This message was already sent.")
    assert mail_server.inbox.received == []


def test_every_failed_mail_is_sent_again_at_once(db, organizer, as_user, mail_server):
    for n in range(3):
        message = queue_mail(f"perdu{n}@etu.utbm.fr", "Invitation", "Corps")
        message.failed_at, message.attempts, message.error = utcnow(), 15, "unavailable: down"
    queue_mail("attend@etu.utbm.fr", "Invitation", "Corps")
    db.session.commit()
    client = as_user(organizer)
    assert says(client.get(OUTBOX), "Send the %(num)d failed message again",
                "Send the %(num)d failed messages again", num=3)
    response = client.post(OUTBOX + "/resend-failed",
                           data={"csrf_token": csrf_token(client, OUTBOX)}, follow_redirects=True)
    assert says(response, "%(num)d failed message is queued again.",
                "%(num)d failed messages are queued again.", num=3)
    assert sorted(mail_server.inbox.by_recipient()) == [f"perdu{n}@etu.utbm.fr"
                                                          for n in range(3)]
    event = db.session.scalar(sa.select(AuditEvent)
                              .where(AuditEvent.action == "mail.resend_failed"))
    assert event.details == {"messages": 3}


def test_the_outbox_says_why_sending_fails(app, db, organizer, as_user, start_mail_server):
    start_mail_server("starttls", login=True, MAIL_PASSWORD="wrong")
    message = queue_mail("a@etu.utbm.fr", "Invitation", "Corps")
    db.session.commit()
    deliver_mail([message])
    page = as_user(organizer).get(OUTBOX)
    assert fr("The SMTP server refused the login: check MAIL_USERNAME and MAIL_PASSWORD") \
        in text(page)
    assert "wrong" not in text(page)


def test_an_empty_queue_says_nothing_waits(db, organizer, as_user):
    queue_mail("anne@etu.utbm.fr", "Sujet", "Corps").sent_at = utcnow()
    db.session.commit()
    page = as_user(organizer).get(OUTBOX)
    assert says(page, "No message waits to be sent.")
    assert not says(page, "%(num)d message failed for good.",
                    "%(num)d messages failed for good.", num=0)
