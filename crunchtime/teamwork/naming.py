"""Team names: tidy, of a sensible length, and free of insults (pure)."""

from __future__ import annotations

import re
import unicodedata

MIN_LENGTH, MAX_LENGTH = 2, 60

# Whole words only, compared folded (lowercase, no accents), so that "Scunthorpe" passes.
MODERATED_WORDS = frozenset({
    "merde", "putain", "pute", "connard", "connards", "connasse", "salope", "salopes",
    "encule", "encules", "enculer", "nique", "niquer", "batard", "batards", "bite",
    "couilles", "pd", "pede", "tapette", "negre", "bougnoule", "youpin",
    "fuck", "fucking", "fucker", "shit", "bitch", "cunt", "asshole", "bastard",
    "nazi", "nazis", "hitler", "slut", "whore", "nigger", "faggot",
})
WORD = re.compile(r"[a-z0-9]+")

EMPTY = "empty"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
MODERATED = "moderated"


class BadTeamName(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def contains_moderated_word(name: str) -> bool:
    folded = _folded(name)
    squeezed = folded.replace("@", "a").replace("0", "o").replace("1", "i").replace("3", "e")
    return any(word in MODERATED_WORDS
               for text in (folded, squeezed) for word in WORD.findall(text))


def clean_team_name(raw: str | None) -> str:
    """The name with spaces tidied, or BadTeamName saying why it cannot be used."""
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    if not name:
        raise BadTeamName(EMPTY)
    if len(name) < MIN_LENGTH:
        raise BadTeamName(TOO_SHORT)
    if len(name) > MAX_LENGTH:
        raise BadTeamName(TOO_LONG)
    if contains_moderated_word(name):
        raise BadTeamName(MODERATED)
    return name
