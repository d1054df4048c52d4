"""Shared WebSocket frames for the fan-out under gevent: a board is framed, and deflated, once,
and the same bytes go to every viewer's socket.

Why: through Engine.IO each of 2,000 viewers costs a queue hand-over, a writer greenlet
switch, a wsproto framing and, for a browser (which always negotiates permessage-deflate),
its own zlib compression of the same text. Here a viewer costs one `sendall`.

How it stays correct:
- Order and whole frames. Every write of Engine.IO's writer goes through
  `FramedWebSocket.send`, under the connection's lock. A shared frame is written directly
  only when that lock is free and the Engine.IO queue is empty: then nothing sent earlier is
  still waiting (gevent's queue keeps an item until its getter runs). Otherwise the caller
  queues the packet the usual way, behind what is waiting.
- Compression. A deflated shared frame is compressed from a fresh context (RFC 7692 lets a
  server drop its context at any message) with a 15-bit window, so it is valid for every
  client whose `server_max_window_bits` is 15. Once a connection takes shared frames, its own
  compressor stops keeping context between messages: its next message must not refer back
  past a frame it did not write. A connection with any other extension is not eligible.
  A frame cached per mode (PLAIN, DEFLATE) is never given to a socket of the other mode.
- Whole writes. simple-websocket writes with `socket.send`, which under gevent may take only
  part of a frame when the client's buffer is nearly full, and lose the rest: the stream is
  then corrupt. Every write of a connection here is whole (`sendall`) and under its lock,
  the reader's own (pongs, the closing handshake) included.

`install(server)` makes the Engine.IO server create its websockets from this class, after a
self-test of the wsproto internals it relies on; `problem(server)` says why it could not.
The versions of the packages it reaches into are pinned in constraints.txt."""

from __future__ import annotations

import contextlib
import struct
import zlib
from dataclasses import dataclass, field

import gevent
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from gevent.lock import Semaphore
from wsproto.events import Message, TextMessage

PLAIN, DEFLATE = "plain", "deflate"
_FIN_TEXT, _FIN_DEFLATED_TEXT = 0x81, 0xC1
_SYNC_TAIL = b"\x00\x00\xff\xff"
GUARD_WAIT_SECONDS = 10.0


def text_frame(payload: bytes, first_byte: int = _FIN_TEXT) -> bytes:
    """One final, unmasked (server-to-client) WebSocket frame around `payload`."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", first_byte, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", first_byte, 126, size)
    else:
        header = struct.pack("!BBQ", first_byte, 127, size)
    return header + payload


def deflated_frame(payload: bytes) -> bytes:
    """The permessage-deflate frame of `payload`, compressed from a fresh context."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    data = compressor.compress(payload) + compressor.flush(zlib.Z_SYNC_FLUSH)
    if data.endswith(_SYNC_TAIL):
        data = data[:-len(_SYNC_TAIL)]
    return text_frame(data, _FIN_DEFLATED_TEXT)


@dataclass
class SharedFrame:
    """One Engine.IO message (text) as frames, each built on first use."""

    text: str
    _frames: dict[str, bytes] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)  # mode -> sockets written to

    def frame(self, mode: str) -> bytes:
        frame = self._frames.get(mode)
        if frame is None:
            payload = self.text.encode()
            frame = deflated_frame(payload) if mode == DEFLATE else text_frame(payload)
            self._frames[mode] = frame
        return frame


def shared_mode(connection) -> str | None:
    """PLAIN or DEFLATE if a wsproto connection (server side, handshake done) can take shared
    frames, after making its own compressor context-free; None if it cannot."""
    protocol = getattr(connection, "_proto", None)
    extensions = getattr(protocol, "extensions", None)
    if extensions is None:
        return None
    if not extensions:
        return PLAIN
    if len(extensions) != 1 or extensions[0].name != "permessage-deflate":
        return None
    deflate = extensions[0]
    if (deflate.server_max_window_bits or 15) != 15 or not hasattr(deflate, "_compressor"):
        return None
    deflate.server_no_context_takeover = True
    deflate._compressor = None  # between messages: its next one starts afresh
    return DEFLATE


