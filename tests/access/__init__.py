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
