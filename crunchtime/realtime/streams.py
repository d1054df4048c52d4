"""Where live events get their `seq`: one sequence per room, a short replay log per room and
the latest board view, in this process (one server) or in Redis (several processes).

In Redis one Lua script gives the room its next seq and appends the event to a Redis stream,
to the room's replay log and (for a board) to the room's cached view, all atomically: the
stream's order is the seq order, whichever process published. Each server process reads the
stream and emits to its own clients, so every client sees one room's events in seq order.
The epoch names one life of the sequences (a new one when the store is new or was lost);
a client that holds positions of another epoch gets snapshots.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import deque
from dataclasses import dataclass

BOARD_EVENT = "board"
CONTROL_DIRTY = "dirty"
CONTROL_DISCONNECT = "disconnect"


@dataclass(frozen=True)
class Disconnect:
    """A control entry: every process ends its live connections of these accounts."""

    user_ids: tuple[int, ...]


@dataclass(frozen=True)
class RawJSON:
    """A payload already encoded (a board view as the board worker wrote it, or as Redis
    holds it): carried as text to the viewers' sockets, decoded only where an object is
    needed."""

    text: str

    def value(self):
        return json.loads(self.text)


@dataclass(frozen=True)
class LiveEntry:
    """One event as a room sees it."""

    room: str
    seq: int
    event: str
    payload: object
    epoch: str

    def meta(self) -> dict:
        return {"room": self.room, "seq": self.seq, "epoch": self.epoch}

    def payload_value(self):
        return self.payload.value() if isinstance(self.payload, RawJSON) else self.payload

    def payload_json(self) -> str:
        if isinstance(self.payload, RawJSON):
            return self.payload.text
        return json.dumps(self.payload, separators=(",", ":"))


@dataclass(frozen=True)
class Position:
    """Where a room stands now: its epoch and last seq, and its latest board view if any."""

    epoch: str
    seq: int
    view: object = None


@dataclass(frozen=True)
class Look:
    """What a (re)connecting client is answered for one room: where the room stands and the
    events it missed since its position (None when it has none of this epoch, or when the
    log no longer reaches back there: then `position.view` is the room's latest view)."""

    position: Position
    missed: list[tuple[int, str, object]] | None


def catch_up(items: list[tuple[int, str, object]], after: int,
             current: int) -> list[tuple[int, str, object]] | None:
    """The logged events after `after`, or None when the log no longer reaches back there.
    Only the last board survives: each board is a whole state that supersedes the earlier."""
    if after >= current:
        return []
    if not items or items[0][0] > after + 1:
        return None
    missed = [item for item in items if item[0] > after]
    last_board = max((i for i, item in enumerate(missed) if item[1] == BOARD_EVENT),
                     default=None)
    return [item for i, item in enumerate(missed)
            if item[1] != BOARD_EVENT or i == last_board]


class MemoryStreams:
    """One process: sequences live as long as the process (a restart starts a new epoch).
    The hub serialises `append` with its emission, so seq order is emission order."""

    kind = "memory"

    def __init__(self, replay: int):
        self.epoch = secrets.token_hex(6)
        self._replay = replay
        self._seqs: dict[str, int] = {}
        self._logs: dict[str, deque] = {}
        self._views: dict[str, object] = {}

    def append(self, room: str, event: str, payload) -> LiveEntry:
        if isinstance(payload, RawJSON):
            payload = payload.value()
        seq = self._seqs.get(room, 0) + 1
        self._seqs[room] = seq
        self._logs.setdefault(room, deque(maxlen=self._replay)).append((seq, event, payload))
        if event == BOARD_EVENT:
            self._views[room] = payload
        return LiveEntry(room, seq, event, payload, self.epoch)

    def positions(self, rooms: list[str]) -> dict[str, Position]:
        return {room: Position(self.epoch, self._seqs.get(room, 0), self._views.get(room))
                for room in rooms}

    def missed(self, room: str, after: int):
        return catch_up(list(self._logs.get(room, ())), after, self._seqs.get(room, 0))

    def look(self, rooms: list[str], since: dict[str, tuple[str, int]]) -> dict[str, Look]:
        positions = self.positions(rooms)
        return {room: Look(positions[room], self.missed(room, since[room][1])
                           if room in since and since[room][0] == self.epoch else None)
                for room in rooms}

    def forget_views(self) -> None:
        """The cached boards are stale (nobody listened when scores changed)."""
        self._views.clear()

    def drop_views(self, rooms: list[str]) -> None:
        """These rooms' boards are no longer kept current (nobody listens)."""
        for room in rooms:
            self._views.pop(room, None)


# The epoch (KEYS[1]), made from ARGV[n] if the store has none yet (new, or its data lost).
_EPOCH = """
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[{n}]
  redis.call('SET', KEYS[1], epoch)
end
"""
_PUBLISH = _EPOCH.format(n=6) + """local seq = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*',
           'r', ARGV[1], 's', seq, 'e', ARGV[2], 'p', ARGV[3], 'ep', epoch)
local item = '[' .. seq .. ',' .. cjson.encode(ARGV[2]) .. ',' .. ARGV[3] .. ']'
redis.call('RPUSH', KEYS[4], item)
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[4]), -1)
if ARGV[7] == '1' then redis.call('SET', KEYS[5], ARGV[3]) end
return seq
"""
# A connecting client's answer in one round trip (2,000 viewers come back at once after a
# restart): the epoch (made if missing), then per room its current seq, the log's tail after
# the client's seq when the client holds a position of this epoch and the log reaches back
# there (else false), and the room's view when that tail is missing (else false). A room's
# log holds its events in consecutive seqs: only the last (current − seen) items are read,
# not the whole log, which 2,000 viewers reconnecting at once would each fetch and parse.
# KEYS: epoch, seq hash, then each room's log and view; ARGV: a new epoch's name, then each
# room's name, the client's epoch ('' if none) and seq.
_LOOK = _EPOCH.format(n=1) + """local answer = {epoch}
local rooms = (#ARGV - 1) / 3
for i = 0, rooms - 1 do
  local room, seen_epoch, after = ARGV[2 + 3 * i], ARGV[3 + 3 * i], tonumber(ARGV[4 + 3 * i])
  local log, view = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  local current = tonumber(redis.call('HGET', KEYS[2], room) or '0')
  local missed = false
  if seen_epoch == epoch then
    local gap = current - after
    if gap <= 0 then
      missed = {}
    elseif redis.call('LLEN', log) >= gap then
      missed = redis.call('LRANGE', log, -gap, -1)
    end
  end
  answer[#answer + 1] = current
  answer[#answer + 1] = missed
  answer[#answer + 1] = (not missed) and (redis.call('GET', view) or false)
end
return answer
"""
STREAM_LENGTH = 10_000
POOL_SIZE = 32
READER_TIMEOUT_SECONDS = 30
# How long a process' list of listened board rooms counts without being renewed: a killed
# process' rooms keep their boards current that long (the safe direction).
AUDIENCE_TTL_SECONDS = 15.0


def _control(fields: dict) -> str | Disconnect:
    if fields.get("e") == CONTROL_DISCONNECT:
        return Disconnect(tuple(int(i) for i in fields.get("u", "").split(",") if i.isdigit()))
    return fields.get("e", "")


class RedisStreams:
    """Several processes: sequences, logs and views in Redis, events relayed by a stream."""

    kind = "redis"

    def __init__(self, url: str, prefix: str, replay: int):
        import redis

        # A bounded pool that makes greenlets wait their turn: 2,000 viewers reconnecting
        # at once must not open 2,000 Redis connections.
        pool = redis.BlockingConnectionPool.from_url(url, decode_responses=True,
                                                     max_connections=POOL_SIZE, timeout=20,
                                                     health_check_interval=30)
        self.redis = redis.Redis(connection_pool=pool)
        # The relay blocks on XREAD for up to RELAY_BLOCK_MS; redis-py's default 5 s socket
        # timeout would break that read whenever the stream is quiet.
        self._reader = redis.Redis.from_url(url, decode_responses=True,
                                            socket_timeout=READER_TIMEOUT_SECONDS)
        self.prefix = prefix
        self._replay = replay
        self._publish = self.redis.register_script(_PUBLISH)
        self._look = self.redis.register_script(_LOOK)
        self.stream = f"{prefix}:stream"

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def publish(self, room: str, event: str, payload) -> None:
        """Append the event; the relays of all processes emit it."""
        self.publish_many([(room, event, payload)])

    def publish_many(self, events: list[tuple[str, str, object]]) -> list[int]:
        """Append the events in order; their seqs."""
        pipe = self.redis.pipeline(transaction=False)
        for room, event, payload in events:
            text = payload.text if isinstance(payload, RawJSON) \
                else json.dumps(payload, separators=(",", ":"))
            self._publish(
                keys=[self._key("epoch"), self._key("seq"), self.stream, self._key("log", room),
                      self._key("view", room)],
                args=[room, event, text, self._replay,
                      STREAM_LENGTH, secrets.token_hex(6), int(event == BOARD_EVENT)],
                client=pipe)
        return [int(seq) for seq in pipe.execute()]

    def signal(self, control: str) -> None:
        """A control entry (no room, no seq) that only the processes' relays act on."""
        self.redis.xadd(self.stream, {"r": "", "e": control}, maxlen=STREAM_LENGTH,
                        approximate=True)

    def signal_disconnect(self, user_ids: list[int]) -> None:
        """Tell every process' relay to end its connections of these accounts."""
        self.redis.xadd(self.stream, {"r": "", "e": CONTROL_DISCONNECT,
                                      "u": ",".join(str(int(i)) for i in user_ids)},
                        maxlen=STREAM_LENGTH, approximate=True)

    def positions(self, rooms: list[str]) -> dict[str, Position]:
        if not rooms:
            return {}
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(self._key("epoch"), secrets.token_hex(6), nx=True)
        pipe.get(self._key("epoch"))
        pipe.hmget(self._key("seq"), rooms)
        pipe.mget([self._key("view", room) for room in rooms])
        _created, epoch, seqs, views = pipe.execute()
        return {room: Position(epoch, int(seq or 0), json.loads(view) if view else None)
                for room, seq, view in zip(rooms, seqs, views, strict=True)}

    def look(self, rooms: list[str], since: dict[str, tuple[str, int]]) -> dict[str, Look]:
        """Each room's position and what the client missed since `since`, in one round trip."""
        if not rooms:
            return {}
        keys, args = [self._key("epoch"), self._key("seq")], [secrets.token_hex(6)]
        for room in rooms:
            seen_epoch, after = since.get(room, ("", 0))
            keys += [self._key("log", room), self._key("view", room)]
            args += [room, seen_epoch, after]
        answer = self._look(keys=keys, args=args)
        epoch, looks = answer[0], {}
        for index, room in enumerate(rooms):
            current, raw, view = answer[1 + 3 * index: 4 + 3 * index]
            current = int(current)
            missed = None
            if raw is not None:
                after = since[room][1]
                missed = catch_up([tuple(json.loads(item)) for item in raw], after, current)
                if missed is None:  # not reached back after all: the view, then
                    view = self.redis.get(self._key("view", room))
            looks[room] = Look(Position(epoch, current, json.loads(view) if view else None),
                               missed)
        return looks

    def last_id(self) -> str:
        newest = self.redis.xrevrange(self.stream, count=1)
        return newest[0][0] if newest else "0-0"

    def read(self, after_id: str, block_ms: int, wanted=lambda room: True):
        """(last id, entries) after `after_id`: LiveEntry for the rooms `wanted` (the others
        are skipped; payloads stay JSON text), a Disconnect, or another control's name (a
        string)."""
        answer = self._reader.xread({self.stream: after_id}, block=block_ms, count=500)
        entries = []
        for _stream, messages in answer or ():
            for message_id, fields in messages:
                after_id = message_id
                if not fields.get("r"):
                    entries.append(_control(fields))
                    continue
                if not wanted(fields["r"]):
                    continue
                entries.append(LiveEntry(fields["r"], int(fields["s"]), fields["e"],
                                         RawJSON(fields["p"]), fields["ep"]))
        return after_id, entries

    def forget_views(self) -> None:
        """Nothing to do: the leader keeps Redis' views current."""

    def drop_views(self, rooms: list[str]) -> None:
        """These rooms' boards are no longer kept current: no stale snapshot for a newcomer
        (who then asks for a fresh one)."""
        if rooms:
            self.redis.delete(*(self._key("view", room) for room in rooms))

    def announce(self, process: str, rooms: set[str]) -> None:
        """The board rooms `process` has clients in (renewed every few seconds)."""
        payload = json.dumps({"rooms": sorted(rooms), "at": time.time()})
        self.redis.hset(self._key("audience"), process, payload)

    def withdraw(self, process: str) -> None:
        self.redis.hdel(self._key("audience"), process)

    def audience(self) -> set[str]:
        """The board rooms some process has clients in (stale announcements expire)."""
        rooms: set[str] = set()
        expired = []
        oldest = time.time() - AUDIENCE_TTL_SECONDS
        for process, payload in self.redis.hgetall(self._key("audience")).items():
            entry = json.loads(payload)
            if entry.get("at", 0) < oldest:
                expired.append(process)
            else:
                rooms.update(entry.get("rooms", ()))
        if expired:
            self.redis.hdel(self._key("audience"), *expired)
        return rooms
