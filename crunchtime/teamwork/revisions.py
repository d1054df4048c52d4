"""Submission snapshots compared field by field: what a save changed, and how a save that
started from an older version is merged without losing anyone's work (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TEXT_FIELDS = ("title", "pitch", "problem", "solution", "prototype", "user_tests")
LINK_FIELDS = ("repository", "video", "demo")
CONTENT_FIELDS = TEXT_FIELDS + LINK_FIELDS
FILES = "files"  # the pseudo-field recorded when a save adds or removes files

MERGE = "merge"
OVERRIDE = "override"
RESOLUTIONS = (MERGE, OVERRIDE)


@dataclass(frozen=True)
class FieldChange:
    """A field another member changed since the version this save started from."""

    field: str
    base: str
    theirs: str
    mine: str

    @property
    def both_changed(self) -> bool:
        """This member changed it too, to something else: merging keeps this member's text."""
        return self.mine not in (self.base, self.theirs)


@dataclass(frozen=True)
class SavePlan:
    values: dict[str, str] | None
    conflicts: tuple[FieldChange, ...] = ()

    @property
    def refused(self) -> bool:
        return self.values is None


def blank_snapshot() -> dict[str, str]:
    return dict.fromkeys(CONTENT_FIELDS, "")


def normalised(snapshot: Mapping[str, str | None]) -> dict[str, str]:
    """Every content field present, as text with Windows line ends made plain."""
    return {name: (snapshot.get(name) or "").replace("\r\n", "\n") for name in CONTENT_FIELDS}


def changed_fields(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    before, after = normalised(before), normalised(after)
    return [name for name in CONTENT_FIELDS if before[name] != after[name]]


def plan_save(
    base: Mapping[str, str], current: Mapping[str, str], mine: Mapping[str, str],
    resolution: str | None = None,
) -> SavePlan:
    """What to store when a member saves `mine`, started from `base`, over `current`.

    Nothing changed by others since `base`: store `mine`. Otherwise the member must choose,
    knowing what changed: OVERRIDE stores `mine` as is; MERGE keeps the others' changes on
    the fields this member left alone. Without a choice the plan lists the changes.
    """
    base, current, mine = normalised(base), normalised(current), normalised(mine)
    theirs = changed_fields(base, current)
    if not theirs or resolution == OVERRIDE:
        return SavePlan(mine)
    if resolution == MERGE:
        return SavePlan({name: mine[name] if mine[name] != base[name] else current[name]
                         for name in CONTENT_FIELDS})
    return SavePlan(None, tuple(
        FieldChange(name, base[name], current[name], mine[name]) for name in theirs))
