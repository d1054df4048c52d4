"""Shared frames under the real server (gunicorn, gevent worker) and real compressing clients:
the frames are installed, and a client that negotiates permessage-deflate (aiohttp, with
compression on) and Chromium (which always does) each receive every live event whole and in
order, interleaved with answers written to that connection alone, while juries score.

Slow (a real server process and a browser): marked `slow`, run by ./scripts/test like the rest."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid

import aiohttp
import pytest
import requests

from tests import factories
from tests.browser import unavailable
from tests.browser.conftest import CHROMIUM_PATH
from tests.judging.conftest import assign, enter, make_round
from tests.live.servers import Jury, Server, Watcher, session_cookie

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
NS = "/live"
RESYNC_EVERY_S = 0.03


@pytest.fixture
def judging_database(db, database_url):
    """Round 1 open, four teams, two juries scoring all four, the ranking public."""
    edition = factories.edition(phase="judging", public_display="ranking")
    challenge = factories.challenge(edition)
    teams = [factories.team(edition, challenge) for _ in range(4)]
    juries = [factories.jury(edition) for _ in range(2)]
    judging_round = make_round(edition, k=1, criteria=(("impact", 1.0),))
    enter(judging_round, *teams)
    for jury in juries:
        for team in teams:
            assign(judging_round, jury, team)
    return {"url": database_url, "round": judging_round.id, "teams": [t.id for t in teams],
            "criterion": judging_round.criteria[0].id, "juries": [j.email for j in juries],
            "organizer": factories.organizer().email}


@pytest.fixture
def server(judging_database, redis_url, tmp_path):
    started = Server(judging_database["url"], redis_url, f"test-live:{uuid.uuid4().hex[:8]}",
                     tmp_path)
    started.env["METRICS_ENABLED"] = "true"
    started.start()
    yield started
    started.stop()


def metric(base: str, name: str) -> float | None:
    for line in requests.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


class Stream:
    """What one connection received, in order, read as the live protocol's messages."""

    def __init__(self, texts: list[str]):
        self.order: list[tuple] = []  # ("event", room, seq, name, payload) | ("ack",)
        self.snapshots: dict[str, int] = {}
        self.epochs: dict[str, str] = {}
        for text in texts:
            self._read(text)

    def _read(self, text: str) -> None:
        if text.startswith(f"42{NS},"):
            name, *args = json.loads(text[len(NS) + 3:])  # whole, or this raises
            if name in ("snapshot", "catchup"):
                self.snapshots.setdefault(args[0]["room"], args[0]["seq"])
                self.epochs.setdefault(args[0]["room"], args[0]["epoch"])
            else:
                payload, meta = args
                self.order.append(("event", meta["room"], meta["seq"], name, payload))
        elif text.startswith(f"43{NS},"):
            body = text[len(NS) + 3:]
            answers = json.loads(body[body.index("["):])[0]
            assert all(isinstance(answer, dict) and "room" in answer for answer in answers)
            self.order.append(("ack",))

    def seqs(self, room: str) -> list[int]:
        return [item[2] for item in self.order if item[0] == "event" and item[1] == room]

    def events(self, room: str, name: str) -> list:
        return [item[4] for item in self.order
                if item[0] == "event" and item[1] == room and item[3] == name]

    def acks(self) -> int:
        return sum(item[0] == "ack" for item in self.order)

    def resync_request(self) -> dict:
        return {"organizers": [self.epochs["organizers"], self.snapshots["organizers"]]}


def check(stream: Stream, ledger_seqs: list[int], cells: int, asked: int) -> None:
    """Every live event of each room, once and in seq order from the snapshot on; every score
    in the organisers' room in ledger order; the public board's last view complete; every
    answer to this connection's own requests whole, some of them between live events."""
    for room in ("public", "organizers"):
        seqs = stream.seqs(room)
        start = stream.snapshots[room]
        assert seqs == list(range(start + 1, start + 1 + len(seqs))), (room, start, seqs)
    assert [score["seq"] for score in stream.events("organizers", "score")] == ledger_seqs
    boards = stream.events("public", "board")
    assert boards[-1]["progress"]["recorded"] == cells
    assert sorted(seq for board in boards for seq in board.get("new_events", [])) == ledger_seqs
    assert stream.acks() == asked > 0
    kinds = "".join("a" if item[0] == "ack" else "e" for item in stream.order)
    assert "eae" in kinds, kinds  # private answers between shared events


class AiohttpClient:
    """A client with aiohttp's compression on, speaking Engine.IO 4 / Socket.IO 5 by hand, in a
    thread of its own; asks `resync` every RESYNC_EVERY_S once told to."""

    def __init__(self, base: str, cookie: str):
        self.url = base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.cookie = cookie
        self.texts: list[str] = []
        self.compress = None
        self.asked = 0
        self.resync: dict | None = None
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported by the test
            self.error = error

    async def _main(self) -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(
                self.url, compress=15, headers={"Cookie": self.cookie}, autoping=True) as ws:
            self.compress = ws.compress
            asker = asyncio.create_task(self._ask(ws))
            while not self.stop.is_set():
                try:
                    message = await ws.receive(timeout=0.2)
                except TimeoutError:
                    continue
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise AssertionError(f"the connection broke: {message!r}")
                text = message.data
                if text == "2":
                    await ws.send_str("3")
                elif text.startswith("0"):
                    await ws.send_str(f"40{NS}," + json.dumps({"since": {}}))
                else:
                    self.texts.append(text)
            asker.cancel()

    async def _ask(self, ws) -> None:
        while True:
            await asyncio.sleep(RESYNC_EVERY_S)
            if self.resync is not None:
                self.asked += 1
                await ws.send_str(f"42{NS},{self.asked}" + json.dumps(["resync", self.resync]))


