"""Who may see what: the login loader, the role decorator and each role's home page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, flash, redirect, request, url_for
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


def load_user(session_id: str) -> User | None:
    """The cookie holds "id:session_token"; a rotated token ends older sessions."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
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


def _unauthorized():
    from crunchtime.views.errors import wants_json

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


def restrict_blueprint(blueprint, *roles: str) -> None:
    """Every route of `blueprint` answers only to these roles (login page for visitors)."""

    @role_required(*roles)
    def check_role():
        return None

    blueprint.before_request(check_role)


def home_endpoint(user) -> str:
    return HOME_ENDPOINTS.get(getattr(user, "role", None), "public.index")


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths are followed after login."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target
