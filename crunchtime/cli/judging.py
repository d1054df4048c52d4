"""`crunchtime assign-juries`: the round's jury assignment from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from crunchtime.cli.progress import Steps
from crunchtime.errors import DomainError
from crunchtime.services.accounts.jury_profiles import jury_names
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.judging.assignment import apply_assignment, propose_assignment
from crunchtime.services.judging.assignment_report import plan_warnings
from crunchtime.services.judging.rounds import edition_rounds, first_round


def _round(edition, number: int | None):
    if number is None:
        judging_round = first_round(edition)
    else:
        judging_round = next((r for r in edition_rounds(edition) if r.number == number), None)
    if judging_round is None:
        raise click.ClickException(
            "No such judging round in the current edition: create it on the Judging page first."
            if number is not None else
            "The current edition has no judging round yet: create round 1 on the Judging page.")
    return judging_round


def _echo_plan(plan, judging_round, names: dict[int, str]) -> None:
    loads = [load for jury, load in plan.loads.items() if jury not in plan.unassignable_juries]
    click.echo(f"Round {judging_round.number} ({judging_round.name}): {len(plan.pairs)} pairs, "
               f"{judging_round.juries_per_team} juries wanted per team.")
    if loads:
        click.echo(f"Loads per jury: {min(loads)} to {max(loads)} (spread {plan.load_spread}); "
                   f"connected groups: {plan.components}; swaps {plan.swaps}, "
                   f"bridges {plan.bridges}.")
    for warning in plan_warnings(plan, judging_round.juries_per_team, names):
        click.echo(f"Warning: {warning}", err=True)


@click.command("assign-juries")
@click.option("--round", "number", type=int, default=None,
              help="Round number (default: round 1, the per-challenge round).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Breaks ties between equally good juries; same seed, same assignment.")
@click.option("--dry-run", is_flag=True, help="Show the assignment without saving it.")
@with_appcontext
def assign_juries_command(number: int | None, seed: int, dry_run: bool) -> None:
    """Assign juries to the teams of a round (pairs already made are kept)."""
    with force_locale("en"):
        try:
            edition = require_current_edition()
            judging_round = _round(edition, number)
            with Steps(1).step("Proposing the assignment" if dry_run
                               else "Assigning the juries"):
                if dry_run:
                    plan = propose_assignment(judging_round, seed)
                else:
                    outcome = apply_assignment(None, judging_round, seed)
                    plan = outcome.plan
        except DomainError as error:
            raise click.ClickException(error.message) from error
        _echo_plan(plan, judging_round, jury_names(edition))
        if dry_run:
            click.echo("Dry run: nothing saved.")
        else:
            click.echo(f"{outcome.created} assignments added, {outcome.removed} removed "
                       "(conflicts of interest); recorded in the audit log.")
