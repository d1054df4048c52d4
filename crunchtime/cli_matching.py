"""`crunchtime match`: run the matching from the command line, optionally publish it."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from crunchtime.errors import DomainError


@click.command("match")
@click.option("--publish", is_flag=True, help="Publish the teams of this run.")
@click.option("--replace", is_flag=True, help="With --publish: replace teams already published.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's metrics as JSON.")
@with_appcontext
def match_command(publish: bool, replace: bool, as_json: bool) -> None:
    """Run the matching model on the current edition (a preview unless --publish)."""
    from crunchtime.services.matching import start_run
    from crunchtime.services.matching_publish import publish_run

    try:
        run = start_run(None)
        summary = publish_run(None, run, replace) if publish else None
    except DomainError as error:
        raise click.ClickException(error.message) from error
    if as_json:
        click.echo(json.dumps({"run": run.id, "status": run.status, "metrics": run.metrics,
                               "teams": summary["teams"] if summary else None}))
        return
    metrics = run.metrics
    click.echo(f"Run {run.id} ({run.status}): "
               f"1st choice {metrics.get('first_choice_share', 0):.1%}, "
               f"top 3 {metrics.get('top3_share', 0):.1%}, "
               f"objective/LP bound {metrics.get('objective_ratio_to_lp_bound', 0):.5f}, "
               f"violations {metrics.get('capacity_violations', 0)}"
               f"+{metrics.get('size_violations', 0)}.")
    if summary:
        click.echo(f"{summary['teams']} teams published; students are told by e-mail.")
