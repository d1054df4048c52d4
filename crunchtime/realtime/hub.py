"""The live hub of one server process: gives events their seq, emits them to this process'
clients, and keeps the board current.

- One process (no SOCKETIO_MESSAGE_QUEUE): seqs in memory; `publish` numbers and emits
  under one lock, so emission order is seq order.
- Several processes (SOCKETIO_MESSAGE_QUEUE=redis://…): `publish` runs the Redis script of
  streams.py from whichever process (an HTTP request, the CLI); every process that holds
  live clients relays the Redis stream to them, in order.
- The board: events in BOARD_TRIGGERS mark it dirty. Inline mode (tests) recomputes at once
  in the caller; process mode batches in a background task of the one leader process and
  computes in its board worker process, publishing only the views of rooms somebody listens
  to (the organisers' view of 300 teams weighs 70 KB: nobody should pay for it when no
  organiser watches). Each process announces its listened board rooms in Redis, at once when
  it gets a new one and every few seconds after.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections import deque

from flask import Flask, current_app

from crunchtime.metrics import SHARED_FRAMES
from crunchtime.realtime.board_runner import BoardRunner, ViewChanges
from crunchtime.realtime.board_worker import BoardWorker, worker_settings
from crunchtime.realtime.content import live_content
from crunchtime.realtime.owners import ConnectionOwners, end_connection
from crunchtime.realtime.rooms import PUBLIC, is_board_room
from crunchtime.realtime.streams import (
    CONTROL_DIRTY,
    Disconnect,
    LiveEntry,
    MemoryStreams,
    RawJSON,
    RedisStreams,
)

NAMESPACE = "/live"
BOARD_TRIGGERS = frozenset({"score", "phase", "results", "round", "assignment", "display"})
RELAY_BLOCK_MS = 5000
FLUSH_WAIT_SECONDS = 1.0
AUDIENCE_RENEW_SECONDS = 5.0
STORM_JOINS = 100  # connections within STORM_SECONDS that make a storm (a restart's return)
STORM_SECONDS = 1.0
log = logging.getLogger(__name__)


def _is_redis(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("redis", "rediss", "unix")


class LiveHub:
    def __init__(self, app: Flask, socketio):
        config = app.config
        self.socketio = socketio
        queue = config.get("SOCKETIO_MESSAGE_QUEUE")
        replay = config.get("LIVE_REPLAY_EVENTS", 200)
        self.streams = (RedisStreams(queue, config.get("LIVE_REDIS_PREFIX", "crunchtime:live"),
                                     replay) if _is_redis(queue) else MemoryStreams(replay))
        self.mode = config.get("LIVE_BOARD_WORKER") or ("inline" if app.testing else "process")
        self.top = config.get("LIVE_PUBLIC_TOP", 10)
        self.window_ms = config.get("LIVE_BATCH_MS", 50)
        self.views = ViewChanges()  # inline mode's; the board worker keeps its own
        self._lock = threading.RLock()
        self._started = False
        self._worker = None
        self._runner = None
        self._fanout = None
        self._public_seq = 0
        self._announced: set[str] = set()
        self.owners = ConnectionOwners()
        self._joins: deque[float] = deque(maxlen=STORM_JOINS)
        self.process_key = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.leadership = None
        self._settings = config
        self._worker_module = live_content(app).worker_module
        server = socketio.server
        if server is not None and server.async_mode == "gevent":
            install_shared_frames(server)

    @property
    def server(self):
        """Flask-SocketIO's current server (as its own emit and join_room use)."""
        return self.socketio.server

    # Publishing -------------------------------------------------------------------------
    def publish(self, event: str, payload, room: str) -> None:
        self.publish_many([(event, payload, room)])

    def publish_many(self, events: list[tuple[str, object, str]]) -> None:
        """(event, payload, room) in order: one round trip to the queue, and one board
        recomputation asked for all of them."""
        if not events:
            return
        if self.streams.kind == "redis":
            self.streams.publish_many([(room, event, payload) for event, payload, room in events])
        else:
            with self._lock:
                for event, payload, room in events:
                    self.emit_local(self.streams.append(room, event, payload))
        if any(event in BOARD_TRIGGERS for event, _payload, _room in events):
            self.board_changed()

    def _publish_views(self, changed: list[tuple[str, str]]) -> None:
        """Publish boards, once this process' viewers have the previous public one: the
        fan-out's own pace is the batch window."""
        if self._fanout is not None and self._public_seq:
            self._fanout.wait_flushed(PUBLIC, self._public_seq, FLUSH_WAIT_SECONDS)
        if self.streams.kind == "redis":
            seqs = self.streams.publish_many([(room, "board", RawJSON(text))
                                              for room, text in changed])
        else:
            with self._lock:
                entries = [self.streams.append(room, "board", RawJSON(text))
                           for room, text in changed]
                for entry in entries:
                    self.emit_local(entry)
            seqs = [entry.seq for entry in entries]
        for (room, _view), seq in zip(changed, seqs, strict=True):
            if room == PUBLIC:
                self._public_seq = seq

    def _pace_to_fanout(self, lead: float) -> None:
        """Hold the next board's computation until this process' viewers will have the
        previous public board within `lead` seconds."""
        if self._fanout is not None and self._public_seq:
            self._fanout.wait_nearly_flushed(PUBLIC, self._public_seq, lead,
                                             FLUSH_WAIT_SECONDS)

    def emit_local(self, entry: LiveEntry) -> None:
        server = self.server
        if server is None:
            return
        if self._fanout is None and server.async_mode == "gevent":
            from crunchtime.realtime.fanout import FanOut

            self._fanout = FanOut(server, NAMESPACE)
        if self._fanout is not None:
            self._fanout.send(entry)
        else:
            server.emit(entry.event, (entry.payload_value(), entry.meta()), to=entry.room,
                        namespace=NAMESPACE, ignore_queue=True)

    # Ending an account's connections ------------------------------------------------------
    def disconnect_users(self, user_ids: list[int]) -> None:
        """End the live connections of these accounts, here and (through the Redis stream)
        in every other process."""
        self.disconnect_local(user_ids)
        if self.streams.kind == "redis":
            self.streams.signal_disconnect(user_ids)

    def disconnect_local(self, user_ids) -> None:
        server = self.server
        if server is None:
            return
        for sid in self.owners.sids_of(user_ids):
            try:
                end_connection(server, sid, NAMESPACE)
            except Exception:  # one broken socket must not keep the others open
                log.exception("live connection %s not ended", sid)
            self.owners.discard(sid)

    # The board --------------------------------------------------------------------------
    def _has_board_listeners(self) -> bool:
        server = self.server
        rooms = server.manager.rooms.get(NAMESPACE, {}) if server is not None else {}
        return any(is_board_room(room) and members for room, members in rooms.items()
                   if room is not None)

    def board_changed(self, force: bool = False) -> None:
        """The scores or settings behind the board changed (after a commit)."""
        if self.streams.kind == "redis" and self.mode == "process":
            self.streams.signal(CONTROL_DIRTY)
        elif not self._has_board_listeners():
            self.streams.forget_views()  # nobody to tell: the next connection recomputes
            self.views.forget()
        elif self.mode == "inline":
            self.compute_inline(force)
        elif self._runner is not None:
            self._runner.mark_dirty(force)

    def compute_inline(self, force: bool = False) -> None:
        board_views = live_content(current_app._get_current_object()).board_views
        try:
            changed = self.views(board_views(self.top), force=force)
            if changed:
                self._publish_views(changed)
        except Exception:  # a failing board never undoes what was committed
            log.exception("live board not recomputed")

    def request_views(self) -> None:
        """A client found no cached view: compute (inline) or ask for one (process)."""
        if self.mode == "inline":
            self.compute_inline(force=True)
        elif self.streams.kind == "redis":
            self.streams.signal(CONTROL_DIRTY)
        elif self._runner is not None:
            self._runner.mark_dirty(force=True)

    def _is_leader(self) -> bool:
        return self.leadership is None or self.leadership.is_leader

    def _board_worker(self):
        if self._worker is None:
            self._worker = BoardWorker(worker_settings(self._settings), self._worker_module)
        return self._worker

    def _compute_in_worker(self, force: bool) -> list[tuple[str, str]]:
        changed, dropped = self._board_worker().compute(force, self._audience())
        if dropped:
            self.streams.drop_views(dropped)
        return changed

    # Who listens ------------------------------------------------------------------------
    def _local_board_rooms(self) -> set[str]:
        server = self.server
        rooms = server.manager.rooms.get(NAMESPACE, {}) if server is not None else {}
        # Names first: every viewer has a room of its own, and a name test costs less than
        # counting members (this runs before each board, over 2,000 rooms and more).
        return {room for room, members in rooms.items()
                if room is not None and is_board_room(room) and members}

    def _audience(self) -> set[str]:
        """The board rooms to keep current: those with clients in any process."""
        if self.streams.kind == "redis":
            return self.streams.audience() | self._local_board_rooms()
        return self._local_board_rooms()

    def joined(self, rooms: list[str]) -> None:
        """A client entered `rooms`: announce a board room this process did not listen to,
        and have the board computed for it (its view may be missing or stale); claim the
        board lease at once if nobody holds it (a restarted fan-out's first viewers)."""
        self._joins.append(time.monotonic())
        if self.streams.kind == "redis" and any(
                is_board_room(room) and room not in self._announced for room in rooms):
            self.announce()
            if self.leadership is not None:
                self.leadership.claim_now()

    def storming(self) -> bool:
        """Whether STORM_JOINS connections joined within the last STORM_SECONDS."""
        joins = self._joins
        return len(joins) == joins.maxlen and time.monotonic() - joins[0] < STORM_SECONDS

    def announce(self) -> None:
        rooms = self._local_board_rooms()
        new = rooms - self._announced
        if rooms or self._announced:
            self.streams.announce(self.process_key, rooms)
        self._announced = rooms
        if new:
            self.streams.signal(CONTROL_DIRTY)

    def _announce_loop(self) -> None:
        while True:
            self.server.sleep(AUDIENCE_RENEW_SECONDS)
            try:
                self.announce()
            except Exception:
                log.exception("live audience not announced; retrying")

    # Background tasks (process mode, started by the first live connection) ---------------
    def ensure_started(self) -> None:
        with self._lock:
            if self._started or self.mode != "process":
                return
            # Raises while Redis is down, before anything starts: the next call tries again.
            relay_after = self.streams.last_id() if self.streams.kind == "redis" else None
            self._started = True
        self._runner = BoardRunner(self.server, self._compute_in_worker, self._publish_views,
                                   self.window_ms, self._is_leader, self._pace_to_fanout,
                                   self.storming)
        self._runner.start()
        self.server.start_background_task(self._board_worker().start)
        if self.streams.kind == "redis":
            from crunchtime.realtime.leader import Leadership

            self.leadership = Leadership(self.streams.redis, f"{self.streams.prefix}:leader",
                                         self._became_leader, wants=self._has_board_listeners)
            self._relay_after = relay_after
            self.server.start_background_task(self._relay)
            self.server.start_background_task(self._announce_loop)
            self.server.start_background_task(self.leadership.run, self.server.sleep)
        else:
            self._runner.mark_dirty(force=True)

    def _became_leader(self) -> None:
        self._runner.mark_dirty(force=True)

    def _has_local_members(self, room: str) -> bool:
        """Whether a client of this process is in `room`. One who joins later gets the room's
        position from Redis, which already counts the events skipped before."""
        server = self.server
        return bool(server is not None
                    and server.manager.rooms.get(NAMESPACE, {}).get(room))

    def _relay(self) -> None:
        """Emit the Redis stream's events to this process' clients, in stream order (an HTTP
        tier process, which has none, only watches for the board's control signals)."""
        while True:
            try:
                self._relay_after, entries = self.streams.read(
                    self._relay_after, RELAY_BLOCK_MS, wanted=self._has_local_members)
            except Exception:
                log.exception("live relay lost Redis; retrying")
                self.server.sleep(1)
                continue
            for entry in entries:
                if isinstance(entry, LiveEntry):
                    self.emit_local(entry)
                elif isinstance(entry, Disconnect):
                    self.disconnect_local(entry.user_ids)
                elif entry == CONTROL_DIRTY and self._is_leader():
                    self._runner.mark_dirty()


def install_shared_frames(server) -> bool:
    """Have the gevent fan-out write shared frames (crunchtime/realtime/frames.py). If they
    cannot be installed, every viewer is still served, through Engine.IO's queue, at several
    times the CPU: say so loudly (an ERROR, and the metric at 0) rather than run slow unseen."""
    try:
        from crunchtime.realtime import frames

        done = frames.install(server) or frames.installed(server)
        reason = None if done else frames.problem(server)
    except Exception as error:  # an upgraded internal must not keep the server from starting
        done, reason = False, f"{type(error).__name__}: {error}"
    SHARED_FRAMES.set(1 if done else 0)
    if done:
        log.info("live shared frames installed")
    else:
        log.error("live shared frames NOT installed, every viewer goes through Engine.IO's "
                  "queue (check the versions against constraints.txt): %s", reason)
    return done


def hub_of(app: Flask) -> LiveHub:
    """The app's hub, made on first use (after the socketio extension is bound)."""
    hub = app.extensions.get("crunchtime_live")
    if hub is None:
        from crunchtime.extensions import socketio

        hub = app.extensions.setdefault("crunchtime_live", LiveHub(app, socketio))
    return hub
