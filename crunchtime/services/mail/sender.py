"""The mail sender: each server process runs a small loop that sends the due messages of the
outbox every MAIL_SENDER_INTERVAL seconds, or at once when this process queued some. Claims
(sending.py) keep two processes from sending the same message."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import Flask

from crunchtime.extensions import db, socketio
from crunchtime.services.mail.sending import send_due_mail

log = logging.getLogger(__name__)
EXTENSION_KEY = "crunchtime_mail_sender"
_lock = threading.Lock()


@dataclass
class Sender:
    """The loop's events, of the server's async mode (threads, or gevent's greenlets)."""

    stop: object
    wake: object
    task: object = None


def _loop(app: Flask, sender: Sender) -> None:
    interval = app.config["MAIL_SENDER_INTERVAL"]
    while not sender.stop.is_set():
        sender.wake.wait(interval)
        sender.wake.clear()
        if sender.stop.is_set():
            return
        with app.app_context():
            try:
                send_due_mail(should_stop=sender.stop.is_set)
            except Exception:  # the loop must survive a database hiccup
                log.exception("the outbox could not be sent")
                db.session.rollback()
            finally:
                db.session.remove()


def sender_enabled(app: Flask) -> bool:
    enabled = app.config.get("MAIL_SENDER")
    return bool(app.config.get("MAIL_SERVER")) and (
        enabled if enabled is not None else not app.testing)


def start_sender(app: Flask) -> None:
    """Start the loop once per process, when an SMTP server is configured (not in tests or
    commands unless MAIL_SENDER says so)."""
    if app.extensions.get(EXTENSION_KEY) is not None or not sender_enabled(app):
        return
    with _lock:
        if app.extensions.get(EXTENSION_KEY) is None:
            sender = Sender(socketio.server.eio.create_event(),
                            socketio.server.eio.create_event())
            app.extensions[EXTENSION_KEY] = sender
            sender.task = socketio.start_background_task(_loop, app, sender)


def wake_sender(app: Flask) -> bool:
    """Ask this process's sender to send now; False when it has none."""
    sender = app.extensions.get(EXTENSION_KEY)
    if sender is None or sender.stop.is_set():
        return False
    sender.wake.set()
    return True


def stop_sender(app: Flask, timeout: float | None = None) -> None:
    """End the loop after its current round (tests, shutdown); wait for it up to `timeout`."""
    sender = app.extensions.pop(EXTENSION_KEY, None)
    if sender is None:
        return
    sender.stop.set()
    sender.wake.set()
    if timeout is not None and sender.task is not None:
        sender.task.join(timeout=timeout)
