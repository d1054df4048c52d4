"""The commands of `crunchtime` (the Flask CLI with the app preset), one module per area;
`create_app` registers them all, and `crunchtime/console.py` is the entry point that builds
the app (so that this package and `app.py` never import each other)."""

import click


def fail(message: str) -> None:
    """Stop the command with a one-line message and a non-zero exit."""
    raise click.ClickException(message)
