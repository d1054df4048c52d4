"""Which account each live connection of this process belongs to, so that the connections of
an account can be ended when its sessions end (a rotated session token) or when what it may
see changes (a new team): the client reconnects by itself and the server puts it in the rooms
its session now allows."""

from __future__ import annotations

import threading
from collections.abc import Iterable


class ConnectionOwners:
    """sid -> account id, and back, for the connections of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: dict[str, int] = {}
        self._sids: dict[int, set[str]] = {}

    def add(self, sid: str, user_id: int | None) -> None:
        if user_id is None:
            return
        with self._lock:
            self._owner[sid] = user_id
            self._sids.setdefault(user_id, set()).add(sid)

    def discard(self, sid: str) -> None:
        with self._lock:
            user_id = self._owner.pop(sid, None)
            sids = self._sids.get(user_id)
            if sids is not None:
                sids.discard(sid)
                if not sids:
                    del self._sids[user_id]

    def sids_of(self, user_ids: Iterable[int]) -> list[str]:
        with self._lock:
            return [sid for user_id in set(user_ids) for sid in self._sids.get(user_id, ())]

    def __len__(self) -> int:
        return len(self._owner)


def end_connection(server, sid: str, namespace: str) -> None:
    """Drop the connection's transport, as a network failure would, without waiting for its
    queue: the client reconnects by itself (a close announced by the server would make some
    clients give up) and sends its session cookie again. A connection with no Engine.IO socket
    here (already closing, or the test client's) is ended at the Socket.IO level."""
    eio_sid = server.manager.eio_sid_from_sid(sid, namespace)
    engineio_socket = server.eio.sockets.get(eio_sid) if eio_sid is not None else None
    if engineio_socket is not None:
        engineio_socket.close(wait=False, abort=True,
                              reason=server.eio.reason.SERVER_DISCONNECT)
        server.eio.sockets.pop(eio_sid, None)
    elif server.manager.is_connected(sid, namespace):
        server.disconnect(sid, namespace=namespace, ignore_queue=True)
