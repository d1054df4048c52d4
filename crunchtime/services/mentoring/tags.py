"""Expertise tags as typed by people: "UX, Data ; pitch" -> ["data", "pitch", "ux"]."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from crunchtime.errors import InvalidInput

MAX_TAGS = 8
TAG_MAX_LENGTH = 30


def parse_tags(text: str | list[str] | None, field: str = "tags") -> list[str]:
    """Lower-cased, spaces collapsed, no duplicates, sorted; too many or too long refused."""
    parts = text if isinstance(text, list) else re.split(r"[,;\n]", text or "")
    tags = sorted({" ".join(part.split()).lower() for part in parts if part and part.strip()})
    if len(tags) > MAX_TAGS:
        raise InvalidInput(_("At most %(n)d expertise tags.", n=MAX_TAGS), field=field)
    for tag in tags:
        if len(tag) > TAG_MAX_LENGTH:
            raise InvalidInput(_("A tag has at most %(n)d characters: “%(tag)s” is too long.",
                                 n=TAG_MAX_LENGTH, tag=tag), field=field)
    return tags


def tags_text(tags: list[str]) -> str:
    return ", ".join(tags)


def matches(wanted: list[str], expertise: list[str]) -> bool:
    """A request matches a mentor when it wants no particular expertise or shares a tag."""
    return not wanted or bool(set(wanted) & set(expertise))
