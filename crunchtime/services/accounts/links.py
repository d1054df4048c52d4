"""Mails that carry a signed, single-use link to an account (an invitation, a password reset,
an e-mail verification), written in the account's language."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from crunchtime.models import OutboxMessage, User
from crunchtime.security import tokens
from crunchtime.services.mail import external_url, queue_mail


def account_link_mail(user: User, purpose: str, endpoint: str, template: str, subject):
    """(subject, body) of a mail carrying a signed link, in the user's language."""
    token = tokens.make_token(
        current_app.config["SECRET_KEY"], purpose, user.id, user.password_hash, user.session_token
    )
    link = external_url(endpoint, token=token)
    with force_locale(user.locale or "fr"):
        return str(subject), render_template(template, user=user, link=link)


def send_account_link(user: User, purpose: str, endpoint: str, template: str,
                      subject) -> OutboxMessage:
    """Queue the mail in the caller's unit of work (`deliver_mail` after its commit)."""
    subject_text, body = account_link_mail(user, purpose, endpoint, template, subject)
    return queue_mail(user.email, subject_text, body, kind=purpose)
