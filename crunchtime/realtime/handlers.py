"""Socket.IO handlers of the /live namespace: put each connection in its rooms, then tell it
where each room stands.

On connect the client may send `auth = {"since": {room: [epoch, seq]}}` (what it saw before a
reconnection). For each of its rooms it receives either `catchup {room, epoch, seq, events}`
— the events it missed, when the room's replay log still holds them — or
`snapshot {room, epoch, seq, state}` — the room's latest board view (null for rooms without
one: the page refetches its own state). A client that notices a gap mid-stream sends
`resync {room: [epoch, seq]}` and gets the same answers as the event's acknowledgement."""

from __future__ import annotations

import functools
import logging

from flask import current_app, request
from flask_login import current_user
from flask_socketio import SocketIO

from crunchtime.access import parse_session_id
from crunchtime.logs import live_event_id, request_id_scope
from crunchtime.metrics import LIVE_VIEWERS
from crunchtime.realtime.content import live_content
from crunchtime.realtime.hub import NAMESPACE, hub_of
from crunchtime.realtime.rooms import is_board_room

log = logging.getLogger(__name__)


def _since(data) -> dict[str, tuple[str, int]]:
    """The client's positions, ignoring anything malformed."""
    since = data.get("since") if isinstance(data, dict) else None
    if not isinstance(since, dict):
        return {}
    positions = {}
    for room, position in since.items():
        if (isinstance(room, str) and isinstance(position, list | tuple) and len(position) == 2
                and isinstance(position[0], str) and isinstance(position[1], int)):
            positions[room] = (position[0], position[1])
    return positions


def answers_for(hub, wanted: list[str], since: dict[str, tuple[str, int]]) -> list[dict]:
    """Per room: the missed events if the log covers the gap, else a snapshot."""
    looks = hub.streams.look(wanted, since)
    if hub.mode == "inline" and any(is_board_room(r) and looks[r].position.view is None
                                    for r in wanted):
        hub.request_views()
        looks = hub.streams.look(wanted, since)
    answers = []
    for room in wanted:
        position, missed = looks[room].position, looks[room].missed
        if missed is not None:
            answers.append({"kind": "catchup", "room": room, "epoch": position.epoch,
                            "seq": missed[-1][0] if missed else since[room][1],
                            "events": [list(item) for item in missed]})
        else:
            answers.append({"kind": "snapshot", "room": room, "epoch": position.epoch,
                            "seq": position.seq, "state": position.view})
    if hub.mode != "inline" and any(is_board_room(a["room"]) and a["kind"] == "snapshot"
                                    and a["state"] is None for a in answers):
        hub.request_views()
    return answers


def on_connect(auth=None) -> None:
    """Rooms and answers go through the hub's server: the one in front of this app."""
    app = current_app._get_current_object()
    hub = hub_of(app)
    hub.ensure_started()
    # Known before the rooms are chosen: a logout committed meanwhile finds this connection.
    hub.owners.add(request.sid, _account_id())
    try:
        mine = live_content(app).rooms_for(current_user)
        for room in mine:
            hub.server.enter_room(request.sid, room, namespace=NAMESPACE)
    except Exception:
        hub.owners.discard(request.sid)
        raise
    hub.joined(mine)
    LIVE_VIEWERS.inc()
    log.debug("live connection %s joined %s", request.sid, ", ".join(mine))
    for answer in answers_for(hub, mine, _since(auth)):
        hub.server.emit(answer.pop("kind"), answer, to=request.sid, namespace=NAMESPACE,
                        ignore_queue=True)


def _account_id() -> int | None:
    """The signed-in account of the connection (None for a visitor), as its session names it."""
    identity = parse_session_id(current_user.get_id() or "")
    return identity.user_id if identity is not None else None


def on_disconnect(_reason=None) -> None:
    LIVE_VIEWERS.dec()
    log.debug("live connection %s ended", request.sid)
    hub_of(current_app._get_current_object()).owners.discard(request.sid)


def on_resync(data=None) -> list[dict]:
    """The acknowledgement lists one answer per asked room the connection is in."""
    hub = hub_of(current_app._get_current_object())
    since = _since({"since": data})
    mine = [room for room in hub.server.rooms(request.sid, namespace=NAMESPACE)
            if room in since]
    return answers_for(hub, mine, since)


def _with_event_id(handler):
    """Lines logged while `handler` runs carry the event's id: its connection's request id
    and the event's number (crunchtime/logs.py)."""
    @functools.wraps(handler)
    def handle(*args):
        with request_id_scope(live_event_id(request.environ)):
            return handler(*args)
    return handle


def register_socket_handlers(socketio: SocketIO) -> None:
    socketio.on_event("connect", _with_event_id(on_connect), namespace=NAMESPACE)
    socketio.on_event("disconnect", _with_event_id(on_disconnect), namespace=NAMESPACE)
    socketio.on_event("resync", _with_event_id(on_resync), namespace=NAMESPACE)