class GuardedSocket:
    """A connection's socket as simple-websocket's own code sees it: what its reader writes
    (pongs, the closing handshake) goes whole and under the connection's write lock, never
    into the middle of a frame. A write that waits longer than GUARD_WAIT_SECONDS for the lock
    (a client that reads nothing) fails as a broken connection would."""

    def __init__(self, sock, lock):
        self._sock = sock
        self._lock = lock

    def send(self, data, *_args) -> int:
        if not self._lock.acquire(timeout=GUARD_WAIT_SECONDS):
            raise BrokenPipeError("live connection's writes blocked")
        try:
            self._sock.sendall(data)
        finally:
            self._lock.release()
        return len(data)

    def sendall(self, data, *_args) -> None:
        self.send(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def websocket_class(base):
    """A subclass of Engine.IO's gevent websocket (simple-websocket) that takes shared frames
    and writes whole frames only."""

    class FramedWebSocket(base):
        def __call__(self, environ, start_response):
            self.write_lock = Semaphore()
            self.mode: str | None = None
            self.mode_checked = False
            self.sock = None
            handler = self.app
            engineio_socket = getattr(handler, "__self__", None)
            if engineio_socket is not None:  # the Engine.IO socket whose handler this runs
                engineio_socket.shared_frames = self

            def run(websocket):  # once simple-websocket's handshake is done
                websocket.guard()
                return handler(websocket)

            self.app = run
            return super().__call__(environ, start_response)

        def guard(self) -> None:
            """Keep the raw socket for this class' own writes; give simple-websocket a guarded
            one."""
            self.sock = self.ws.sock
            self.ws.sock = GuardedSocket(self.sock, self.write_lock)
            # A shared frame is written with the OS socket's own send (gevent keeps it
            # non-blocking), without gevent's wrapper: one Python call less per viewer, 2,000
            # per board. It raises BlockingIOError on a full buffer, as the wrapper does with
            # a zero timeout.
            self.send_now = getattr(self.sock, "_sock", self.sock).send

        def send(self, message):
            """simple-websocket's send, but whole (`sendall`) and under the lock."""
            with self.write_lock:
                ws = self.ws
                if not ws.connected:
                    raise OSError("live connection closed")
                event = Message(data=message) if isinstance(message, bytes) \
                    else TextMessage(data=str(message))
                self.sock.sendall(ws.ws.send(event))

        def send_shared(self, frame: SharedFrame) -> bool:
            """Write the frame now if the connection is idle and its socket takes it without
            waiting; False: the caller queues it. Never blocks the caller on one slow client:
            a frame the socket took only in part is finished by a greenlet of its own, the
            connection's lock held until then."""
            if self.sock is None or not self.write_lock.acquire(blocking=False):
                return False
            finishing = False
            try:
                if not self.mode_checked:
                    self.mode_checked = True
                    self.mode = shared_mode(getattr(self.ws.ws, "connection", None))
                if self.mode is None or not self.ws.connected:
                    return False
                data = frame.frame(self.mode)
                try:
                    sent = self.send_now(data)
                except BlockingIOError:
                    return False  # a full buffer: nothing written, the queue takes it
                except OSError:
                    return True  # the connection is going: its reader ends it
                frame.sent[self.mode] = frame.sent.get(self.mode, 0) + 1
                if sent < len(data):
                    finishing = True
                    gevent.spawn(self._finish, memoryview(data)[sent:])
                return True
            finally:
                if not finishing:
                    self.write_lock.release()

        def _finish(self, rest) -> None:
            try:
                with contextlib.suppress(OSError):
                    self.sock.sendall(rest)
            finally:
                self.write_lock.release()

    FramedWebSocket.__name__ = FramedWebSocket.__qualname__ = "FramedWebSocket"
    return FramedWebSocket


def problem(server) -> str | None:
    """Why shared frames cannot be installed on this Socket.IO server (None: they can, or
    already are)."""
    engine = getattr(server, "eio", None)
    if getattr(engine, "async_mode", None) != "gevent":
        return f"not a gevent server (async_mode {getattr(engine, 'async_mode', None)!r})"
    drivers = getattr(engine, "_async", None)
    base = drivers.get("websocket") if isinstance(drivers, dict) else None
    if not isinstance(base, type) or not issubclass(base, SimpleWebSocketWSGI):
        return (f"Engine.IO's gevent websocket is {base!r}, not simple-websocket's "
                "(is gevent-websocket installed?)")
    for owner, name in ((server, "_send_eio_packet"),
                        (getattr(server, "manager", None), "get_participants"),
                        (engine, "sockets")):
        if not hasattr(owner, name):
            return f"{type(owner).__name__}.{name} is gone (python-socketio/engineio changed)"
    return self_test()


def self_test() -> str | None:
    """Run the wsproto internals the frames rely on, in memory: a server connection that
    negotiated permessage-deflate takes shared frames, and its client reads them between the
    connection's own messages. None if all is well, else what failed."""
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, Request
    from wsproto.extensions import PerMessageDeflate

    try:
        client = WSConnection(ConnectionType.CLIENT)
        server = WSConnection(ConnectionType.SERVER)
        server.receive_data(client.send(Request(host="self-test", target="/",
                                                extensions=[PerMessageDeflate()])))
        list(server.events())
        client.receive_data(server.send(AcceptConnection(extensions=[PerMessageDeflate()])))
        list(client.events())
        own = "4" + "self-test " * 20
        wire = server.send(TextMessage(own))
        mode = shared_mode(server.connection)
        if mode != DEFLATE:
            return f"a permessage-deflate connection gives mode {mode!r}, not {DEFLATE!r}"
        shared = SharedFrame("42" + "shared " * 20)
        wire += shared.frame(DEFLATE) + server.send(TextMessage(own))
        client.receive_data(wire)
        texts = [event.data for event in client.events() if isinstance(event, TextMessage)]
        if texts != [own, shared.text, own]:
            return f"the client read {texts!r} around a shared frame"
    except Exception as error:  # a changed internal: say which
        return f"self-test failed: {type(error).__name__}: {error}"
    return None


def install(server) -> bool:
    """Make a gevent Socket.IO server's websockets take shared frames (False if it cannot,
    see `problem`, or already does)."""
    if problem(server) is not None or installed(server):
        return False
    engine = server.eio
    engine._async = {**engine._async, "websocket": websocket_class(engine._async["websocket"])}
    return True


def installed(server) -> bool:
    engine = getattr(server, "eio", None)
    base = (getattr(engine, "_async", None) or {}).get("websocket")
    return getattr(base, "__name__", None) == "FramedWebSocket"


def try_send(engineio_socket, frame: SharedFrame) -> bool:
    """Send `frame` to one viewer directly if nothing is waiting to be written to it."""
    framed = getattr(engineio_socket, "shared_frames", None)
    if framed is None or engineio_socket.closed or not engineio_socket.upgraded \
            or engineio_socket.upgrading or engineio_socket.queue.qsize():
        return False
    return framed.send_shared(frame)
