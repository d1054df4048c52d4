"""Shared frames (crunchtime/realtime/frames.py): one board framed and deflated once is read
correctly by every client, between the messages its own connection compresses; a frame is
written directly only when nothing else is waiting for that client."""

from __future__ import annotations

import json
import zlib

import gevent
import pytest
import socketio
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

from crunchtime.realtime import frames
from crunchtime.realtime.board_runner import ViewChanges, with_new_events
from crunchtime.realtime.fanout import event_packet
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
    def __init__(self, connection):
        self.ws = type("Handshake", (), {"connection": connection})()
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


def framed_websocket():
    framed_class = frames.websocket_class(frames.SimpleWebSocketWSGI)
    framed = framed_class.__new__(framed_class)
    framed.write_lock = frames.Semaphore()
    framed.mode, framed.mode_checked = None, False
    _client, server = connected_pair(None)
    framed.ws = FakeSimpleWebSocket(server.connection)
    return framed


def test_a_frame_is_written_directly_only_when_nothing_waits_for_that_client():
    framed = framed_websocket()
    engine_socket = FakeEngineSocket(framed)
    shared = frames.SharedFrame("42/live,[\"board\",{}]")
    assert frames.try_send(engine_socket, shared)
    assert framed.ws.sock.sent == [shared.frame(frames.PLAIN)]
    engine_socket.queue.append("a queued packet")
    assert not frames.try_send(engine_socket, shared)  # behind what waits, via the queue
    engine_socket.queue.clear()
    with framed.write_lock:  # Engine.IO's writer is mid-send
        assert not frames.try_send(engine_socket, shared)
    engine_socket.upgraded = False  # still on long-polling
    assert not frames.try_send(engine_socket, shared)
    assert len(framed.ws.sock.sent) == 1


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
    framed.ws.sock.room = 0  # full: nothing written, the Engine.IO queue takes it
    assert not frames.try_send(engine_socket, shared) and framed.ws.sock.sent == []
    framed.ws.sock.room = 100  # takes a part: the rest is finished apart, lock held meanwhile
    assert frames.try_send(engine_socket, shared)
    assert framed.write_lock.locked()
    assert not frames.try_send(engine_socket, shared)  # meanwhile: queued behind it
    gevent.sleep(0)
    assert b"".join(framed.ws.sock.sent) == data and not framed.write_lock.locked()
