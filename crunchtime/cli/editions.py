"""`crunchtime new-edition NAME [--year Y]`: an edition, made the current one."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from crunchtime.cli import fail
from crunchtime.errors import DomainError
from crunchtime.services.editions.current import create_edition


@click.command("new-edition")
@click.argument("name")
@click.option("--year", type=int, default=lambda: date.today().year, show_default="this year")
@with_appcontext
def new_edition_command(name: str, year: int) -> None:
    """Create an edition and make it the current one."""
    try:
        edition = create_edition(name, year)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Edition “{edition.name}” ({edition.year}) created; it is now current.")
