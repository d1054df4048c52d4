"""`crunchtime new-edition NAME [--year Y]`: an edition, made the current one;
`crunchtime phase PHASE`: the current edition moved, with the checks of the Phases page."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from crunchtime.cli import fail
from crunchtime.errors import DomainError
from crunchtime.phases import PHASES
from crunchtime.services.accounts.registration import find_user
from crunchtime.services.editions.current import create_edition, require_current_edition
from crunchtime.services.editions.phases import change_phase, closes_judging, phase_guard
from crunchtime.services.judging.words import readiness_gaps


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


def _organizer(email: str | None):
    """The organiser named by --as (audited as the actor), or None: the command line."""
    if email is None:
        return None
    user = find_user(email)
    if user is None or user.role != "organizer" or not user.active:
        fail(f"--as {email}: no active organiser account has this e-mail address.")
    return user


def _echo_guard(edition, guard, new_phase: str) -> int:
    """What the Phases page states before a move; the teams not fully judged."""
    click.echo(f"Edition “{edition.name}”: {edition.phase} → {new_phase}.")
    not_judged = 0
    for readiness in guard.open_rounds:
        not_judged += readiness.teams_not_fully_judged
        click.echo(
            f"Round {readiness.number} “{readiness.name}” is still open: "
            f"scores recorded {readiness.recorded_scores} of {readiness.expected_scores}; "
            f"teams fully judged {readiness.teams_fully_judged} of {readiness.teams}; "
            f"teams ranked on a single jury's score {readiness.teams_single_jury}; "
            f"jury members who have not finished {readiness.juries_unfinished} of "
            f"{readiness.juries}.")
        for gap in readiness_gaps(readiness):
            click.echo(f"  - {gap}")
    if edition.phase == "judging" and not guard.results_published:
        click.echo("The results are not published yet: until you publish them, students and "
                   "companies read “not published yet” on the results page.")
    return not_judged


def interactive() -> bool:
    """A person at a terminal, who can answer the question."""
    return sys.stdin.isatty()


def _confirmed(confirm: bool) -> None:
    if confirm:
        return
    if not interactive():
        fail("Add --confirm: changing the phase changes what every participant can do "
             "right now.")
    click.confirm("This changes what every participant can do right now. Go ahead?",
                  abort=True, err=True)


@click.command("phase")
@click.argument("phase")
@click.option("--confirm", is_flag=True,
              help="Confirm the change (asked on a terminal otherwise, refused in a script).")
@click.option("--close-open-rounds", is_flag=True,
              help="Past judging: close the judging rounds still open, in the same step.")
@click.option("--as", "actor_email", metavar="EMAIL", default=None,
              help="The organiser recorded in the audit log (default: the command line).")
@with_appcontext
def phase_command(phase: str, confirm: bool, close_open_rounds: bool,
                  actor_email: str | None) -> None:
    """Move the current edition to PHASE (audited, with the checks of the Phases page)."""
    if phase not in PHASES:
        fail(f"Unknown phase “{phase}”. The phases are: {', '.join(PHASES)}.")
    with force_locale("en"):
        try:
            edition = require_current_edition()
            actor = _organizer(actor_email)
            guard = phase_guard(edition)
        except DomainError as error:
            fail(error.message)
        old_phase = edition.phase
        not_judged = _echo_guard(edition, guard, phase)
        if closes_judging(phase) and guard.open_rounds and not close_open_rounds:
            rounds = len(guard.open_rounds)
            fail(f"{rounds} judging round{'s' if rounds > 1 else ''} still open "
                 f"({not_judged} team{'s' if not_judged != 1 else ''} not fully judged): "
                 "add --close-open-rounds to close them in the same step, or close them on "
                 "their page first.")
        _confirmed(confirm)
        try:
            change_phase(edition, phase, actor, close_open_rounds=close_open_rounds)
        except DomainError as error:
            fail(error.message)
    rounds = len(guard.open_rounds) if close_open_rounds and closes_judging(phase) else 0
    closed = f"; {rounds} open round{'s' if rounds > 1 else ''} closed" if rounds else ""
    click.echo(f"Edition “{edition.name}” moved from {old_phase} to {phase}{closed}; "
               "recorded in the audit log.")
