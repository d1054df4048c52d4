"""Wrong codes are throttled per account (whichever page they are typed on: login, enrolment,
new recovery codes, turning it off) and per address. Only refusals count."""

from __future__ import annotations

from flask import current_app, g, session
from flask_limiter.util import get_remote_address
from flask_login import current_user

from crunchtime.extensions import limiter
from crunchtime.views.accounts.auth.completion import PENDING_KEY


def _per_account():
    return current_app.config["RATELIMIT_SECOND_FACTOR_FAILURES_PER_ACCOUNT"]


def _per_address():
    return current_app.config["RATELIMIT_SECOND_FACTOR_FAILURES_PER_ADDRESS"]


def _account_key() -> str:
    """The signed-in account, or the one whose login waits for its second step."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    pending = session.get(PENDING_KEY)
    user_id = pending.get("user") if isinstance(pending, dict) else None
    return f"account:{user_id}" if user_id is not None else f"address:{get_remote_address()}"


def code_rejected(_response) -> bool:
    return g.get("second_factor_code_rejected", False)


def mark_code_rejected() -> None:
    g.second_factor_code_rejected = True


def limit_code_failures(view):
    view = limiter.shared_limit(_per_address, scope="second-factor-address", methods=["POST"],
                                deduct_when=code_rejected)(view)
    return limiter.shared_limit(_per_account, scope="second-factor-account", methods=["POST"],
                                key_func=_account_key, deduct_when=code_rejected)(view)
