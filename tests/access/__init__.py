"""The access matrix, one module per area (see core.py for the format)."""

from __future__ import annotations

import importlib
import pkgutil


def area_modules():
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name != "common"
    ]


def all_entries() -> dict:
    entries = {}
    for module in area_modules():
        overlap = entries.keys() & module.ENTRIES.keys()
        assert not overlap, f"{module.__name__} repeats {overlap}"
        entries.update(module.ENTRIES)
    return entries


def matrix_world(db, edition) -> tuple[dict, dict]:
    """One account per role and the values that fill every entry's path with real ids."""
    from tests import factories

    users = {
        "anonymous": None,
        "student": factories.student(edition),
        "company": factories.company_user(),
        "jury": factories.jury(edition),
        "organizer": factories.organizer(),
    }
    values = {"edition_id": edition.id}
    for module in area_modules():
        if hasattr(module, "url_values"):
            values.update(module.url_values(db, users))
    return users, values
