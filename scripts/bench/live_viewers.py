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

from live_socket import ProtocolError, WebSocketClient

from crunchtime.realtime.protocol import LiveClientState

PARSED_KEEP = 256
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

    def __init__(self, index: int, mode: str, record: dict, parse=json.loads):
        self.index = index
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
        moment = time.time()
        if text == "2":
            self._send("3")
            return
        if text[:1] == "0":  # Engine.IO's opening: join the namespace with our positions
            self._send(f"40{self.NS}," + json.dumps(self.state.since()))
            return
        prefix = text[:2]
        body = text[2 + len(self.NS) + 1:] if text[2:].startswith(self.NS + ",") else ""
        if prefix == "40":
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
        self.ws = WebSocketClient(url + "/socket.io/?EIO=4&transport=websocket",
                                  self._on_message, compress=COMPRESS)
        await self.ws.open()
        if COMPRESS and not self.ws.deflate:
            raise ProtocolError("the server did not accept permessage-deflate")
        self.deflated = self.ws.deflate
        if self.closing:
            self.ws.close()
        await self.ws.closed

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
                "duplicates": self.duplicates, "repeats_dropped": self.state.duplicates,
                "disconnects": self.disconnects, "resyncs": self.state.resyncs,
                "resynced": self.resynced, "connected": self.connected,
                "deflated": self.deflated}


async def run(config: dict) -> None:
    record: dict[int, list[float]] = defaultdict(list)
    urls = config["urls"]
    parse = SharedParser()
    viewers = [Viewer(i, config["mode"], record, parse)
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
           "connect_failures": failures}
    with open(config["out"], "w") as handle:
        json.dump(out, handle)
    await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(run(json.loads(sys.argv[1])))


if __name__ == "__main__":
    main()
