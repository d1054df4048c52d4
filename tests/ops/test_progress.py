"""The long commands show their progress on standard error, so that a script reading their
standard output (a CSV on "-", `match --json`) reads exactly what it did before."""

from __future__ import annotations

import csv
import io
import json

from tests import factories


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_an_export_to_standard_output_stays_a_clean_csv(app, db, edition):
    for _ in range(3):
        factories.student(edition)
    result = run(app, "export", "students", "-")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "[1/1] Exporting students…"
    assert result.stderr.splitlines()[1].startswith("[1/1] done in ")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert len(rows) == 4 and "email" in rows[0]


def test_demo_and_match_report_progress_apart_from_their_output(app, db):
    demo = run(app, "demo", "--students", "40", "--seed", "3")
    assert demo.exit_code == 0, demo.output
    assert "Building the demo edition (registration)" in demo.stderr
    assert "Building the demo edition" not in demo.stdout
    assert demo.stdout.startswith("Demo edition built: 40 students")

    assert run(app, "phase", "matching", "--confirm").exit_code == 0
    match = run(app, "match", "--json")
    assert match.exit_code == 0, match.output
    assert "[1/1] Running the matching model…" in match.stderr
    assert json.loads(match.stdout)["status"] == "preview"
