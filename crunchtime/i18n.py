"""Interface language: the user's choice, else the visitor's, else Accept-Language, else French."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import has_request_context, request, session
from flask_login import current_user

LANGUAGES = {"fr": "Français", "en": "English"}
DEFAULT_LOCALE = "fr"
PARIS = ZoneInfo("Europe/Paris")


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LOCALE
    if current_user and current_user.is_authenticated:
        return account_locale(current_user.locale, visitor_locale())
    return visitor_locale()


def visitor_locale() -> str:
    """The language chosen in this browser, else its Accept-Language, else French: what
    applies when the account chose none (no query: the account is not loaded)."""
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys()) or DEFAULT_LOCALE


def account_locale(chosen: str | None, visitor: str) -> str:
    """The account's own choice of language wins over the browser's."""
    return chosen if chosen in LANGUAGES else visitor


def select_timezone() -> str:
    return "Europe/Paris"
