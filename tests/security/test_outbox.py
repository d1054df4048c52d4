"""Personal links in the outbox: an organiser who asks a password reset for a jury, or
invites one, must not be able to read the link in the app and sign in as that jury. Only the
mail sent by SMTP carries the token; every page that shows a message hides it."""

from __future__ import annotations

import re
import smtplib

import pytest
import sqlalchemy as sa

from crunchtime.models import OutboxMessage
from crunchtime.services.accounts import sign_in
from crunchtime.services.accounts.invitations import invite_jury
from crunchtime.services.mail import deliver_mail, hide_personal_links
from tests.helpers import FakeSMTP, fr, link_in, path_of, text

TOKEN_IN_LINK = re.compile(r"/(?:password/reset|invitation)/([^\s/]+)")


def sent_to(smtp, email: str) -> str:
    [message] = [m for m in smtp.sent if m["To"] == email]
    return message.get_content()


def token_of(body: str) -> str:
    match = TOKEN_IN_LINK.search(body)
    assert match, body
    return match.group(1)


def outbox_pages(client, db) -> list[str]:
    """The outbox list and every message page, as the organiser reads them."""
    pages = [text(client.get("/organizer/outbox"))]
    for message_id in db.session.scalars(sa.select(OutboxMessage.id)):
        response = client.get(f"/organizer/outbox/{message_id}")
        assert response.status_code == 200
        pages.append(text(response))
    return pages


def test_a_reset_link_is_in_the_sent_mail_but_not_in_the_outbox(db, smtp, edition, jury,
                                                                 organizer, as_user, client):
    sign_in.request_password_reset(jury.email)
    body = sent_to(smtp, jury.email)
    token = token_of(body)
    assert len(token) > 20
    client_of_organiser = as_user(organizer)
    pages = outbox_pages(client_of_organiser, db)
    assert all(token not in page for page in pages)
    [message_page] = [page for page in pages[1:] if jury.email in page]
    assert "…/password/reset/•••" in message_page
    assert fr("personal link hidden") in message_page
    assert client.get(path_of(link_in(body))).status_code == 200  # the mail's link works


def test_an_invitation_link_is_in_the_sent_mail_but_not_in_the_outbox(db, smtp, edition,
                                                                      organizer, as_user):
    jury = invite_jury(organizer, "claire.martin@ge.example", "Claire", "Martin")
    token = token_of(sent_to(smtp, jury.email))
    pages = outbox_pages(as_user(organizer), db)
    assert all(token not in page for page in pages)
    assert any("…/invitation/•••" in page for page in pages)


def test_without_smtp_the_waiting_mail_keeps_its_link_hidden_from_the_organiser(
        db, edition, jury, organizer, as_user):
    sign_in.request_password_reset(jury.email)
    stored = db.session.scalar(sa.select(OutboxMessage.body))
    token = token_of(stored)  # kept whole for the delivery
    assert all(token not in page for page in outbox_pages(as_user(organizer), db))


def test_reading_the_outbox_does_not_change_the_mail_sent_later(db, app, edition, jury,
                                                                organizer, as_user,
                                                                monkeypatch):
    sign_in.request_password_reset(jury.email)
    token = token_of(db.session.scalar(sa.select(OutboxMessage.body)))
    outbox_pages(as_user(organizer), db)
    FakeSMTP.sent, FakeSMTP.fail = [], False  # SMTP comes back after the page was read
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    deliver_mail(list(db.session.scalars(sa.select(OutboxMessage))))
    assert token in sent_to(FakeSMTP, jury.email)


def test_an_organiser_cannot_take_over_a_jury_account_from_the_outbox(db, edition, jury,
                                                                     organizer, as_user):
    client = as_user(organizer)
    sign_in.request_password_reset(jury.email)
    pages = outbox_pages(client, db)
    links = [path_of(url) for page in pages for url in re.findall(r"https?://[^\s\"<]+", page)]
    assert not any("/password/reset/" in link or "/invitation/" in link for link in links)


@pytest.mark.parametrize("body, shown", [
    ("Lien : http://crunchtime.test/password/reset/abcdefghijk.ZZZZZ.signature_and_more_x1\n",
     "Lien : …/password/reset/••• ({note})\n"),
    ("http://crunchtime.test/invitation/abc", "…/invitation/••• ({note})"),
    ("http://elsewhere.example/x?token=abc&team=3",
     "…/x?token=•••&team=3 ({note})"),
    ("Voir http://crunchtime.test/announcements/ et http://crunchtime.test/team/3",
     "Voir http://crunchtime.test/announcements/ et http://crunchtime.test/team/3"),
    ("code eyJ1IjoxLCJmIjoiYSJ9.Z1x2Yw.AbCdEfGhIjKlMnOpQrStUvWxYz0 seul",
     "code ••• seul"),
])
def test_what_is_hidden_and_what_is_kept(app_context, body, shown):
    assert hide_personal_links(body) == shown.format(note=fr("personal link hidden"))
