"""The cryptography of the second factor: TOTP codes (RFC 6238) accepted within one step of
the server's clock, the shared secret encrypted at rest with a key derived from SECRET_KEY,
and the single-use secrets (recovery codes, remembered devices) that are stored hashed.

Recovery codes and device tokens are random with 80 bits or more of entropy, so a plain
SHA-256 of them cannot be reversed by guessing (unlike a password, which is why passwords get
argon2): checking one costs a lookup, not ten slow hashes an attacker could make us compute.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

STEP_SECONDS = 30
DIGITS = 6
# One step either side: a phone whose clock is up to 30 s off still works; no more.
ACCEPTED_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CODE_LENGTH = 16  # 16 symbols x 5 bits = 80 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class UnreadableSecret(Exception):
    """The stored secret was encrypted under another SECRET_KEY."""


def new_secret() -> str:
    """160 random bits in base 32, the size RFC 4226 recommends and every app accepts."""
    return pyotp.random_base32(32)


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step (within the accepted drift) whose code is `code`, or None."""
    code = normalise_totp_code(code)
    if code is None:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = current_step(at)
    found = None
    for step in range(now - ACCEPTED_DRIFT_STEPS, now + ACCEPTED_DRIFT_STEPS + 1):
        # Every candidate is compared (no early exit), in constant time.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def normalise_totp_code(code: str | None) -> str | None:
    digits = "".join((code or "").split())
    return digits if len(digits) == DIGITS and digits.isdigit() else None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def grouped(secret: str, size: int = 4) -> str:
    """ABCD EFGH …: the secret as a person types it."""
    return " ".join(secret[index:index + size] for index in range(0, len(secret), size))


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"crunchtime second factor secret").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def decrypt_secret(stored: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise UnreadableSecret from error


def new_recovery_codes() -> list[str]:
    return [
        format_recovery_code("".join(secrets.choice(RECOVERY_ALPHABET)
                                     for _ in range(RECOVERY_CODE_LENGTH)))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def format_recovery_code(code: str) -> str:
    return "-".join(code[index:index + 4] for index in range(0, len(code), 4))


def normalise_recovery_code(code: str | None) -> str | None:
    """What the person typed, whatever its case, spaces, dashes or look-alike letters."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum()).translate(_READ_AS)
    if len(cleaned) != RECOVERY_CODE_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_recovery_code(code: str) -> str:
    """`code` as normalise_recovery_code returns it (or formatted, dashes are dropped)."""
    return hashlib.sha256(code.replace("-", "").encode()).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def hash_device_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
