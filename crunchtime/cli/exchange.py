"""Imports and exports from the command line (DESIGN §4): `crunchtime import-students FILE`,
`crunchtime import-challenges FILE` (CSV, .xlsx or .ods, told by the content; all-or-nothing,
every broken row reported) and
`crunchtime export KIND FILE` (a CSV export of the current edition)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import contextmanager

import click
from flask.cli import with_appcontext

from crunchtime.cli.progress import ProgressBar, Steps
from crunchtime.errors import DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.exchange.exports import EXPORTS, write_export
from crunchtime.services.exchange.imports import ImportRejected, import_challenges, import_students
from crunchtime.services.exchange.words import problem_line


@contextmanager
def _target(path: str):
    """The file to write, opened without newline translation (the CSV writes CRLF)."""
    if path == "-":
        yield sys.stdout
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from error
    with handle:
        yield handle


@click.command("export")
@click.argument("kind")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--semicolon", is_flag=True,
              help="Separate the fields with “;” (Excel in French) instead of “,”.")
@with_appcontext
def export_command(kind: str, file: str, semicolon: bool) -> None:
    """Write the KIND export of the current edition to FILE ("-": standard output).

    KIND: students, teams, scores, results, incubation, attendance, schedule (or
    submissions).
    """
    if kind not in EXPORTS:
        raise click.ClickException(
            f"unknown export kind {kind!r}; choose one of: {', '.join(EXPORTS)}.")
    try:
        edition = require_current_edition()
        with _target(file) as target, Steps(1).step(f"Exporting {kind}"):
            rows = write_export(kind, edition, target, delimiter=";" if semicolon else ",")
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if file != "-":
        click.echo(f"{kind}: {rows} rows written to {file} ({edition.name}).")


@click.command("import-students")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_students_command(file) -> None:
    """Import the students file (CSV, .xlsx or .ods) into the current edition (all-or-nothing)."""
    with ProgressBar("Importing students") as progress:
        report = run_import(
            file, lambda edition, data, name: import_students(
                edition, data, None, progress, filename=name)
        )
    echo_summary(report)


@click.command("import-challenges")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_challenges_command(file) -> None:
    """Import the challenges file (CSV, .xlsx or .ods) into the current edition, approved."""
    with Steps(1).step("Importing challenges"):
        report = run_import(
            file, lambda edition, data, name: import_challenges(edition, data, None,
                                                                filename=name))
    echo_summary(report)


def run_import(file, do_import: Callable):
    """Run one import; on refusal print every broken row, then exit 1."""
    data = file.read()
    name = os.path.basename(getattr(file, "name", "") or "-")
    try:
        return do_import(require_current_edition(), data, name)
    except ImportRejected as rejected:
        for problem in rejected.report.problems:
            click.echo(problem_line(problem, rejected.report.from_spreadsheet), err=True)
        raise click.ClickException(rejected.message) from rejected
    except DomainError as error:
        raise click.ClickException(error.message) from error


def echo_summary(report) -> None:
    click.echo(
        f"{report.filename}: {report.rows} rows imported — {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged."
    )
    if report.kind == "students":
        click.echo(f"Invitations queued: {report.invitations} (see the outbox).")
    for label, names in (("New programmes added", report.new_programmes),
                         ("New skills added", report.new_skills),
                         ("New organisations added", report.new_organisations)):
        if names:
            click.echo(f"{label} ({len(names)}): {'; '.join(names)}")
