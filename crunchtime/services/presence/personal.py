"""A student's personal presence code, shown on their page for the staff's scanner."""

from __future__ import annotations

from flask import current_app

from crunchtime.models import Edition, User
from crunchtime.presence import codes


def personal_code_of(user: User, edition: Edition) -> str:
    return codes.personal_code(current_app.config["SECRET_KEY"], edition.id, user.id)
