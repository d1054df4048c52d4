"""Signed codes of presence (pure: the secret is given by the caller).

A door screen shows, for one check-in point and one session, a token that changes every
STEP_SECONDS: its link checks a student in. The token carries (point, session, step) and an
HMAC of them; it is valid during its own step and the one after (a student who scanned just
before the code changed is not refused). A short code, six characters from the same HMAC,
is the typed fallback of the link. Each student also has a personal code for the staff's
scanner: their account id and an HMAC of it and the edition.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

STEP_SECONDS = 30
STEPS_ACCEPTED = 2  # the current step and the previous one
SHORT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off a screen
SHORT_LENGTH = 6
PERSONAL_LENGTH = 6
TOKEN_SIGNATURE_BYTES = 12


class CodeRefused(Exception):
    """Why a code is not accepted: `reason` is one of the constants below."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


FORGED = "forged"
EXPIRED = "expired"


@dataclass(frozen=True)
class DoorCode:
    point_id: int
    session_id: int
    step: int


def step_of(unix_seconds: float) -> int:
    return int(unix_seconds // STEP_SECONDS)


def seconds_left(unix_seconds: float) -> float:
    """How long the current step's code stays the newest one."""
    return STEP_SECONDS - (unix_seconds % STEP_SECONDS)


def _key(secret: str | bytes, purpose: str) -> bytes:
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, f"crunchtime-presence:{purpose}".encode(), hashlib.sha256).digest()


def _mac(secret: str | bytes, purpose: str, message: str) -> bytes:
    return hmac.new(_key(secret, purpose), message.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _short(digest: bytes, length: int) -> str:
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(length):
        number, index = divmod(number, len(SHORT_ALPHABET))
        letters.append(SHORT_ALPHABET[index])
    return "".join(letters)


def door_token(secret: str | bytes, code: DoorCode) -> str:
    """The URL-safe token of a door code: "point.session.step.signature"."""
    message = f"{code.point_id}.{code.session_id}.{code.step}"
    signature = _mac(secret, "door", message)[:TOKEN_SIGNATURE_BYTES]
    return f"{message}.{_b64(signature)}"


def short_code(secret: str | bytes, code: DoorCode) -> str:
    """The six characters shown under the QR code, typed by a student without a camera."""
    return _short(_mac(secret, "short", f"{code.point_id}.{code.session_id}.{code.step}"),
                  SHORT_LENGTH)


def parse_door_token(secret: str | bytes, token: str) -> DoorCode:
    """The door code a token names, if the server signed it (CodeRefused(FORGED) if not)."""
    parts = (token or "").split(".")
    if len(parts) != 4 or not all(part.isdigit() for part in parts[:3]) or len(token) > 120:
        raise CodeRefused(FORGED)
    code = DoorCode(int(parts[0]), int(parts[1]), int(parts[2]))
    if not hmac.compare_digest(door_token(secret, code), token):
        raise CodeRefused(FORGED)
    return code


def require_fresh(code: DoorCode, unix_seconds: float) -> None:
    """A code from a step too old is expired; one from the future was never shown: forged."""
    current = step_of(unix_seconds)
    if code.step > current:
        raise CodeRefused(FORGED)
    if current - code.step >= STEPS_ACCEPTED:
        raise CodeRefused(EXPIRED)


def accepted_steps(unix_seconds: float) -> list[int]:
    current = step_of(unix_seconds)
    return [current - back for back in range(STEPS_ACCEPTED)]


def normalise_typed(text: str) -> str:
    """What a person typed, as the codes are written: capitals, without spaces or dashes."""
    return "".join(char for char in (text or "").upper() if char.isalnum())


def match_short_code(secret: str | bytes, typed: str,
                     candidates: list[DoorCode]) -> DoorCode | None:
    """The candidate (point, session, accepted step) whose short code was typed, if any."""
    wanted = normalise_typed(typed)
    if len(wanted) != SHORT_LENGTH:
        return None
    for code in candidates:
        if hmac.compare_digest(short_code(secret, code), wanted):
            return code
    return None


def personal_code(secret: str | bytes, edition_id: int, user_id: int) -> str:
    """A student's code for the staff's scanner: "1234-K7QM2X" (account id, signature)."""
    signature = _short(_mac(secret, "personal", f"{edition_id}.{user_id}"), PERSONAL_LENGTH)
    return f"{user_id}-{signature}"


def parse_personal_code(secret: str | bytes, edition_id: int, text: str) -> int:
    """The account id a personal code names (CodeRefused(FORGED) if it is not one of ours
    for this edition)."""
    cleaned = "".join(char for char in (text or "").upper() if char.isalnum() or char == "-")
    number, _, signature = cleaned.partition("-")
    if not number.isdigit() or len(number) > 12 or not signature:
        raise CodeRefused(FORGED)
    expected = personal_code(secret, edition_id, int(number))
    if not hmac.compare_digest(expected, f"{int(number)}-{signature}"):
        raise CodeRefused(FORGED)
    return int(number)


CONFIRM_STEPS = 6  # a scanned code leaves three minutes to press "Check me in"


def confirmation(secret: str | bytes, user_id: int, code: DoorCode) -> str:
    """What the confirm page posts back: the fresh door code it was opened with, bound to
    the student who opened it (another student cannot use it)."""
    message = f"{user_id}.{code.point_id}.{code.session_id}.{code.step}"
    return f"{message}.{_b64(_mac(secret, 'confirm', message)[:TOKEN_SIGNATURE_BYTES])}"


def parse_confirmation(secret: str | bytes, user_id: int, text: str,
                       unix_seconds: float) -> DoorCode:
    parts = (text or "").split(".")
    if len(parts) != 5 or not all(part.isdigit() for part in parts[:4]) or len(text) > 160:
        raise CodeRefused(FORGED)
    code = DoorCode(int(parts[1]), int(parts[2]), int(parts[3]))
    if int(parts[0]) != user_id or not hmac.compare_digest(
            confirmation(secret, user_id, code), text):
        raise CodeRefused(FORGED)
    current = step_of(unix_seconds)
    if code.step > current:
        raise CodeRefused(FORGED)
    if current - code.step >= CONFIRM_STEPS:
        raise CodeRefused(EXPIRED)
    return code
