"""Per-connection database settings (SQLite: WAL, busy timeout, foreign keys)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from crunchtime.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not sa.event.contains(
            engine, "connect", _configure_sqlite_connection
        ):
            sa.event.listen(engine, "connect", _configure_sqlite_connection)


def is_empty() -> bool:
    """True when the database has no edition yet (a fresh install)."""
    from crunchtime.models import Edition

    return db.session.scalar(sa.select(sa.func.count(Edition.id))) == 0


def insert_rows(target, rows: list[dict], *returning) -> list[sa.Row]:
    """One executemany INSERT (nothing at all for no rows), with the `returning` columns."""
    if not rows:
        return []
    statement = sa.insert(target).returning(*returning) if returning else sa.insert(target)
    # NULLs rendered, so that rows with and without a value share one batched statement.
    result = db.session.execute(statement, rows, execution_options={"render_nulls": True})
    return result.all() if returning else []
