"""The one place that emits live events; called by services after their commit.

Each event reaches the room's clients with a second argument, {"room", "seq", "epoch"}: the
room's next sequence number (see hub.py and streams.py), by which clients notice a gap and
ask for what they missed. Events named in hub.BOARD_TRIGGERS also make the live board
recompute (batched)."""

from __future__ import annotations

import logging

from flask import current_app, has_app_context

from crunchtime.realtime.hub import NAMESPACE, hub_of

__all__ = ["NAMESPACE", "publish"]
log = logging.getLogger(__name__)


def publish(event: str, payload: dict, room: str) -> None:
    """Emit `event` to `room`; a failing transport never undoes what was committed."""
    if not has_app_context():
        log.warning("live event %s to %s dropped: no app context", event, room)
        return
    try:
        hub_of(current_app._get_current_object()).publish(event, payload, room)
    except Exception:  # the commit stands; clients resync on reconnect
        log.exception("live event %s to %s was not emitted", event, room)
