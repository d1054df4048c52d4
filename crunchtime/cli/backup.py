"""`crunchtime backup FILE` and `crunchtime restore FILE [--force]` (README: "Backup and
restore"): the database and the uploaded files, in one archive checked on the way back."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from crunchtime.cli import fail
from crunchtime.cli.progress import StageBars
from crunchtime.errors import DomainError
from crunchtime.services.operations.backup import take_backup
from crunchtime.services.operations.restore import restore_backup

BACKUP_STAGES = {"database": "Copying the database", "files": "Archiving the files"}
RESTORE_STAGES = {"files": "Checking the archive", "database": "Restoring the database",
                  "verify": "Verifying the files"}


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent backup of the database and the uploaded files to FILE (a tar
    archive; an existing FILE is replaced only once the new one is complete)."""
    try:
        with StageBars(BACKUP_STAGES) as progress:
            summary = take_backup(file, progress)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Backup written to {summary.path}: {summary.database} database, "
               f"{counted(summary.rows, 'row')}, {counted(summary.files, 'file')}, "
               f"{summary.bytes / 1024 / 1024:.1f} MB.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace the content of a database or upload folder that is not empty.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore the backup FILE onto an empty database and upload folder, then verify every
    table's rows and every file's sha256 against the backup's manifest."""
    try:
        with StageBars(RESTORE_STAGES) as progress:
            summary = restore_backup(file, force=force, progress=progress)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Restored the backup of {summary.created_at}: {summary.database} database, "
               f"{counted(summary.rows, 'row')}, {counted(summary.files, 'file')}; every table "
               "and file verified.")


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
