"""Signed, expiring, one-time links (password reset, invitations, e-mail verification)
without a token table.

A token carries the account id and a fingerprint of its current password hash and session
token: once the password is set (or the sessions ended), the fingerprint changes and the link
can no longer be used. A verification link is used up once the address is verified.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PURPOSES = {"reset": 3600, "invite": 14 * 24 * 3600, "verify": 7 * 24 * 3600}


class TokenError(Exception):
    """reason: 'invalid', 'expired' or 'used'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _fingerprint(password_hash: str | None, session_token: str) -> str:
    material = f"{password_hash or ''}|{session_token}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"crunchtime-{purpose}")


def make_token(secret_key: str, purpose: str, user_id: int, password_hash, session_token) -> str:
    payload = {"u": user_id, "f": _fingerprint(password_hash, session_token)}
    return _serializer(secret_key, purpose).dumps(payload)


def read_token(secret_key: str, purpose: str, token: str) -> tuple[int, str]:
    """The (user id, fingerprint) of a valid, unexpired token."""
    try:
        payload = _serializer(secret_key, purpose).loads(token, max_age=PURPOSES[purpose])
    except SignatureExpired as error:
        raise TokenError("expired") from error
    except BadSignature as error:
        raise TokenError("invalid") from error
    if not isinstance(payload, dict) or "u" not in payload or "f" not in payload:
        raise TokenError("invalid")
    return int(payload["u"]), str(payload["f"])


def check_fingerprint(fingerprint: str, password_hash, session_token) -> None:
    if fingerprint != _fingerprint(password_hash, session_token):
        raise TokenError("used")
