"""`crunchtime send-mail`: send the outbox's waiting mails now, retries included."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from crunchtime.cli import fail
from crunchtime.cli.progress import ProgressBar
from crunchtime.services.mail import mail_backlog
from crunchtime.services.mail.sending import flush_mail


@click.command("send-mail")
@with_appcontext
def send_mail_command():
    """Send every waiting mail now, without waiting for its next attempt; the exit code is
    non-zero when some could not be sent (they stay in the outbox)."""
    if not current_app.config["MAIL_SERVER"]:
        fail("MAIL_SERVER is not set: the mails wait in the outbox.")
    with ProgressBar("Sending mail") as bar:
        done, waiting = flush_mail(bar)
    backlog = mail_backlog()
    click.echo(f"Sent: {done.sent}. Not sent, tried again later: {done.waiting}. "
               f"Given up: {done.failed}. Waiting in the outbox: {waiting}. "
               f"Failed in the outbox: {backlog['failed']}.")
    if done.waiting or done.failed:
        fail(f"{done.waiting + done.failed} mails could not be sent: "
             f"{backlog['last_error'] or 'see the outbox'}")
