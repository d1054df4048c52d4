"""Benchmark: import the registrar's students file (demo generator) into a fresh database.

python scripts/bench/import_students.py [--rows 1700] [--seed 2026] [--db sqlite|postgresql]
The challenges are imported first (not timed); then the students file is imported (timed:
`seconds`), and imported again, which must change nothing (`reimport_seconds`).
Last line: {"bench": "import_students", "rows": N, "seconds": ..., "rows_per_s": ..., ...}
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import tempfile
import time
from pathlib import Path


def sibling(name: str):
    """A module of scripts/bench/ (they are scripts, not a package)."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def csv_bytes(write, cohort) -> bytes:
    buffer = io.StringIO()
    write(cohort, buffer)
    return buffer.getvalue().encode("utf-8")


def prepare_edition(challenges_csv: bytes):
    """A current edition in the registration phase holding the cohort's challenges."""
    from crunchtime.extensions import db
    from crunchtime.services.editions.current import create_edition
    from crunchtime.services.exchange.imports import import_challenges

    edition = create_edition("Bench import", 2026)
    edition.phase = "registration"
    db.session.commit()
    import_challenges(edition, challenges_csv, None, filename="challenges.csv")
    return edition


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def measure(url: str, workdir: str, cohort) -> tuple:
    """(first report, its seconds, re-import report, its seconds) on the database at `url`."""
    from flask_migrate import upgrade

    from crunchtime.app import create_app
    from crunchtime.demo.csvfiles import write_challenges_csv, write_students_csv
    from crunchtime.extensions import db
    from crunchtime.services.exchange.imports import import_students

    students_csv = csv_bytes(write_students_csv, cohort)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "UPLOAD_DIR": f"{workdir}/uploads", "MAIL_SERVER": None})
    with app.app_context():
        upgrade(revision="heads")
        edition = prepare_edition(csv_bytes(write_challenges_csv, cohort))
        first, seconds = timed(import_students, edition, students_csv, None,
                               filename="students.csv")
        again, reimport_seconds = timed(import_students, edition, students_csv, None,
                                        filename="students.csv")
        db.session.remove()
        db.engine.dispose()
    return first, seconds, again, reimport_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1700)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()

    from crunchtime.demo.cohort import generate_cohort

    cohort = generate_cohort(students=args.rows, seed=args.seed)
    with tempfile.TemporaryDirectory() as workdir:
        url, drop = sibling("demo").fresh_database(args.db, workdir)
        try:
            first, seconds, again, reimport_seconds = measure(url, workdir, cohort)
        finally:
            drop()
    assert (first.created, again.created, again.updated) == (args.rows, 0, 0), (first, again)
    print(json.dumps({
        "bench": "import_students",
        "rows": args.rows,
        "db": args.db,
        "seconds": round(seconds, 3),
        "rows_per_s": round(args.rows / seconds),
        "reimport_seconds": round(reimport_seconds, 3),
        "created": first.created,
        "invitations": first.invitations,
        "reimport_unchanged": again.unchanged,
    }))


if __name__ == "__main__":
    main()
