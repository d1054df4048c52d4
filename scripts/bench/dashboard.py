"""Benchmark: the organisers' dashboard of the 1,700-student demo edition, server side.

python scripts/bench/dashboard.py [--students 1700] [--requests 40] [--seed 2026]
                                  [--stage results] [--db sqlite|postgresql]
Builds the demo edition into a fresh database (with `--stage results`: teams, scores,
projects, a decided past edition and flags), then times in-process (WSGI call to full
response body: server time, no network) the two requests the dashboard is made of: the page
GET /organizer/ and its charts, GET /organizer/cockpit/panels (fetched by the page's script
and on live updates; /organizer/cockpit/ only redirects there), and counts their queries.
The budget applies to each; ratio_panels_to_page compares the two in the same run.
Last line: {"bench": "dashboard", "students": N, "p50_ms": …, "p95_ms": …, "queries": …, …}
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo import fresh_database  # scripts/bench/demo.py

BUDGET_MS = 300


def timed_requests(client, path: str, count: int) -> list[float]:
    """Milliseconds per request, body included; after one warm-up request."""
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def count_queries(engine, client, path: str) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(path).get_data()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def build(args, url: str, workdir: str):
    from flask_migrate import upgrade

    from crunchtime.app import create_app
    from crunchtime.extensions import db
    from crunchtime.services.demo.edition import DEMO_PASSWORD, build_demo_edition

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "UPLOAD_DIR": f"{workdir}/uploads", "RATELIMIT_ENABLED": False,
                      "ANNOUNCEMENT_SCHEDULER": False})
    with app.app_context():
        upgrade(revision="heads")
        started = time.perf_counter()
        build_demo_edition(args.students, None, args.seed, args.stage, DEMO_PASSWORD)
        seconds = time.perf_counter() - started
        db.session.remove()
    return app, seconds


def measure(app, args) -> dict:
    from crunchtime.extensions import db
    from crunchtime.models import User

    with app.app_context():
        organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = organizer.get_id()
        page = timed_requests(client, "/organizer/", args.requests)
        panels = timed_requests(client, "/organizer/cockpit/panels", args.requests)
        queries = count_queries(db.engine, client, "/organizer/")
        panel_queries = count_queries(db.engine, client, "/organizer/cockpit/panels")
        db.session.remove()
        db.engine.dispose()
    p50 = statistics.median(page)
    worst = max(percentile(page, 0.95), percentile(panels, 0.95))
    return {"p50_ms": round(p50, 1), "p95_ms": round(percentile(page, 0.95), 1),
            "max_ms": round(max(page), 1), "queries": queries,
            "panels_p50_ms": round(statistics.median(panels), 1),
            "panels_p95_ms": round(percentile(panels, 0.95), 1),
            "panels_queries": panel_queries,
            "ratio_panels_to_page": round(statistics.median(panels) / p50, 2),
            "budget_ms": BUDGET_MS, "within_budget": worst < BUDGET_MS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1700)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--stage", default="results",
                        choices=("registration", "matched", "judging", "results"))
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    os.environ.setdefault("CRUNCHTIME_ENV", "development")
    with tempfile.TemporaryDirectory() as workdir:
        url, drop = fresh_database(args.db, workdir)
        try:
            app, build_seconds = build(args, url, workdir)
            figures = measure(app, args)
        finally:
            drop()
    print(json.dumps({"bench": "dashboard", "students": args.students, "db": args.db,
                      "stage": args.stage, "requests": args.requests,
                      "build_seconds": round(build_seconds, 1), **figures}))


if __name__ == "__main__":
    main()
