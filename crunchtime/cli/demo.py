"""`crunchtime demo` builds a synthetic edition up to a stage; `crunchtime demo-logins` prints
its accounts."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from crunchtime.cli import fail
from crunchtime.cli.progress import ProgressBar
from crunchtime.database import is_empty
from crunchtime.errors import DomainError
from crunchtime.services.demo.edition import DEMO_PASSWORD, build_demo_edition, demo_logins


@click.command("demo")
@click.option("--students", type=click.IntRange(1, 100_000), default=1700, show_default=True)
@click.option("--challenges", type=click.IntRange(1, 1000), default=None,
              help="Default: one per 28 students.")
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--stage", type=click.Choice(["registration", "matched", "judging", "results"]),
              default="registration", show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing if the database has an edition.")
@with_appcontext
def demo_command(
    students: int, challenges: int | None, seed: int, stage: str, if_empty: bool
) -> None:
    """Build a complete synthetic edition (seeded, deterministic) and print its logins."""
    if if_empty and not is_empty():
        click.echo("The database already holds an edition: demo not loaded.")
        logins = demo_logins()
        if logins:
            echo_logins(logins, DEMO_PASSWORD)
        return

    started = time.perf_counter()
    try:
        with ProgressBar(f"Building the demo edition ({stage})") as progress:
            accounts = build_demo_edition(students, challenges, seed, stage, DEMO_PASSWORD,
                                          progress)
    except DomainError as error:
        fail(error.message)
    elapsed = time.perf_counter() - started
    click.echo(f"Demo edition built: {students} students in {elapsed:.1f} s.")
    echo_logins(accounts, DEMO_PASSWORD)


@click.command("demo-logins")
@with_appcontext
def demo_logins_command() -> None:
    """Print the demo accounts of the current edition, if it is a demo."""
    accounts = demo_logins()
    if not accounts:
        fail("The current edition is not a demo edition (or there is none).")
    echo_logins(accounts, DEMO_PASSWORD)


def echo_logins(accounts: list[tuple[str, str]], password: str) -> None:
    click.echo(f"Demo logins (password for all: {password}):")
    for role, email in accounts:
        click.echo(f"  {role:<10} {email}")
