"""Finding a student in free text, to erase them from what stays after anonymisation: their
name (either order, whatever the case and accents), their e-mail address, inside texts, file
names, links and the values of JSON documents. Over-erasing a word that happens to be a name
is the safe side."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crunchtime.text import fold

ERASED = "[…]"
# File names and links join words with these: matched as spaces (same length, same spans).
_JOINERS = str.maketrans({"_": " ", "-": " ", ".": " ", "/": " ", "+": " ", "~": " "})


def _words(first_name: str, last_name: str) -> list[str]:
    return [fold(part.strip()) for part in (first_name, last_name) if len(part.strip()) >= 2]


def name_pattern(first_name: str, last_name: str) -> re.Pattern | None:
    """The student's full name (either order), last name or first name (a name of one or two
    letters only within the full name)."""
    words = _words(first_name, last_name)
    if not words:
        return None
    alternatives = [r"\s+".join(map(re.escape, words)), r"\s+".join(map(re.escape, words[::-1]))]
    alternatives += [re.escape(fold(part.strip())) for part in (last_name, first_name)
                     if len(part.strip()) >= 3]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def full_name_pattern(first_name: str, last_name: str) -> re.Pattern | None:
    """Only the first and last names together: for texts about everyone (an announcement to
    the whole edition), where a lone first name is most likely somebody else's."""
    words = _words(first_name, last_name)
    if len(words) < 2:
        return None
    return re.compile(r"\b(?:" + r"\s+".join(map(re.escape, words)) + "|"
                      + r"\s+".join(map(re.escape, words[::-1])) + r")\b")


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the character of
    `text` it comes from (folding "…" or "œ" gives several characters, an accent none)."""
    pieces, origins = [], []
    for index, char in enumerate(text):
        folded = fold(char)
        pieces.append(folded)
        origins += [index] * len(folded)
    return "".join(pieces), origins


def scrub(text: str, pattern: re.Pattern | None, joiners: bool = False) -> str:
    """Replace the name in `text`, matching on a folded copy of it; with `joiners`, words
    joined by `_`, `-`, `.` (a file name, a link) count as separate."""
    if not text or pattern is None:
        return text
    folded, origins = _folded(text.translate(_JOINERS) if joiners else text)
    spans = [(origins[match.start()], origins[match.end() - 1] + 1)
             for match in pattern.finditer(folded) if match.end() > match.start()]
    for start, end in reversed(spans):
        text = text[:start] + ERASED + text[end:]
    return text


@dataclass(frozen=True)
class Person:
    """What identifies a student in what others wrote: the name patterns, the address, and the
    folded words a link may hide them in."""

    pattern: re.Pattern | None
    full_name: re.Pattern | None
    email: str
    first: str
    last: str
    local_part: str

    @classmethod
    def of(cls, first_name: str, last_name: str, email: str) -> Person:
        local = re.sub(r"[^a-z0-9]", "", fold(email.split("@")[0])) if email else ""
        return cls(name_pattern(first_name, last_name), full_name_pattern(first_name, last_name),
                   email.lower(), re.sub(r"[^a-z0-9]", "", fold(first_name)),
                   re.sub(r"[^a-z0-9]", "", fold(last_name)), local)

    def without_email(self, text: str) -> str:
        if not text or not self.email:
            return text
        return re.sub(re.escape(self.email), ERASED, text, flags=re.IGNORECASE)

    def erase(self, text: str) -> str:
        """The text without the student's address and name (any of them)."""
        return scrub(self.without_email(text), self.pattern)

    def erase_full_name(self, text: str) -> str:
        return scrub(self.without_email(text), self.full_name)

    def erase_in_file_name(self, name: str) -> str:
        """`cv_lea-moreau.pdf` -> `cv_[…].pdf`: words joined by `_`, `-` or `.` count."""
        return scrub(self.without_email(name), self.pattern, joiners=True)

    def is_in_link(self, link: str) -> bool:
        """A link that names the student (`github.com/lmoreau`, `lea-moreau.fr`,
        `leamoreau.dev`): their last name or address inside one of its words, their first
        name as a word, or both names run together."""
        words = [part for part in re.split(r"[^a-z0-9]+", fold(link or "")) if part]
        inside = [word for word in (self.last, self.local_part, self.first + self.last,
                                    self.last + self.first) if len(word) >= 3]
        return any(word in part for part in words for word in inside) or (
            len(self.first) >= 2 and self.first in words)

    def erase_in_value(self, value):
        """A JSON value with every string erased (keys kept)."""
        if isinstance(value, str):
            return self.erase(value)
        if isinstance(value, list):
            return [self.erase_in_value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.erase_in_value(item) for key, item in value.items()}
        return value
