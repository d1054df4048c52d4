"""Password hashing with argon2id at OWASP's recommended cost, off the event loop, and the
checks a new password must pass."""

from __future__ import annotations

import re
from functools import cache

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
# French and event-specific passwords that the English-speaking list below lacks.
LOCAL_COMMON_PASSWORDS = frozenset(
    {
        "motdepasse123", "password1234", "azertyuiop12", "qwertyuiop12", "123456789012",
        "crunchtime2026", "utbm-belfort", "motdepasse!!", "password!!!!", "azertyuiop123",
        "iloveyou1234", "bonjour12345", "soleil123456", "changeme1234", "welcome12345",
        "motdepasse", "azerty", "azertyuiop", "soleil", "bonjour", "doudou", "chouchou",
        "loulou", "marseille", "jetaime", "nicolas", "camille", "crunchtime", "utbm",
    }
)
# Digits and punctuation people pad a common word with to reach the minimum length.
PADDING = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of leaked-password corpora (zxcvbn's list, from
    the `zxcvbn` package: MIT licence) with our local additions, folded as we compare them.
    Loaded on first use: processes that never check a new password do not hold it."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(fold(password) for password in FREQUENCY_LISTS["passwords"]) \
        | LOCAL_COMMON_PASSWORDS


def is_common(password: str) -> bool:
    """A common password, such a password padded with digits or symbols ("dragon2026!!"),
    or one repeated ("soleilsoleil")."""
    folded = fold(password)
    common = common_passwords()
    core = PADDING.match(folded).group(1)
    return any(candidate in common or _repeats_common(candidate, common)
               for candidate in {folded, core} if len(candidate) >= 4)


def _repeats_common(text: str, common: frozenset[str]) -> bool:
    return any(len(text) % size == 0 and text[:size] * (len(text) // size) == text
               and text[:size] in common for size in range(3, len(text) // 2 + 1))


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


def needs_rehash(stored_hash: str, profile: str = "owasp") -> bool:
    """Whether a hash was made with other parameters than the profile's (an older cost):
    rehash it while the password is at hand, at login."""
    try:
        return _hasher(profile).check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


def weakness(password: str, email: str = "", names: tuple[str, ...] = ()) -> str | None:
    """The reason a password is refused, as a message key, or None when acceptable."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = fold(password)
    if len(set(lowered)) < 5 or is_common(password):
        return "too_common"
    local_part = email.split("@", 1)[0]
    words = re.split(r"[\s._+\-']+", fold(" ".join((local_part, *names))))
    if any(len(word) >= 4 and word in lowered for word in words):
        return "personal"
    return None
