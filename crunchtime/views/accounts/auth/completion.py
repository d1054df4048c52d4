"""The end of every primary authentication (a password, a university account through CAS or
OpenID Connect, a link that sets a password): the second step when the account needs one,
then a fresh session. Nothing else calls login_user."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Response, redirect, request, session, url_for
from flask_login import login_user

from crunchtime.access import safe_next_or_home
from crunchtime.extensions import db
from crunchtime.models import User
from crunchtime.services.accounts import remembered_devices, second_factor
from crunchtime.services.accounts import settings as account_settings

PENDING_KEY = "pending_login"
# Long enough to open an authenticator app (or to scan a QR code at enrolment), short enough
# that a session left on a shared computer after the first step does not keep it half-open.
PENDING_SECONDS = 10 * 60
METHOD_KEY = "login_method"


@dataclass(frozen=True)
class PendingLogin:
    """A first step passed, the second not yet: whose, how, and where to go afterwards."""

    user: User
    method: str
    next_url: str | None
    remember_device_ok: bool
    session_extras: dict[str, Any] = field(default_factory=dict)


def start_session(user) -> None:
    """A fresh session at login: nothing from before it survives (no fixation)."""
    locale = session.get("locale")
    session.clear()
    session["sid"] = secrets.token_urlsafe(16)
    login_user(user)
    session.permanent = True
    if user.locale is None and locale:
        account_settings.set_locale(user, locale)
    if user.locale or locale:
        session["locale"] = user.locale or locale


def complete_login(user, method: str, next_url: str | None, remember_device_ok: bool = True,
                   *, session_extras: Mapping[str, Any] | None = None) -> Response:
    """Where a primary authentication ends. `method` is "password", "cas" or "oidc";
    `session_extras` are keys the new session must carry (an SSO's logout hint), kept through
    the second step. A device remembered for this account skips the code, unless the caller
    forbids it (`remember_device_ok=False`)."""
    extras = dict(session_extras or {})
    if not second_factor.needs_second_step(user):
        return finish_login(user, method, next_url, extras)
    if (remember_device_ok and second_factor.is_enrolled(user)
            and remembered_devices.device_remembered(user, read_device_cookie())):
        return finish_login(user, method, next_url, extras)
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[PENDING_KEY] = {
        "user": user.id, "token": user.session_token, "method": method, "next": next_url,
        "remember": remember_device_ok, "until": int(time.time()) + PENDING_SECONDS,
        "extras": extras,
    }
    if second_factor.is_enrolled(user):
        return redirect(url_for("two_factor.verify"))
    return redirect(url_for("two_factor.enrol_at_login"))


def finish_login(user, method: str, next_url: str | None,
                 session_extras: Mapping[str, Any] | None = None) -> Response:
    """Both steps passed (or no second one needed): the session rotates, then home or `next`."""
    open_session(user, method, session_extras)
    return redirect(safe_next_or_home(next_url, user))


def open_session(user, method: str, session_extras: Mapping[str, Any] | None = None) -> None:
    start_session(user)
    session[METHOD_KEY] = method
    session.update(session_extras or {})


def pending_login() -> PendingLogin | None:
    """The login waiting for its second step in this browser, if any and still valid: not
    expired, and the account's sessions not ended since (a new password, a deactivation)."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or data.get("until", 0) < time.time():
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or user.session_token != data.get("token"):
        return None
    return PendingLogin(user, data.get("method", "password"), data.get("next"),
                        bool(data.get("remember")), dict(data.get("extras") or {}))


def drop_pending_login() -> None:
    session.pop(PENDING_KEY, None)


def read_device_cookie() -> str | None:
    return request.cookies.get(remembered_devices.DEVICE_COOKIE)
