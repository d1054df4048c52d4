"""Links in mail: absolute addresses built from BASE_URL, and personal links hidden wherever
the app shows a message.

A personal link (password reset, invitation, e-mail verification: any address of the app that
carries a signed token) works for whoever holds it, so only the mail sent by SMTP carries it:
wherever the app shows or returns a message (the organisers' outbox), `hide_personal_links`
cuts it to `…/password/reset/•••`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails, built from BASE_URL (never from the request's Host)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, url_scheme=base.scheme, script_name=base.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)


HIDDEN = "•••"
_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
# The shape of an itsdangerous signed token (payload.timestamp.signature, the payload maybe
# compressed behind a leading dot): hidden wherever it appears, in a link or not.
_SIGNED_TOKEN = re.compile(r"\.?[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,8}\.[A-Za-z0-9_\-]{20,}")


def _is_secret(name: str) -> bool:
    return "token" in name.lower()


def _secret_values(url: str) -> list[str]:
    """The token values of a link to the app: its route's `<token>`-like arguments and its
    `?token=` parameters."""
    parts = urlsplit(url)
    base_path = urlsplit(current_app.config["BASE_URL"]).path.rstrip("/")
    path = parts.path[len(base_path):] if base_path and parts.path.startswith(base_path) \
        else parts.path
    try:
        _endpoint, values = current_app.url_map.bind("localhost").match(path or "/", "GET")
    except HTTPException:
        values = {}
    secrets = [str(value) for name, value in values.items() if _is_secret(name)]
    return secrets + [value for name, value in parse_qsl(parts.query) if _is_secret(name)]


def _hidden_link(match: re.Match) -> str:
    url = match.group(0)
    secrets = [value for value in _secret_values(url) if value]
    if not secrets and not _SIGNED_TOKEN.search(url):
        return url
    parts = urlsplit(url)
    shown = parts.path + (f"?{parts.query}" if parts.query else "")
    for secret in secrets:
        shown = shown.replace(secret, HIDDEN)
    shown = _SIGNED_TOKEN.sub(HIDDEN, shown)
    note = _("personal link hidden")
    return f"…{shown} ({note})"


def hide_personal_links(text: str) -> str:
    """The text of a message as the app may show it: every personal link cut to
    `…/password/reset/•••`, with a note; other links (a team's space, the announcements)
    stay whole. The outbox row keeps the whole text for the SMTP delivery."""
    return _SIGNED_TOKEN.sub(HIDDEN, _URL.sub(_hidden_link, text or ""))
