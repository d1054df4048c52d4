"""Shared frames (crunchtime/realtime/frames.py): one board framed and deflated once is read
correctly by every client, between the messages its own connection compresses; a frame is
written directly only when nothing else is waiting for that client."""

from __future__ import annotations

import json
import logging
import random
import socket
import string
import zlib

import gevent
import gevent.event
import gevent.socket
import prometheus_client
import pytest
import socketio
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Pong, Request, TextMessage
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits

from crunchtime.realtime import frames
from crunchtime.realtime.board_runner import ViewChanges, with_new_events
from crunchtime.realtime.fanout import event_packet
from crunchtime.realtime.hub import install_shared_frames
from crunchtime.realtime.streams import LiveEntry, RawJSON

BOARD = json.dumps({"ranking": [{"team": f"T{n:03}", "score": 0.5 + n / 1000}
                                for n in range(60)]})


def connected_pair(offer: PerMessageDeflate | None):
    """A wsproto client and server after the handshake, the client offering `offer`."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="example.test", target="/socket.io/",
                                            extensions=[offer] if offer else [])))
    assert isinstance(next(server.events()), Request)
    client.receive_data(server.send(AcceptConnection(
        extensions=[PerMessageDeflate()] if offer else [])))
    assert isinstance(next(client.events()), AcceptConnection)
    return client, server


def read(client: WSConnection, data: bytes) -> list[str]:
    client.receive_data(data)
    return [event.data for event in client.events() if isinstance(event, TextMessage)]


@pytest.mark.parametrize("offer", [None, PerMessageDeflate()], ids=["plain", "deflate"])
def test_shared_frames_interleave_with_the_connections_own_messages(offer):
    client, server = connected_pair(offer)
    own = "4" + BOARD  # the connection's own compressor has seen this text
    assert read(client, server.send(TextMessage(own))) == [own]
    mode = frames.shared_mode(server.connection)
    assert mode == (frames.DEFLATE if offer else frames.PLAIN)
    for round_number in range(3):
        shared = frames.SharedFrame(f"42/live,[\"board\",{BOARD},{round_number}]")
        assert read(client, shared.frame(mode)) == [shared.text]
        # Had the connection kept its context, this would refer back past the shared frame.
        assert read(client, server.send(TextMessage(own))) == [own]
        assert read(client, server.send(TextMessage("2"))) == ["2"]


def test_a_deflated_shared_frame_is_compressed_and_the_same_bytes_for_every_client():
    shared = frames.SharedFrame("4" + BOARD)
    first, second = connected_pair(PerMessageDeflate()), connected_pair(PerMessageDeflate())
    modes = [frames.shared_mode(server.connection) for _client, server in (first, second)]
    assert modes == [frames.DEFLATE, frames.DEFLATE]
    data = shared.frame(frames.DEFLATE)
    assert len(data) < len(shared.text) / 3 and data[0] == 0xC1  # FIN, RSV1, text
    assert read(first[0], data) == read(second[0], data) == [shared.text]


def test_a_client_that_limits_the_servers_window_is_not_given_shared_frames():
    _client, server = connected_pair(PerMessageDeflate(server_max_window_bits=10))
    assert frames.shared_mode(server.connection) is None


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 70000])
def test_frame_lengths_use_the_short_medium_and_long_forms(size):
    client, _server = connected_pair(None)
    text = "x" * size
    assert read(client, frames.text_frame(text.encode())) == ([text] if size else [""])


def test_deflated_frame_inflates_to_the_text():
    frame = frames.deflated_frame(BOARD.encode())
    body = frame[4:] if frame[1] == 126 else frame[2:]
    assert zlib.decompressobj(-15).decompress(body + b"\x00\x00\xff\xff").decode() == BOARD


def test_install_swaps_the_websocket_class_of_a_gevent_server_only():
    gevent_server = socketio.Server(async_mode="gevent")
    assert frames.install(gevent_server)
    assert gevent_server.eio._async["websocket"].__name__ == "FramedWebSocket"
    assert not frames.install(gevent_server)  # once
    assert not frames.install(socketio.Server(async_mode="threading"))


class FakeSocket:
    """A socket whose buffer takes `room` bytes at once (None: all)."""

    def __init__(self):
        self.sent: list[bytes] = []
        self.room: int | None = None

    def send(self, data, flags=0, timeout=None):
        taken = len(data) if self.room is None else min(self.room, len(data))
        if taken == 0:
            raise BlockingIOError
        self.sent.append(bytes(data[:taken]))
        return taken

    def sendall(self, data):
        self.sent.append(bytes(data))


class FakeSimpleWebSocket:
    def __init__(self, connection: WSConnection):
        self.ws = connection
        self.connected = True
        self.sock = FakeSocket()


class FakeQueue(list):
    def qsize(self) -> int:
        return len(self)


class FakeEngineSocket:
    def __init__(self, framed):
        self.shared_frames = framed
        self.closed = False
        self.upgraded = True
        self.upgrading = False
        self.queue = FakeQueue()


def framed_websocket(offer: PerMessageDeflate | None = None, sock=None):
    """A FramedWebSocket after simple-websocket's handshake, on `sock` (a FakeSocket by
    default), and the wsproto client at the other end."""
    framed_class = frames.websocket_class(frames.SimpleWebSocketWSGI)
    framed = framed_class.__new__(framed_class)
    framed.write_lock = frames.Semaphore()
    framed.mode, framed.mode_checked = None, False
    client, server = connected_pair(offer)
    framed.ws = FakeSimpleWebSocket(server)
    if sock is not None:
        framed.ws.sock = sock
    framed.guard()
    framed.client = client
    return framed


def test_a_frame_is_written_directly_only_when_nothing_waits_for_that_client():
    framed = framed_websocket()
    engine_socket = FakeEngineSocket(framed)
    shared = frames.SharedFrame("42/live,[\"board\",{}]")
    assert frames.try_send(engine_socket, shared)
    assert framed.sock.sent == [shared.frame(frames.PLAIN)]
    engine_socket.queue.append("a queued packet")
    assert not frames.try_send(engine_socket, shared)  # behind what waits, via the queue
    engine_socket.queue.clear()
    with framed.write_lock:  # Engine.IO's writer is mid-send
        assert not frames.try_send(engine_socket, shared)
    engine_socket.upgraded = False  # still on long-polling
    assert not frames.try_send(engine_socket, shared)
    assert len(framed.sock.sent) == 1


def test_the_event_packet_is_what_python_socketio_encodes():
    entry = LiveEntry("public", 7, "board", RawJSON('{"a":[1,2],"b":"é"}'), "ep0")
    expected = socketio.packet.Packet(socketio.packet.EVENT, namespace="/live",
                                      data=["board", {"a": [1, 2], "b": "é"},
                                            entry.meta()]).encode()
    assert json.loads(event_packet("/live", entry)[7:]) == json.loads(expected[7:])
    assert event_packet("/live", entry).startswith("2/live,")


def test_view_changes_publish_only_changed_views_with_the_new_events():
    changes = ViewChanges()
    first = changes({"views": {"public": {"b": 1, "a": 2}, "organizers": {}},
                     "new_events": [4]})
    assert [(room, json.loads(text)) for room, text in first] == [
        ("public", {"new_events": [4], "a": 2, "b": 1}), ("organizers", {"new_events": [4]})]
    again = changes({"views": {"public": {"a": 2, "b": 1}, "organizers": {"x": 1}},
                     "new_events": [5]})
    assert [room for room, _text in again] == ["organizers"]
    assert len(changes({"views": {"public": {"a": 2, "b": 1}}}, force=True)) == 1
    assert with_new_events("{}", "[]") == '{"new_events":[]}'


def test_a_slow_client_never_holds_up_the_broadcast():
    framed = framed_websocket()
    engine_socket = FakeEngineSocket(framed)
    shared = frames.SharedFrame("42/live,[\"board\"," + BOARD + "]")
    data = shared.frame(frames.PLAIN)
    framed.sock.room = 0  # full: nothing written, the Engine.IO queue takes it
    assert not frames.try_send(engine_socket, shared) and framed.sock.sent == []
    framed.sock.room = 100  # takes a part: the rest is finished apart, lock held meanwhile
    assert frames.try_send(engine_socket, shared)
    assert framed.write_lock.locked()
    assert not frames.try_send(engine_socket, shared)  # meanwhile: queued behind it
    gevent.sleep(0)
    assert b"".join(framed.sock.sent) == data and not framed.write_lock.locked()


def incompressible(seed: int, size: int) -> str:
    return "".join(random.Random(seed).choices(string.ascii_letters + string.digits, k=size))


@pytest.mark.parametrize("offer", [None, PerMessageDeflate()], ids=["plain", "deflate"])
def test_a_slow_client_gets_every_message_shared_frame_and_pong_whole_and_in_order(offer):
    """The socket takes part of a write when the client's buffer is nearly full (what
    simple-websocket's `socket.send` then lost): the connection's messages, the shared frames
    and the reader's pongs still arrive whole, none in the middle of another."""
    server_end, client_end = gevent.socket.socketpair()
    server_end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    framed = framed_websocket(offer, sock=server_end)
    engine_socket = FakeEngineSocket(framed)
    expected, got, pongs, parts = [], [], [], []
    written = gevent.event.Event()

    def read_slowly():
        while not written.is_set() or len(got) < len(expected) or len(pongs) < 5:
            data = client_end.recv(2048)
            assert data, "the connection closed"
            framed.client.receive_data(data)
            for event in framed.client.events():
                if isinstance(event, TextMessage):
                    parts.append(event.data)
                    if event.message_finished:
                        got.append("".join(parts))
                        parts.clear()
                elif isinstance(event, Pong):
                    pongs.append(event.payload)
                else:
                    raise AssertionError(f"the stream broke: {event!r}")
            gevent.sleep(0.001)

    def pong(number: int) -> None:  # simple-websocket's reader answers a ping
        framed.ws.sock.send(framed.ws.ws.send(Pong(payload=b"%d" % number)))

    reader = gevent.spawn(read_slowly)
    pongers = []
    for number in range(5):
        own = f"4{number}" + incompressible(number, 40_000)
        expected.append(own)
        framed.send(own)
        pongers.append(gevent.spawn(pong, number))
        board = incompressible(10 + number, 30_000)
        shared = frames.SharedFrame(f"42/live,[\"board\",\"{board}\"]")
        gevent.sleep(0.02)  # the client reads some: the socket takes part of the frame
        if frames.try_send(engine_socket, shared):
            expected.append(shared.text)
    written.set()
    gevent.joinall(pongers, timeout=10)
    reader.join(timeout=20)
    assert reader.successful(), reader.exception
    assert got == expected and len(expected) > 5  # every shared frame that was taken, too
    assert sorted(pongs) == [b"%d" % n for n in range(5)]
    server_end.close()
    client_end.close()


