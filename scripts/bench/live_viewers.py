"""Viewers for scripts/bench/live.py: one process holding many asyncio Socket.IO clients
(the wire protocol spoken over a minimal WebSocket client, live_socket.py) as public viewers
of /live, run as
`python live_viewers.py CONFIG_JSON`.

It connects its clients (spread over the given server URLs), prints READY, records what
each client receives until a line arrives on stdin, then writes its results to the config's
`out` file and exits. Mode "app" speaks the live protocol (crunchtime/realtime/protocol.py):
per client it notes, for each ledger seq a board names in `new_events`, when it first came,
and its board's final progress. Mode "baseline" notes when each re-broadcast score id came."""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import sys
import time
from collections import defaultdict

import uvloop
from live_socket import ProtocolError, WebSocketClient

from crunchtime.realtime.protocol import LiveClientState

PARSED_KEEP = 256
HEARTBEAT_TIMEOUT_S = 45.0
# scripts/bench/live.py --compress: offer permessage-deflate, as every browser does.
COMPRESS = os.environ.get("BENCH_LIVE_COMPRESS") == "1"


class SharedParser:
    """json.loads once per distinct message text: every viewer of a process receives the same
    board, and 1,000 parses of one 2 KB text were 40 % of the process' CPU, on the cores the
    servers under test run on. Payloads are only read, never changed, so they may be shared."""

    def __init__(self):
        self._parsed: dict[str, object] = {}

    def __call__(self, text: str):
        found = self._parsed.get(text)
        if found is None:
            if len(self._parsed) >= PARSED_KEEP:
                self._parsed.clear()
            found = self._parsed[text] = json.loads(text)
        return found


class Viewer:
    """One viewer speaking Socket.IO 5 / Engine.IO 4 itself: the python-socketio asyncio
    client starts a task per message and, at 2,000 viewers, tired out before the server did.
    Reconnects with the live protocol's `since` positions."""

    NS = "/live"

    def __init__(self, index: int, mode: str, record: dict, parse=json.loads,
                 headers: dict | None = None, slow: bool = False):
        self.index = index
        self.headers = headers  # a signed-in viewer's cookie (scripts/load/rehearsal.py)
        self.slow = slow        # reads nothing for a few seconds now and then
        self.parse = parse
        self.mode = mode
        self.state = LiveClientState()
        self.seen: set[int] = set()
        self.duplicates = 0
        self.recorded = None
        self.history: list[tuple[float, int]] = []  # (time, recorded) after each board
        self.disconnects = 0
        self.resynced = 0
        self.record = record  # seq -> list of receive times (shared by the process)
        self.connected = False
        self.closing = False
        self.ws = None
        self._acks = 0
        self._joined = asyncio.Event()
        self.deflated = False
        self.last_message = time.time()
        self.joins: list[float] = []  # when each (re)connection joined the namespace

    def _note(self, seq: int, moment: float) -> None:
        if seq in self.seen:
            self.duplicates += 1
            return
        self.seen.add(seq)
        self.record[seq].append(moment)

    def _deliver(self, deliveries, moment: float, live: bool) -> None:
        for delivery in deliveries:
            if delivery.event != "board" or delivery.meta["room"] != "public":
                continue
            view = delivery.payload
            if live and not delivery.meta.get("snapshot"):
                for seq in view.get("new_events", []):
                    self._note(seq, moment)
            elif not live:
                self.resynced += len(view.get("new_events", []))
            progress = view.get("progress") or {}
            if "recorded" in progress:
                self.recorded = progress["recorded"]
                self.history.append((moment, self.recorded))

    def _send(self, text: str) -> None:
        self.ws.send_text(text)

    def _resync(self, resync: dict) -> None:
        if resync:
            self._acks += 1
            self._send(f"42{self.NS},{self._acks}" + json.dumps(["resync", resync]))

    def _on_message(self, text: str) -> None:
        moment = self.last_message = time.time()
        if text == "2":
            self._send("3")
            return
        if text[:1] == "0":  # Engine.IO's opening: join the namespace with our positions
            self._send(f"40{self.NS}," + json.dumps(self.state.since()))
            return
        prefix = text[:2]
        body = text[2 + len(self.NS) + 1:] if text[2:].startswith(self.NS + ",") else ""
        if prefix == "40":
            self.joins.append(moment)
            self.connected = True
            self._joined.set()
        elif prefix == "42":
            event, *args = self.parse(body)
            if self.mode == "baseline":
                if event == "score":
                    self._note(args[0]["id"], moment)
            elif event in ("snapshot", "catchup"):
                deliveries, resync = self.state.answer(args[0])
                self._deliver(deliveries, moment, live=False)
                self._resync(resync)
            elif len(args) == 2 and isinstance(args[1], dict):
                deliveries, resync = self.state.event(event, args[0], args[1])
                self._deliver(deliveries, moment, live=True)
                self._resync(resync)
        elif prefix == "43":
            answers = json.loads(body[body.index("["):])[0]
            for answer in answers or ():
                deliveries, resync = self.state.answer(answer)
                self._deliver(deliveries, moment, live=False)
                self._resync(resync)

    async def _session(self, url: str) -> None:
        socket_url = url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        self.ws = WebSocketClient(socket_url + "/socket.io/?EIO=4&transport=websocket",
                                  self._on_message, compress=COMPRESS, headers=self.headers)
        await self.ws.open()
        self.last_message = time.time()
        if self.slow:
            self._slow_reads = asyncio.create_task(self._read_slowly(self.ws))
        if COMPRESS and not self.ws.deflate:
            raise ProtocolError("the server did not accept permessage-deflate")
        self.deflated = self.ws.deflate
        if self.closing:
            self.ws.close()
        await self._until_closed(self.ws)

    async def _until_closed(self, ws) -> None:
        """Until the socket is closed, or known dead as a browser's Socket.IO client knows
        it: its transport closing without telling (asyncio's TLS transport can lose the
        close when data follows the peer's close_notify), or no server ping for
        pingInterval + pingTimeout (25 + 20 s)."""
        while not ws.closed.done():
            try:
                await asyncio.wait_for(asyncio.shield(ws.closed), 1.0)
            except TimeoutError:
                silent = time.time() - self.last_message
                closing = ws.transport is None or ws.transport.is_closing()
                if closing or silent > HEARTBEAT_TIMEOUT_S:
                    if ws.transport is not None:
                        ws.transport.abort()
                    return

    async def _read_slowly(self, ws) -> None:
        """Pause reading 3 s out of every 10 (a slow reader), while the socket lives."""
        while not ws.closed.done():
            await asyncio.sleep(7 * (0.5 + random.random()))
            ws.pause(3.0)
            await asyncio.sleep(3.0)

    async def run(self, url: str) -> None:
        """Stay connected (reconnecting after 0.5–2 s) until told to close."""
        delay = 0.5
        while not self.closing:
            try:
                await self._session(url)
                delay = 0.5
            except (TimeoutError, OSError, ProtocolError):
                pass
            if self.connected:
                self.disconnects += 1
            self.connected = False
            self.state.disconnected()
            if self.closing:
                break
            await asyncio.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 2.0)

    async def connect(self, url: str) -> None:
        self.task = asyncio.create_task(self.run(url))
        await asyncio.wait_for(self._joined.wait(), 30)

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            self.ws.close()

    def result(self) -> dict:
        return {"recorded": self.recorded, "history": self.history[-3000:],
                "joins": self.joins[-50:],
                "duplicates": self.duplicates, "repeats_dropped": self.state.duplicates,
                "disconnects": self.disconnects, "resyncs": self.state.resyncs,
                "resynced": self.resynced, "connected": self.connected,
                "deflated": self.deflated}


