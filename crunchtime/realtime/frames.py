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

`install(server)` makes the Engine.IO server create its websockets from this class."""

from __future__ import annotations

import contextlib
import struct
import zlib
from dataclasses import dataclass, field

import gevent
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from gevent.lock import Semaphore

PLAIN, DEFLATE = "plain", "deflate"
_FIN_TEXT, _FIN_DEFLATED_TEXT = 0x81, 0xC1
_SYNC_TAIL = b"\x00\x00\xff\xff"


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


def websocket_class(base):
    """A subclass of Engine.IO's gevent websocket (simple-websocket) that takes shared frames."""

    class FramedWebSocket(base):
        def __call__(self, environ, start_response):
            self.write_lock = Semaphore()
            self.mode: str | None = None
            self.mode_checked = False
            engineio_socket = getattr(self.app, "__self__", None)
            if engineio_socket is not None:  # the Engine.IO socket whose handler this runs
                engineio_socket.shared_frames = self
            return super().__call__(environ, start_response)

        def send(self, message):
            with self.write_lock:
                return super().send(message)

        def send_shared(self, frame: SharedFrame) -> bool:
            """Write the frame now if the connection is idle and its socket takes it without
            waiting; False: the caller queues it. Never blocks the caller on one slow client:
            a frame the socket took only in part is finished by a greenlet of its own, the
            connection's lock held until then."""
            if not self.write_lock.acquire(blocking=False):
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
                    sent = self.ws.sock.send(data, 0, 0.0)  # gevent's timeout 0: no waiting
                except BlockingIOError:
                    return False  # a full buffer: nothing written, the queue takes it
                except OSError:
                    return True  # the connection is going: its reader ends it
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
                    self.ws.sock.sendall(rest)
            finally:
                self.write_lock.release()

    FramedWebSocket.__name__ = FramedWebSocket.__qualname__ = "FramedWebSocket"
    return FramedWebSocket


def install(server) -> bool:
    """Make a gevent Socket.IO server's websockets take shared frames (False if it is not a
    gevent server on simple-websocket)."""
    engine = getattr(server, "eio", None)
    drivers = getattr(engine, "_async", None) or {}
    base = drivers.get("websocket")
    if getattr(engine, "async_mode", None) != "gevent" or not isinstance(base, type) \
            or not issubclass(base, SimpleWebSocketWSGI) or base.__name__ == "FramedWebSocket":
        return False
    engine._async = {**drivers, "websocket": websocket_class(base)}
    return True


def try_send(engineio_socket, frame: SharedFrame) -> bool:
    """Send `frame` to one viewer directly if nothing is waiting to be written to it."""
    framed = getattr(engineio_socket, "shared_frames", None)
    if framed is None or engineio_socket.closed or not engineio_socket.upgraded \
            or engineio_socket.upgrading or engineio_socket.queue.qsize():
        return False
    return framed.send_shared(frame)
