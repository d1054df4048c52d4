"""`crunchtime reset-second-factor EMAIL`: removes an account's second factor from the server's
console, for the day the only organiser has lost both their phone and their recovery codes."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from crunchtime.cli import fail
from crunchtime.errors import DomainError
from crunchtime.services.accounts.second_factor import reset_second_factor_from_console


@click.command("reset-second-factor")
@click.argument("email")
@with_appcontext
def reset_second_factor_command(email) -> None:
    """Remove the account's two-step verification (audited); its next login asks for the
    password, then for a new set-up if ORGANIZER_2FA=required applies to it."""
    try:
        user = reset_second_factor_from_console(email)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Second factor of {user.email} removed.")
