"""`crunchtime purge [--dry-run] [--years N]`: the retention rule of the privacy notice."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from crunchtime.services.privacy.retention import purge_expired, retention_years


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised.")
@click.option("--years", type=click.IntRange(0, 100), default=None,
              help="Retention period in years (default: RETENTION_YEARS, else 3).")
@with_appcontext
def purge_command(dry_run: bool, years: int | None) -> None:
    """Anonymise the students of editions closed more than N years ago."""
    years = retention_years() if years is None else years
    lines = purge_expired(years, dry_run=dry_run)
    if not lines:
        click.echo(f"Nothing to anonymise: no edition closed more than {years} years ago "
                   "still holds named students.")
        return
    verb = "would be anonymised" if dry_run else "anonymised"
    for line in lines:
        click.echo(f"{line.edition.name} (closed {line.closed_at:%Y-%m-%d}): "
                   f"{line.students} students {verb}.")
    total = sum(line.students for line in lines)
    click.echo(f"{'Dry run: ' if dry_run else ''}{total} students {verb} in total.")
