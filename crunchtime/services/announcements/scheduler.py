"""Scheduled announcements fire at their time: each server process runs a small loop that
publishes the due ones (a claim by atomic update keeps one process from repeating another).
It is the only publisher of scheduled announcements: reading a list never publishes."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from crunchtime.extensions import db, socketio
from crunchtime.services.announcements.posts import publish_due_announcements

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 20
EXTENSION_KEY = "crunchtime_announcement_scheduler"
_lock = threading.Lock()


def _loop(app: Flask, stop: threading.Event) -> None:
    while not stop.is_set():
        socketio.sleep(INTERVAL_SECONDS)
        if stop.is_set():
            return
        with app.app_context():
            try:
                publish_due_announcements()
            except Exception:  # the loop must survive a database hiccup
                log.exception("scheduled announcements could not be published")
                db.session.rollback()
            finally:
                db.session.remove()


def start_scheduler(app: Flask) -> None:
    """Start the loop once per process (not in tests unless ANNOUNCEMENT_SCHEDULER is set)."""
    if app.extensions.get(EXTENSION_KEY) is not None:
        return
    enabled = app.config.get("ANNOUNCEMENT_SCHEDULER")
    if not (enabled if enabled is not None else not app.testing):
        return
    with _lock:
        if app.extensions.get(EXTENSION_KEY) is None:
            stop = threading.Event()
            app.extensions[EXTENSION_KEY] = stop
            socketio.start_background_task(_loop, app, stop)


def stop_scheduler(app: Flask) -> None:
    """Ask the loop to end after its current pause (tests, shutdown)."""
    stop = app.extensions.get(EXTENSION_KEY)
    if stop is not None:
        stop.set()
