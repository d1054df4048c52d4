"""Who may see what: the login loader, the role decorator and each role's home page."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from crunchtime.extensions import db, login_manager
from crunchtime.models import User

HOME_ENDPOINTS = {
    "student": "student.home",
    "company": "company.home",
    "jury": "jury.home",
    "organizer": "organizer.dashboard",
}


@dataclass(frozen=True)
class SessionIdentity:
    """The account a session cookie names, not yet checked against the database."""

    user_id: int
    token: str


def session_holds(token: str, active: bool, session_token: str | None) -> bool:
    """Whether an account, as stored, still accepts a session that carries `token`."""
    return bool(active) and session_token == token


def parse_session_id(session_id: str) -> SessionIdentity | None:
    """The cookie holds "id:session_token" (User.get_id); a rotated token ends older
    sessions."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    return SessionIdentity(int(user_id), token)


def session_identity() -> SessionIdentity | None:
    """Who the signed session cookie says is logged in, without a query: for an endpoint
    that checks the account itself, in bulk (the jury's score events)."""
    return parse_session_id(session.get("_user_id", ""))


def load_user(session_id: str) -> User | None:
    identity = parse_session_id(session_id)
    if identity is None:
        return None
    user = db.session.get(User, identity.user_id)
    if user is None or not session_holds(identity.token, user.active, user.session_token):
        return None
    return user


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(_unauthorized)


def wants_json() -> bool:
    """Whether the request asks for JSON (an API call, a script's fetch): its errors are
    answered in JSON, not as a page."""
    if request.is_json or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def _unauthorized():
    if wants_json():
        abort(401)
    flash(login_manager.login_message, login_manager.login_message_category)
    next_path = request.full_path.rstrip("?")
    return redirect(url_for("auth.login", next=next_path))


def role_required(*roles: str) -> Callable:
    """Anonymous visitors go to the login page; other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def require_role(*roles: str) -> None:
    """In a view: stop here unless the visitor is signed in with one of `roles` (the login
    page, or a JSON 401, for visitors; 403 for other roles)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if current_user.role not in roles:
        abort(403)


def restrict_blueprint(blueprint, *roles: str) -> None:
    """Every route of `blueprint` answers only to these roles (login page for visitors)."""

    @role_required(*roles)
    def check_role():
        return None

    blueprint.before_request(check_role)


def home_endpoint(user) -> str:
    return HOME_ENDPOINTS.get(getattr(user, "role", None), "public.index")


MAX_NEXT_LENGTH = 2000
UNQUOTE_ROUNDS = 5


def _fully_unquoted(target: str) -> str | None:
    """`target` percent-decoded until it no longer changes (None if it keeps changing)."""
    for _ in range(UNQUOTE_ROUNDS):
        decoded = unquote(target)
        if decoded == target:
            return target
        target = decoded
    return None


def _is_blank_or_control(character: str) -> bool:
    """Whitespace (ASCII or Unicode), control and invisible format characters: browsers drop
    some of them from a URL, which can turn "/<tab>/evil" into "//evil"."""
    return character.isspace() or unicodedata.category(character)[0] in "CZ"


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths are followed after login or a language switch: one leading slash,
    no scheme, no host, no backslash, no whitespace or control character and no dot segment,
    in the target as sent and after any number of percent-decodings."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return False
    decoded = _fully_unquoted(target)
    if decoded is None:
        return False
    for form in (target, decoded):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return False
        if any(_is_blank_or_control(character) for character in form):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
        if any(segment in (".", "..") for segment in parts.path.split("/")):
            return False
    return True


def safe_next_or_home(target: str | None, user) -> str:
    """Where to go after a form that may carry `next`: it, if same-site; else the user's home
    (the public home page for visitors)."""
    return target if is_safe_next(target) else url_for(home_endpoint(user))