def test_a_pong_waits_for_the_rest_of_a_frame_being_finished():
    framed = framed_websocket()
    engine_socket = FakeEngineSocket(framed)
    shared = frames.SharedFrame("42/live,[\"board\"," + BOARD + "]")
    framed.sock.room = 100
    assert frames.try_send(engine_socket, shared)  # the rest is being finished
    framed.sock.room = None
    ponger = gevent.spawn(framed.ws.sock.send, b"PONG")
    ponger.join()
    assert b"".join(framed.sock.sent) == shared.frame(frames.PLAIN) + b"PONG"


def gauge() -> float | None:
    return prometheus_client.REGISTRY.get_sample_value("crunchtime_live_shared_frames_installed")


def test_a_gevent_server_that_cannot_take_shared_frames_logs_an_error_and_the_metric_says_0(
        caplog):
    server = socketio.Server(async_mode="gevent")
    server.eio._async = {**server.eio._async, "websocket": object}  # as gevent-websocket's
    with caplog.at_level(logging.INFO, logger="crunchtime.realtime.hub"):
        assert not install_shared_frames(server)
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1 and "not simple-websocket's" in errors[0].getMessage()
    assert gauge() == 0
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="crunchtime.realtime.hub"):
        assert install_shared_frames(socketio.Server(async_mode="gevent"))
    assert gauge() == 1
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_shared_frames_are_refused_when_wsproto_keeps_its_compressor_elsewhere(monkeypatch,
                                                                             caplog):
    """A later wsproto that keeps its deflate context under another name would have the
    connection's next message refer back past a shared frame: the self-test catches it."""

    def frame_outbound(self, proto, opcode, rsv, data, fin):
        if opcode not in (Opcode.TEXT, Opcode.BINARY):
            return rsv, data
        deflater = self.__dict__.setdefault("_deflater", zlib.compressobj(
            zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15))
        data = deflater.compress(bytes(data)) + deflater.flush(zlib.Z_SYNC_FLUSH)
        return RsvBits(True, rsv[1], rsv[2]), data[:-4]

    monkeypatch.setattr(PerMessageDeflate, "frame_outbound", frame_outbound)
    assert "around a shared frame" in frames.self_test()
    server = socketio.Server(async_mode="gevent")
    with caplog.at_level(logging.ERROR, logger="crunchtime.realtime.hub"):
        assert not install_shared_frames(server)
    assert "around a shared frame" in caplog.text and gauge() == 0
    assert not frames.installed(server)
    monkeypatch.undo()
    assert frames.self_test() is None