async def run(config: dict) -> None:
    record: dict[int, list[float]] = defaultdict(list)
    slow_record: dict[int, list[float]] = defaultdict(list)  # the slow readers' own
    urls = config["urls"]
    parse = SharedParser()
    cookies = config.get("cookies", [])  # the first len(cookies) viewers are signed in
    origin = config.get("origin")
    slow_every = config.get("slow_every", 0)  # every Nth viewer reads slowly
    viewers = [Viewer(i, config["mode"],
                      slow_record if slow_every and i % slow_every == slow_every - 1 else record,
                      parse,
                      headers={"Cookie": cookies[i], "Origin": origin} if i < len(cookies)
                      else None,
                      slow=bool(slow_every) and i % slow_every == slow_every - 1)
               for i in range(config["clients"])]
    pace = config.get("connects_per_second", 250)
    failures = 0
    for start in range(0, len(viewers), 50):
        batch = viewers[start:start + 50]
        results = await asyncio.gather(*(v.connect(urls[(config["offset"] + v.index) % len(urls)])
                                         for v in batch), return_exceptions=True)
        failures += sum(isinstance(r, Exception) for r in results)
        await asyncio.sleep(len(batch) / pace)
    if config["mode"] == "app":  # measure from the first board on, not the worker's start
        deadline = time.time() + 60
        while time.time() < deadline and any(v.recorded is None for v in viewers
                                             if v.connected):
            await asyncio.sleep(0.2)
    print(json.dumps({"ready": True, "failures": failures}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    out = {"viewers": [v.result() for v in viewers], "record": record,
           "slow_record": slow_record,
           "connect_failures": failures}
    with open(config["out"], "w") as handle:
        json.dump(out, handle)
    await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # uvloop: the viewers stand for 2,000 browsers on their own devices, yet run on the cores
    # of the servers under test; asyncio's own loop spent half of their CPU in Python, and
    # that CPU was taken from the servers (the app's and the floor's alike).
    uvloop.run(run(json.loads(sys.argv[1])))


if __name__ == "__main__":
    main()
