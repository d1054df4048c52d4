"""What a signed-in account changes about itself: its password and its language."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from crunchtime.errors import InvalidInput
from crunchtime.extensions import db
from crunchtime.i18n import LANGUAGES
from crunchtime.models import User
from crunchtime.security import passwords
from crunchtime.services.accounts.registration import check_new_password, hashed_password
from crunchtime.services.accounts.sessions import end_live_connections, rotate_session_token


def change_password(user: User, current_password: str, new_password: str) -> None:
    """A new password ends every session of the account, live connections included (the view
    signs this browser in again with the new session token)."""
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    if not passwords.verify_password(user.password_hash, current_password, profile):
        raise InvalidInput(_("The current password is not correct."), field="current_password")
    check_new_password(new_password, user.email, (user.first_name, user.last_name))
    user.password_hash = hashed_password(new_password)
    rotate_session_token(user)
    db.session.commit()
    end_live_connections([user.id])


def set_locale(user: User, locale: str) -> None:
    if locale not in LANGUAGES:
        raise InvalidInput(_("Unknown language: %(code)s.", code=locale))
    user.locale = locale
    db.session.commit()
