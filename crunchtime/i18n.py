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
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys()) or DEFAULT_LOCALE


def select_timezone() -> str:
    return "Europe/Paris"
