"""Shared vocabulary of the access matrix: roles and expected answers."""

from __future__ import annotations

ROLES = ("anonymous", "student", "company", "jury", "organizer")
LOGIN = "login"  # a redirect to the login page
ALL_OK = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}
VISITORS_ONLY = {**dict.fromkeys(ROLES, 302), "anonymous": 200}


def only(*roles: str) -> dict:
    """200 for these roles, 403 for the other signed-in roles, login for visitors."""
    return {r: LOGIN if r == "anonymous" else (200 if r in roles else 403) for r in ROLES}


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)
