"""Socket.IO handlers of the /live namespace: put each connection in its rooms."""

from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO, join_room

from crunchtime.realtime.publish import NAMESPACE
from crunchtime.realtime.rooms import rooms_for


def on_connect(auth=None) -> None:
    for room in rooms_for(current_user):
        join_room(room)


def register_socket_handlers(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
