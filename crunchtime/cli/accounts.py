"""`crunchtime create-organizer EMAIL`: an organiser account, with a link to set its password."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from crunchtime.cli import fail
from crunchtime.errors import DomainError
from crunchtime.services.accounts.registration import create_organizer


@click.command("create-organizer")
@click.argument("email")
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input."
)
@with_appcontext
def create_organizer_command(email, first_name, last_name, password_stdin) -> None:
    """Create an organiser account; prints a link to set its password."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user, link = create_organizer(email, first_name, last_name, password)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Organiser {user.email} created.")
    if link:
        click.echo(f"Set the password within 14 days at: {link}")
