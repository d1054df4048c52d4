"""ASCII e-mail addresses from French (and other) names, unique within a domain."""

from __future__ import annotations

import re
import unicodedata

_NON_DECOMPOSING = str.maketrans(
    {"đ": "d", "Đ": "D", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
     "æ": "ae", "œ": "oe", "Œ": "OE", "ß": "ss"}
)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: usable in e-mail addresses and host names."""
    plain = unicodedata.normalize("NFKD", text.translate(_NON_DECOMPOSING))
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


class EmailBook:
    """Hands out `prenom.nom@domain`, numbering homonyms so that every address is unique."""

    def __init__(self, domain: str):
        self.domain = domain
        self.seen: dict[str, int] = {}

    def allocate(self, first_name: str, last_name: str) -> str:
        local = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
        count = self.seen.get(local, 0) + 1
        self.seen[local] = count
        suffix = "" if count == 1 else str(count)
        return f"{local}{suffix}@{self.domain}"
