"""`crunchtime match`: run the matching from the command line, optionally publish it."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from crunchtime.cli.progress import Steps
from crunchtime.errors import DomainError
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.matching.publication import publish_run
from crunchtime.services.matching.runs import start_run
from crunchtime.services.matching.settings import check_team_settings, edition_team_settings


def _cap(value: str | None, current: int | None) -> int | None:
    """--diversity-cap: a number, or "none" for no cap; absent keeps the edition's."""
    if value is None:
        return current
    if value.strip().lower() in ("none", "0"):
        return None
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter("a number, or 'none' for no cap") from None


def _run_settings(min_size: int | None, max_size: int | None, cap: str | None):
    """The edition's team settings, with this command's options over them (validated)."""
    current = edition_team_settings(require_current_edition())
    return check_team_settings(
        current.size_min if min_size is None else min_size,
        current.size_max if max_size is None else max_size,
        _cap(cap, current.diversity_cap))


@click.command("match")
@click.option("--publish", is_flag=True, help="Publish the teams of this run.")
@click.option("--replace", is_flag=True, help="With --publish: replace teams already published.")
@click.option("--leave-unplaced", is_flag=True,
              help="With --publish: publish even though some students get no team.")
@click.option("--leave-out-incomplete", is_flag=True,
              help="Leave out students with an incomplete profile or no wishes (default: "
                   "placed by fit). Students without consent are never placed.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's metrics as JSON.")
@click.option("--min-size", type=int, default=None,
              help="Smallest team for this run (2-10; default: the edition's setting).")
@click.option("--max-size", type=int, default=None,
              help="Largest team for this run (2-10; default: the edition's setting).")
@click.option("--diversity-cap", default=None, metavar="N|none",
              help="At most N students of one programme per team, or 'none' "
                   "(default: the edition's setting).")
@with_appcontext
def match_command(publish: bool, replace: bool, leave_unplaced: bool,
                  leave_out_incomplete: bool, as_json: bool, min_size: int | None,
                  max_size: int | None, diversity_cap: str | None) -> None:
    """Run the matching model on the current edition (a preview unless --publish)."""
    steps, summary = Steps(2 if publish else 1), None
    try:
        settings = _run_settings(min_size, max_size, diversity_cap)
        with steps.step("Running the matching model"):
            run = start_run(None, settings=settings, leave_out_incomplete=leave_out_incomplete)
        if publish:
            with steps.step("Publishing the teams"):
                summary = publish_run(None, run, replace, unplaced_confirmed=leave_unplaced)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if as_json:
        click.echo(json.dumps({"run": run.id, "status": run.status, "metrics": run.metrics,
                               "parameters": run.parameters,
                               "teams": summary["teams"] if summary else None}))
        return
    _print_summary(run, summary)


def _print_summary(run, summary: dict | None) -> None:
    metrics = run.metrics
    click.echo(f"Run {run.id} ({run.status}): "
               f"1st choice {metrics.get('first_choice_share', 0):.1%}, "
               f"top 3 {metrics.get('top3_share', 0):.1%}, "
               f"objective/LP bound {metrics.get('objective_ratio_to_lp_bound', 0):.5f}, "
               f"violations {metrics.get('capacity_violations', 0)}"
               f"+{metrics.get('size_violations', 0)}.")
    if summary:
        click.echo(f"{summary['teams']} teams published; students are told by e-mail.")
