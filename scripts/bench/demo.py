"""Benchmark: build the demo edition into a fresh database.

python scripts/bench/demo.py [--students 1700] [--seed 2026] [--db sqlite|postgresql]
Last line: {"bench": "demo", "students": N, "db": ..., "generate_seconds": ...,
            "load_seconds": ..., "seconds": ..., "rows": ..., "rows_per_s": ...}
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid

import sqlalchemy as sa

POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def fresh_database(kind: str, workdir: str):
    """An empty database URL and a function that removes it."""
    if kind == "sqlite":
        return f"sqlite:///{workdir}/bench.db", lambda: None
    return postgres_database("ct_bench")


def postgres_database(prefix: str, template: str | None = None):
    """A new uniquely named PostgreSQL database (a copy of `template` if given): its URL and
    a function that drops it."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin.url.set(database=name).render_as_string(hide_password=False), drop


def count_rows(db) -> int:
    total = 0
    for table in db.metadata.sorted_tables:
        total += db.session.scalar(sa.select(sa.func.count()).select_from(table))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1700)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from crunchtime.app import create_app
    from crunchtime.demo.cohort import generate_cohort
    from crunchtime.extensions import db
    from crunchtime.services.demo.loader import load_demo

    with tempfile.TemporaryDirectory() as workdir:
        url, drop = fresh_database(args.db, workdir)
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                              "UPLOAD_DIR": f"{workdir}/uploads"})
            with app.app_context():
                upgrade(revision="heads")
                started = time.perf_counter()
                cohort = generate_cohort(students=args.students, seed=args.seed)
                generated = time.perf_counter()
                load_demo(cohort, edition_name="Bench", year=2026, password="bench-password-1")
                loaded = time.perf_counter()
                rows = count_rows(db)
                db.session.remove()
                db.engine.dispose()
        finally:
            drop()
    seconds = loaded - started
    print(json.dumps({
        "bench": "demo",
        "students": args.students,
        "db": args.db,
        "generate_seconds": round(generated - started, 3),
        "load_seconds": round(loaded - generated, 3),
        "seconds": round(seconds, 3),
        "rows": rows,
        "rows_per_s": round(rows / seconds),
    }))


if __name__ == "__main__":
    main()
