"""Just enough of a WebSocket client (RFC 6455) for the viewers of scripts/bench/live.py: an
asyncio Protocol that hands each text message to a callback as it is read.

Why not aiohttp's client: 2,000 viewers share the two cores the servers under test run on,
and aiohttp's per-message machinery (stream reader, a future per message, the async
iterator) cost about as much CPU as a server's send. It takes only whole unfragmented frames
(what simple-websocket sends) and masks what it sends, as a client must. With `compress`, it
offers permessage-deflate (RFC 7692) as browsers do, with the server's context kept between
messages (no `server_no_context_takeover`), and inflates what comes compressed; what it sends
goes uncompressed, which the extension allows."""

from __future__ import annotations

import asyncio
import base64
import os
import ssl
import struct
import zlib
from urllib.parse import urlsplit

_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA
_RSV1 = 0x40
_SYNC_TAIL = b"\x00\x00\xff\xff"
OFFER = "permessage-deflate; client_max_window_bits"


class ProtocolError(RuntimeError):
    pass


def _masked_frame(opcode: int, payload: bytes) -> bytes:
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
    key = os.urandom(4)
    repeated = (key * (size // 4 + 1))[:size]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(
        size, "big") if size else b""
    return header + key + masked


_TLS: list[ssl.SSLContext] = []


def _tls_context() -> ssl.SSLContext:
    """One client context for the process, trusting nothing (a loopback test certificate):
    ssl.create_default_context() loads the system's CA store, tens of milliseconds each, and
    a few hundred viewers reconnecting at once made a viewer process do nothing else."""
    if not _TLS:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        _TLS.append(context)
    return _TLS[0]


class WebSocketClient(asyncio.Protocol):
    """`wss://` URLs go over TLS (certificate not checked: a loopback test server's);
    `headers` (a signed-in viewer's Cookie and its page's Origin) go with the handshake."""

    def __init__(self, url: str, on_text, compress: bool = False,
                 headers: dict | None = None):
        loop = asyncio.get_running_loop()
        parts = urlsplit(url)
        self.tls = parts.scheme == "wss"
        self.host, self.port = parts.hostname, parts.port or (443 if self.tls else 80)
        self.headers = headers or {}
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.on_text = on_text
        self.opened = loop.create_future()
        self.closed = loop.create_future()
        self.transport = None
        self._buffer = bytearray()
        self._open = False
        self.compress = compress
        self.deflate = False  # negotiated
        self._inflater = None

    async def open(self, timeout: float = 30) -> None:
        """Connect and wait for the handshake (messages may arrive before this returns)."""
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.create_connection(
            lambda: self, self.host, self.port, ssl=_tls_context() if self.tls else None),
            timeout)
        await asyncio.wait_for(asyncio.shield(self.opened), timeout)

    # asyncio.Protocol ---------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write((f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                         f"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                         + (f"Sec-WebSocket-Extensions: {OFFER}\r\n" if self.compress else "")
                         + "".join(f"{name}: {value}\r\n"
                                   for name, value in self.headers.items())
                         + "\r\n").encode())

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        try:
            if not self._open and not self._handshake():
                return
            self._frames()
        except ProtocolError as error:
            self._fail(error)

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionResetError("closed before opening"))
        if not self.closed.done():
            self.closed.set_result(None)

    # Frames -------------------------------------------------------------------------------
    def _handshake(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        status = bytes(self._buffer[:self._buffer.find(b"\r\n")])
        if not status.startswith(b"HTTP/1.1 101"):
            raise ProtocolError(f"handshake refused: {status[:60]!r}")
        headers = bytes(self._buffer[:end]).lower()
        self.deflate = b"sec-websocket-extensions: permessage-deflate" in headers
        if self.deflate:
            self._inflater = zlib.decompressobj(-15)
        del self._buffer[:end + 4]
        self._open = True
        self.opened.set_result(None)
        return True

    def _frames(self) -> None:
        buffer, position = self._buffer, 0
        while len(buffer) - position >= 2:
            first, second = buffer[position], buffer[position + 1]
            size, head = second & 0x7F, 2
            if size == 126:
                if len(buffer) - position < 4:
                    break
                size, head = int.from_bytes(buffer[position + 2:position + 4], "big"), 4
            elif size == 127:
                if len(buffer) - position < 10:
                    break
                size, head = int.from_bytes(buffer[position + 2:position + 10], "big"), 10
            compressed = bool(first & _RSV1) and self.deflate
            if second & 0x80 or first & (0x70 & ~(_RSV1 if self.deflate else 0)) \
                    or not first & 0x80:
                raise ProtocolError("masked, extended or fragmented frame from the server")
            end = position + head + size
            if len(buffer) < end:
                break
            payload = bytes(buffer[position + head:end])
            position = end
            if compressed:
                try:
                    payload = self._inflater.decompress(payload + _SYNC_TAIL)
                except zlib.error as error:
                    raise ProtocolError(f"bad deflate data: {error}") from error
            opcode = first & 0x0F
            if opcode == _TEXT:
                self.on_text(payload.decode())
            elif opcode == _PING:
                self._write(_PONG, payload)
            elif opcode == _CLOSE:
                self.close()
                break
        del buffer[:position]

    def _write(self, opcode: int, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_masked_frame(opcode, payload))

    def _fail(self, error: Exception) -> None:
        if not self.opened.done():
            self.opened.set_exception(error)
        if self.transport is not None:
            self.transport.abort()

    # Use ----------------------------------------------------------------------------------
    def send_text(self, text: str) -> None:
        self._write(_TEXT, text.encode())

    def pause(self, seconds: float) -> None:
        """Read nothing for `seconds`, as a phone in a pocket or a slow tablet does: what the
        server sends meanwhile waits in the socket buffers and then in the server's queue."""
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.pause_reading()
        asyncio.get_running_loop().call_later(seconds, self._resume)

    def _resume(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def close(self) -> None:
        self._write(_CLOSE, struct.pack("!H", 1000))
        if self.transport is not None:
            self.transport.close()
