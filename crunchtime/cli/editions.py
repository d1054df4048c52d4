"""The `crunchtime` command: the Flask CLI with the app preset, plus our own commands."""

from __future__ import annotations

import sys
import time
from datetime import date

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from crunchtime.errors import DomainError


def fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("new-edition")
@click.argument("name")
@click.option("--year", type=int, default=lambda: date.today().year, show_default="this year")
@with_appcontext
def new_edition_command(name: str, year: int) -> None:
    """Create an edition and make it the current one."""
    from crunchtime.services.editions.current import create_edition

    try:
        edition = create_edition(name, year)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Edition “{edition.name}” ({edition.year}) created; it is now current.")


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
    from crunchtime.services.accounts.registration import create_organizer

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user, link = create_organizer(email, first_name, last_name, password)
    except DomainError as error:
        fail(error.message)
    click.echo(f"Organiser {user.email} created.")
    if link:
        click.echo(f"Set the password within 14 days at: {link}")


DEMO_PASSWORD = "crunch-time-demo"  # noqa: S105 -- printed to every demo user


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
    from crunchtime.database import is_empty
    from crunchtime.services.demo.edition import build_demo_edition, demo_logins

    if if_empty and not is_empty():
        click.echo("The database already holds an edition: demo not loaded.")
        logins = demo_logins()
        if logins:
            echo_logins(logins, DEMO_PASSWORD)
        return

    started = time.perf_counter()
    try:
        accounts = build_demo_edition(students, challenges, seed, stage, DEMO_PASSWORD)
    except DomainError as error:
        fail(error.message)
    elapsed = time.perf_counter() - started
    click.echo(f"Demo edition built: {students} students in {elapsed:.1f} s.")
    echo_logins(accounts, DEMO_PASSWORD)


@click.command("demo-logins")
@with_appcontext
def demo_logins_command() -> None:
    """Print the demo accounts of the current edition, if it is a demo."""
    from crunchtime.services.demo.edition import demo_logins

    accounts = demo_logins()
    if not accounts:
        fail("The current edition is not a demo edition (or there is none).")
    echo_logins(accounts, DEMO_PASSWORD)


def echo_logins(accounts: list[tuple[str, str]], password: str) -> None:
    click.echo(f"Demo logins (password for all: {password}):")
    for role, email in accounts:
        click.echo(f"  {role:<10} {email}")


def register_cli(app: Flask) -> None:
    from crunchtime.cli.exchange import AREA_COMMANDS as export_and_purge_commands
    from crunchtime.cli.imports import import_challenges_command, import_students_command
    from crunchtime.cli.judging import assign_juries_command
    from crunchtime.cli.matching import match_command

    for command in (new_edition_command, create_organizer_command, demo_command,
                    demo_logins_command, import_students_command, import_challenges_command,
                    assign_juries_command, match_command, *export_and_purge_commands):
        app.cli.add_command(command)


def main() -> None:
    from crunchtime.app import create_app
    from crunchtime.config import ConfigError

    cli = FlaskGroup(create_app=create_app, help="Crunch Time command line.")
    try:
        cli.main(prog_name="crunchtime")
    except ConfigError as error:
        sys.exit(f"crunchtime: {error}")
