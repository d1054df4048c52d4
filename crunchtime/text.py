"""Text helpers shared by search, passwords and imports (pure, no Flask)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase without accents, so that "Énergie" and "energie" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def squash_spaces(text: str) -> str:
    return " ".join(text.split())


def search_text(*parts: str) -> str:
    """What catalogue searches match against: the parts folded and joined."""
    return fold(squash_spaces(" ".join(part for part in parts if part)))
