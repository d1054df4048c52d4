"""Ending an account's sessions: its session token rotates (every cookie that carries the old
one is refused from then on), and once that is committed its live connections are ended in
every server process. Every change that ends sessions (logout, a new password, deactivation,
a role change) or changes what a student's live connection may see (a new team) goes through
here."""

from __future__ import annotations

from collections.abc import Iterable

from crunchtime.extensions import db
from crunchtime.models import User
from crunchtime.models.user import new_session_token
from crunchtime.realtime.publish import disconnect_users


def rotate_session_token(user: User) -> None:
    """End every session of `user` in the caller's unit of work (it commits)."""
    user.session_token = new_session_token()


def end_live_connections(user_ids: Iterable[int]) -> None:
    """After the commit: the accounts' live connections end; their clients reconnect into the
    rooms their session now allows (none of the account's once its sessions ended)."""
    disconnect_users(user_ids)


def log_out(user: User) -> None:
    """Logout ends the account's sessions everywhere, not only this browser's cookie: a copy
    of the cookie (a shared computer, a stolen one) is refused from now on."""
    rotate_session_token(user)
    db.session.commit()
    end_live_connections([user.id])
