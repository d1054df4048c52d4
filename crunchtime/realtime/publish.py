"""The one place that emits live events; called by services after their commit."""

from __future__ import annotations

import logging

from crunchtime.extensions import socketio

NAMESPACE = "/live"
log = logging.getLogger(__name__)


def publish(event: str, payload: dict, room: str) -> None:
    """Emit `event` to `room`; a failing transport never undoes what was committed."""
    try:
        socketio.emit(event, payload, to=room, namespace=NAMESPACE)
    except Exception:  # the commit stands; clients resync on reconnect
        log.exception("live event %s to %s was not emitted", event, room)
