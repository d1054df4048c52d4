"""The one place that emits live events, or ends an account's live connections; called by
services after their commit.

Each event reaches the room's clients with a second argument, {"room", "seq", "epoch"}: the
room's next sequence number (see hub.py and streams.py), by which clients notice a gap and
ask for what they missed. Events named in hub.BOARD_TRIGGERS also make the live board
recompute (batched)."""

from __future__ import annotations

import logging

from flask import current_app, has_app_context

from crunchtime.realtime.hub import NAMESPACE, hub_of

__all__ = ["NAMESPACE", "disconnect_users", "publish", "publish_all"]
log = logging.getLogger(__name__)


def publish(event: str, payload: dict, room: str) -> None:
    """Emit `event` to `room`; a failing transport never undoes what was committed."""
    publish_all([(event, payload, room)])


def publish_all(events: list[tuple[str, dict, str]]) -> None:
    """Emit (event, payload, room) in order, in one round trip to the queue."""
    if not events:
        return
    if not has_app_context():
        log.warning("%d live events (%s…) dropped: no app context", len(events), events[0][0])
        return
    try:
        hub_of(current_app._get_current_object()).publish_many(events)
    except Exception:  # the commit stands; clients resync on reconnect
        log.exception("%d live events (%s…) were not emitted", len(events), events[0][0])


def disconnect_users(user_ids) -> None:
    """End the live connections of these accounts in every process, after the commit that
    ended their sessions or changed what they may see: their clients reconnect by themselves
    and get the rooms their session now allows (none of an account's, once logged out)."""
    ids = sorted({int(user_id) for user_id in user_ids})
    if not ids:
        return
    if not has_app_context():
        log.warning("live connections of %d accounts not ended: no app context", len(ids))
        return
    try:
        hub_of(current_app._get_current_object()).disconnect_users(ids)
    except Exception:  # the commit stands; the sessions are refused at the next request
        log.exception("live connections of %d accounts not ended", len(ids))
