"""Bulk writing helpers shared by the importers: edition vocabularies and multi-row updates."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from crunchtime.database import insert_rows
from crunchtime.extensions import db
from crunchtime.text import search_text

__all__ = ["ensure_names", "insert_rows", "update_rows", "vocabulary_key"]


def vocabulary_key(name: str) -> str:
    """Programme and skill names match whatever their case, accents or spacing."""
    return search_text(name)


def ensure_names(model, edition_id: int, names: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    """Ids of an edition vocabulary (Programme, Skill) by `vocabulary_key`, adding the names
    it lacks (as first spelled); returns the ids and the names added."""
    ids = {
        vocabulary_key(name): row_id
        for row_id, name in db.session.execute(
            sa.select(model.id, model.name).where(model.edition_id == edition_id)
        )
    }
    missing: dict[str, str] = {}
    for name in names:
        key = vocabulary_key(name)
        if key not in ids and key not in missing:
            missing[key] = name
    rows = [{"edition_id": edition_id, "name": name} for name in missing.values()]
    for row_id, name in insert_rows(model, rows, model.id, model.name):
        ids[vocabulary_key(name)] = row_id
    return ids, list(missing.values())


def update_rows(model, rows: list[dict]) -> None:
    """One executemany UPDATE by primary key (each dict holds `id` and the new values)."""
    if rows:
        db.session.execute(sa.update(model), rows)


def delete_where_in(table, column, ids: list[int]) -> None:
    if ids:
        db.session.execute(sa.delete(table).where(column.in_(ids)))
