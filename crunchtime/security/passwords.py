"""Password hashing with argon2id at OWASP's recommended cost, off the event loop."""

from __future__ import annotations

import re

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from crunchtime.security.offload import run_off_loop
from crunchtime.text import fold

# OWASP Password Storage Cheat Sheet / ASVS 4 §2.4: argon2id, 19 MiB, 2 iterations, 1 lane.
PROFILES = {
    "owasp": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID),
    # Tests hash thousands of passwords; same algorithm, minimal cost.
    "fast-tests": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID),
}

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = frozenset(
    {
        "motdepasse123", "password1234", "azertyuiop12", "qwertyuiop12", "123456789012",
        "crunchtime2026", "utbm-belfort", "motdepasse!!", "password!!!!", "azertyuiop123",
        "iloveyou1234", "bonjour12345", "soleil123456", "changeme1234", "welcome12345",
    }
)


def _hasher(profile: str) -> PasswordHasher:
    return PROFILES[profile]


def hash_password(password: str, profile: str = "owasp") -> str:
    return run_off_loop(_hasher(profile).hash, password)


def verify_password(stored_hash: str | None, password: str, profile: str = "owasp") -> bool:
    """True when `password` matches; a missing or unreadable hash never matches."""
    if not stored_hash:
        # Spend the same time as a real check so that timing does not reveal the account.
        run_off_loop(_hasher(profile).hash, password)
        return False
    try:
        return run_off_loop(_hasher(profile).verify, stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def weakness(password: str, email: str = "", names: tuple[str, ...] = ()) -> str | None:
    """The reason a password is refused, as a message key, or None when acceptable."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = fold(password)
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 5:
        return "too_common"
    local_part = email.split("@", 1)[0]
    words = re.split(r"[\s._+\-']+", fold(" ".join((local_part, *names))))
    if any(len(word) >= 4 and word in lowered for word in words):
        return "personal"
    return None

