"""`crunchtime export KIND FILE` (DESIGN §4): a CSV export of the current edition. AREA_COMMANDS
also carries `crunchtime purge` (cli_privacy.py), so that cli.py registers both at once."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click
from flask.cli import with_appcontext

from crunchtime.cli.privacy import purge_command
from crunchtime.errors import DomainError


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

    KIND: students, teams, scores, results, incubation (or submissions).
    """
    from crunchtime.services.editions.current import require_current_edition
    from crunchtime.services.exchange.exports import EXPORTS, write_export

    if kind not in EXPORTS:
        raise click.ClickException(
            f"unknown export kind {kind!r}; choose one of: {', '.join(EXPORTS)}.")
    try:
        edition = require_current_edition()
        with _target(file) as target:
            rows = write_export(kind, edition, target, delimiter=";" if semicolon else ",")
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if file != "-":
        click.echo(f"{kind}: {rows} rows written to {file} ({edition.name}).")


AREA_COMMANDS = (export_command, purge_command)
