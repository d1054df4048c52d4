"""`crunchtime attestations OUTDIR`: every student's attestation of participation as a PDF."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from crunchtime.cli.progress import ProgressBar
from crunchtime.errors import DomainError
from crunchtime.i18n import LANGUAGES
from crunchtime.services.attestations.batch import write_attestations
from crunchtime.services.editions.current import require_current_edition


@click.command("attestations")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--locale", type=click.Choice(sorted(LANGUAGES)), default=None,
              help="Language of every PDF (default: each student's own language, else French).")
@with_appcontext
def attestations_command(outdir: Path, locale: str | None) -> None:
    """Write one PDF attestation per student of the current edition into OUTDIR (named by
    e-mail); students without a team are listed as skipped."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"cannot create {outdir}: {error.strerror}") from error
    started = time.perf_counter()
    with force_locale("en"):
        try:
            edition = require_current_edition()
            with ProgressBar("Writing attestations") as bar:
                report = write_attestations(edition, outdir, locale=locale, progress=bar)
        except DomainError as error:
            raise click.ClickException(error.message) from error
        except OSError as error:
            raise click.ClickException(f"cannot write in {outdir}: {error.strerror}") from error
    for email in report.skipped:
        click.echo(f"Skipped {email}: not in a team.", err=True)
    click.echo(f"{edition.name}: {len(report.written)} attestations written to {outdir}, "
               f"{len(report.skipped)} students skipped (no team), "
               f"in {time.perf_counter() - started:.1f} s.")