BROWSER_CLIENT = """(since) => new Promise((opened, failed) => {
  const live = window.__live = {texts: [], asked: 0, closed: null, extensions: null};
  const ws = new WebSocket(`ws://${location.host}/socket.io/?EIO=4&transport=websocket`);
  ws.onopen = () => { live.extensions = ws.extensions; opened(ws.extensions); };
  ws.onerror = () => failed(new Error("websocket error"));
  ws.onclose = (event) => { live.closed = event.code; };
  ws.onmessage = (message) => {
    const text = message.data;
    if (text === "2") ws.send("3");
    else if (text[0] === "0") ws.send("40/live," + JSON.stringify({since}));
    else live.texts.push(text);
  };
  window.__askEvery = (request, ms) => { live.timer = setInterval(() => {
    live.asked += 1;
    ws.send(`42/live,${live.asked}` + JSON.stringify(["resync", request]));
  }, ms); };
  window.__stopAsking = () => clearInterval(live.timer);
})"""


def cookie_list(cookie: str, base: str) -> list[dict]:
    pairs = (part.split("=", 1) for part in cookie.split("; "))
    return [{"name": name, "value": value, "url": base} for name, value in pairs]


def wait(condition, timeout: float = 20, what: str = "") -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out: {what}"
        time.sleep(0.05)


def test_shared_frames_are_installed_under_gunicorn(server):
    assert metric(server.url, "crunchtime_live_shared_frames_installed") == 1
    assert "shared frames NOT installed" not in server.log.read_text()


def test_compressing_clients_get_every_live_event_whole_and_in_order(judging_database,
                                                                   server, browser):
    world = judging_database
    if not CHROMIUM_PATH.exists():
        unavailable(f"Debian chromium is not installed at {CHROMIUM_PATH}")
    cookie = session_cookie(server.url, world["organizer"], factories.PASSWORD)
    juries = [Jury(email, factories.PASSWORD).login(server.url) for email in world["juries"]]
    client = AiohttpClient(server.url, cookie)
    watcher = Watcher(server.url)  # a plain (uncompressed) viewer shares the frames too
    context = browser.new_context()
    try:
        watcher.wait_for(lambda board: board["progress"]["recorded"] == 0)
        context.add_cookies(cookie_list(cookie, server.url))
        page = context.new_page()
        page.goto(server.url + "/privacy")
        extensions = page.evaluate(BROWSER_CLIENT, {})
        assert "permessage-deflate" in extensions

        def texts() -> list[str]:
            return page.evaluate("window.__live.texts")

        wait(lambda: {"public", "organizers"} <= set(Stream(texts()).snapshots), what="chromium")
        wait(lambda: {"public", "organizers"} <= set(Stream(client.texts).snapshots),
             what=f"aiohttp {client.error!r}")
        assert client.compress == 15  # aiohttp negotiated permessage-deflate
        page.evaluate("([request, ms]) => window.__askEvery(request, ms)",
                      [Stream(texts()).resync_request(), RESYNC_EVERY_S * 1000])
        client.resync = Stream(client.texts).resync_request()

        ledger_seqs = []
        values = iter([3, 9, 5, 7, 6, 4, 8, 2, 5, 6, 7, 8])
        cells = [(jury, team) for jury in juries for team in world["teams"]]
        for jury, team in cells + cells[:4]:  # four corrections too
            ledger_seqs.append(jury.score(server.url, world["round"], team, world["criterion"],
                                          next(values))["seq"])
            time.sleep(0.05)

        def complete(stream: Stream) -> bool:
            boards = stream.events("public", "board")
            scores = stream.events("organizers", "score")
            return len(scores) >= len(ledger_seqs) and bool(boards) and any(
                ledger_seqs[-1] in board.get("new_events", []) for board in boards)

        wait(lambda: complete(Stream(texts())), what="chromium's last events")
        wait(lambda: complete(Stream(client.texts)), what="aiohttp's last events")
        page.evaluate("window.__stopAsking()")
        client.resync = None
        wait(lambda: Stream(texts()).acks() == page.evaluate("window.__live.asked"),
             what="chromium's answers")
        wait(lambda: Stream(client.texts).acks() == client.asked, what="aiohttp's answers")
        client.stop.set()
        client.thread.join(timeout=10)
        assert client.error is None, client.error
        live = page.evaluate("window.__live")
        assert live["closed"] is None
        check(Stream(client.texts), ledger_seqs, len(cells), client.asked)
        check(Stream(live["texts"]), ledger_seqs, len(cells), live["asked"])
        assert watcher.wait_for(lambda board: board["progress"]["recorded"] == len(cells))
        # The deflate path did serve them: frames shared between compressing sockets.
        assert (metric(server.url, 'crunchtime_live_shared_frames_sent_total{mode="deflate"}')
                or 0) > 0
    finally:
        client.stop.set()
        watcher.close()
        context.close()
