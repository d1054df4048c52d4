"""Signing in with a password, and the single-use links that reset one, accept an invitation
or verify an address."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crunchtime.errors import Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import User
from crunchtime.models.base import utcnow
from crunchtime.security import passwords, tokens
from crunchtime.services.accounts.links import send_account_link
from crunchtime.services.accounts.registration import (
    check_new_password,
    find_user,
    hashed_password,
    verification_mail,
)
from crunchtime.services.accounts.sessions import end_live_connections, rotate_session_token
from crunchtime.services.accounts.university import check_password_login
from crunchtime.services.accounts.words import token_problem_message
from crunchtime.services.audit import record_audit
from crunchtime.services.mail import deliver_mail


class EmailNotVerified(Forbidden):
    """The password is right but the address was never verified: the account waits."""

    code = "email_not_verified"


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials open, or None (same answer for every failure);
    EmailNotVerified, only to whoever knows the password, while the address is unproven.
    A hash made with older parameters is remade at the current cost in the login's commit."""
    user = find_user(email)
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    stored = user.password_hash if user is not None else None
    if not passwords.verify_password(stored, password, profile) or not user.active:
        return None
    if user.email_verified_at is None:
        raise EmailNotVerified(_(
            "Your e-mail address is not confirmed yet: open the link we sent to it. "
            "No message? We can send it again."))
    check_password_login(user)
    if passwords.needs_rehash(stored, profile):
        user.password_hash = hashed_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Mail a one-hour reset link if the account exists; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    message = send_account_link(
        user, "reset", "auth.reset_password", "mail/reset_password.txt",
        _l("Reset your Crunch Time password"),
    )
    db.session.commit()
    deliver_mail([message])


def _user_from_token(purpose: str, token: str) -> User:
    user_id, fingerprint = tokens.read_token(current_app.config["SECRET_KEY"], purpose, token)
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise tokens.TokenError("invalid")
    tokens.check_fingerprint(fingerprint, user.password_hash, user.session_token)
    if purpose == "verify" and user.email_verified_at is not None:
        raise tokens.TokenError("used")
    return user


def check_account_token(purpose: str, token: str) -> User:
    """The account a link opens, or InvalidInput saying why it cannot be used."""
    try:
        return _user_from_token(purpose, token)
    except tokens.TokenError as error:
        raise InvalidInput(token_problem_message(error.reason)) from error


def set_password_from_token(purpose: str, token: str, password: str) -> User:
    """Reset a password or accept an invitation; the link works once. Opening a link sent to
    the address proves it: the address counts as verified. Every other session ends."""
    user = check_account_token(purpose, token)
    check_new_password(password, user.email, (user.first_name, user.last_name))
    user.password_hash = hashed_password(password)
    rotate_session_token(user)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    record_audit(user, f"account.{purpose}", user)
    db.session.commit()
    end_live_connections([user.id])
    return user


def verify_email(token: str) -> User:
    """Mark the address of the account the verification link names as verified (once)."""
    user = check_account_token("verify", token)
    user.email_verified_at = utcnow()
    record_audit(user, "account.verify", user)
    db.session.commit()
    return user


def resend_verification(email: str) -> None:
    """Mail the verification link again if this address has an account waiting for it; say
    nothing either way."""
    user = find_user(email)
    if user is None or not user.active or user.email_verified_at is not None \
            or not user.has_password:
        return
    message = verification_mail(user)
    db.session.commit()
    deliver_mail([message])
