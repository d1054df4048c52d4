"""The `crunchtime` command's entry point (`python -m crunchtime` too): Flask's CLI with the
app preset. It lives outside `crunchtime/cli/` so that the app, which registers the commands,
and the commands never import each other."""

from __future__ import annotations

import sys

from flask.cli import FlaskGroup

from crunchtime.app import create_app
from crunchtime.config import ConfigError


def create_command_app():
    """A command's app: no background job (the server processes publish the scheduled
    announcements and send the outbox)."""
    return create_app({"ANNOUNCEMENT_SCHEDULER": False, "MAIL_SENDER": False})


def main() -> None:
    cli = FlaskGroup(create_app=create_command_app, help="Crunch Time command line.")
    try:
        cli.main(prog_name="crunchtime")
    except ConfigError as error:
        sys.exit(f"crunchtime: {error}")
