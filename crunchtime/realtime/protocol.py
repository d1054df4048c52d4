"""The client side of the live protocol, in Python and without I/O: what static/js/live.js
does, for Python clients (the multi-process tests, scripts/bench/live.py).

Feed it what the socket receives; it returns what the page would be given, in order and
once, and tells when to ask `resync`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RoomState:
    epoch: str
    seq: int
    held: bool = False


@dataclass
class Delivery:
    event: str
    payload: object
    meta: dict


@dataclass
class LiveClientState:
    rooms: dict[str, RoomState] = field(default_factory=dict)
    waiting: dict[str, list[tuple[str, object, dict]]] = field(default_factory=dict)
    duplicates: int = 0
    stale: int = 0
    resyncs: int = 0

    def since(self) -> dict:
        """The `auth` of a (re)connection."""
        return {"since": {room: [at.epoch, at.seq] for room, at in self.rooms.items()}}

    def disconnected(self) -> None:
        for at in self.rooms.values():
            at.held = True

    def answer(self, answer: dict) -> tuple[list[Delivery], dict]:
        """A snapshot or catch-up (on connect, or acknowledging a resync)."""
        room = answer["room"]
        before = self.rooms.get(room)
        self.rooms[room] = RoomState(answer["epoch"], answer["seq"])
        out: list[Delivery] = []
        if answer.get("events") is not None:
            for seq, event, payload in answer["events"]:
                if before is None or before.epoch != answer["epoch"] or seq > before.seq:
                    out.append(Delivery(event, payload,
                                        {"room": room, "seq": seq, "epoch": answer["epoch"]}))
        elif answer.get("state") is not None:
            out.append(Delivery("board", answer["state"], {"room": room, "seq": answer["seq"],
                                                           "epoch": answer["epoch"],
                                                           "snapshot": True}))
        elif before is not None:
            self.stale += 1
        queued = sorted(self.waiting.pop(room, []), key=lambda item: item[2]["seq"])
        resync: dict = {}
        for event, payload, meta in queued:
            delivered, more = self.event(event, payload, meta)
            out += delivered
            resync.update(more)
        return out, resync

    def event(self, event: str, payload, meta: dict) -> tuple[list[Delivery], dict]:
        """A live event; returns (deliveries, resync request or {})."""
        room = meta["room"]
        at = self.rooms.get(room)
        if at is None or at.held:
            self.waiting.setdefault(room, []).append((event, payload, meta))
            return [], {}
        if meta["epoch"] == at.epoch and meta["seq"] <= at.seq:
            self.duplicates += 1
            return [], {}
        if meta["epoch"] == at.epoch and meta["seq"] == at.seq + 1:
            at.seq = meta["seq"]
            return [Delivery(event, payload, meta)], {}
        if meta["epoch"] != at.epoch and meta["seq"] == 1:
            # The store's sequences began again (Redis lost its data): the first event of
            # the new epoch misses nothing of it, and a board is a whole state; taken at
            # once, without a resync that every viewer would send at the same moment.
            self.rooms[room] = RoomState(meta["epoch"], 1)
            return [Delivery(event, payload, meta)], {}
        self.waiting.setdefault(room, []).append((event, payload, meta))
        at.held = True
        self.resyncs += 1
        return [], {room: [at.epoch, at.seq]}
