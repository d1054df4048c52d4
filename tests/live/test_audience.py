"""Boards only for rooms somebody listens to: each process announces its board rooms in Redis,
the leader publishes the views of those rooms only, and removes the snapshot of a room nobody
listens to any more (a newcomer then gets a fresh board, never a stale one)."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from crunchtime.realtime import streams
from crunchtime.realtime.board_runner import ViewChanges
from crunchtime.realtime.streams import MemoryStreams, RawJSON, RedisStreams


@pytest.fixture
def redis_streams(redis_url):
    prefix = f"test-audience:{uuid.uuid4().hex[:8]}"
    store = RedisStreams(redis_url, prefix, replay=20)
    yield store
    keys = list(store.redis.scan_iter(f"{prefix}:*"))
    if keys:
        store.redis.delete(*keys)


def result(**views) -> dict:
    return {"views": views, "new_events": [3]}


def test_views_of_rooms_nobody_listens_to_are_skipped_then_dropped():
    changes = ViewChanges()
    both = changes(result(public={"a": 1}, organizers={"o": 1}), wanted={"public", "organizers"})
    assert [room for room, _text in both] == ["public", "organizers"]
    assert changes.dropped == []
    alone = changes(result(public={"a": 2}, organizers={"o": 2}), wanted={"public"})
    assert [room for room, _text in alone] == ["public"] and changes.dropped == ["organizers"]
    assert changes(result(public={"a": 2}, organizers={"o": 2}), wanted={"public"}) == []
    assert changes.dropped == []  # dropped once
    back = changes(result(public={"a": 2}, organizers={"o": 2}), wanted={"public", "organizers"})
    assert [room for room, _text in back] == ["organizers"]  # unchanged, yet published again
    assert json.loads(back[0][1]) == {"new_events": [3], "o": 2}


def test_a_forced_computation_drops_every_room_nobody_listens_to():
    changes = ViewChanges()
    changes(result(public={"a": 1}, organizers={"o": 1}), force=True, wanted=set())
    assert sorted(changes.dropped) == ["organizers", "public"]
    unnamed = {"views": {"public": {"a": 1}}, "rooms": ["challenge:2", "juries", "public"]}
    changes(unnamed, force=True, wanted={"public"})
    assert changes.dropped == ["challenge:2", "juries"]  # computed or not, none stays stale


def test_the_audience_is_the_union_of_live_announcements(redis_streams, monkeypatch):
    redis_streams.announce("fan-out-1", {"public"})
    redis_streams.announce("fan-out-2", {"public", "challenge:4"})
    redis_streams.announce("http-tier", set())
    assert redis_streams.audience() == {"public", "challenge:4"}
    later = time.time() + streams.AUDIENCE_TTL_SECONDS + 1
    monkeypatch.setattr(streams.time, "time", lambda: later)
    redis_streams.announce("fan-out-2", {"organizers"})  # renewed; fan-out-1 was killed
    assert redis_streams.audience() == {"organizers"}
    assert redis_streams.redis.hkeys(redis_streams._key("audience")) == ["fan-out-2"]


def test_dropping_a_view_removes_its_snapshot(redis_streams):
    redis_streams.publish_many([("organizers", "board", RawJSON('{"o":1}')),
                                ("public", "board", RawJSON('{"a":1}'))])
    redis_streams.drop_views(["organizers"])
    positions = redis_streams.positions(["organizers", "public"])
    assert positions["organizers"].view is None and positions["organizers"].seq == 1
    assert positions["public"].view == {"a": 1}


def test_memory_streams_drop_views_too():
    store = MemoryStreams(replay=5)
    store.append("organizers", "board", RawJSON('{"o":1}'))
    store.drop_views(["organizers"])
    assert store.positions(["organizers"])["organizers"].view is None


def test_a_board_computed_for_some_rooms_has_only_their_views(app, db, world):
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.live.board import BoardMemory, compute_board
    from crunchtime.services.live.room_views import board_rooms

    everything = compute_board(BoardMemory(), 10)
    assert board_rooms(current_edition()) == set(everything.views)
    assert {"public", "juries", "organizers"} <= set(everything.views)
    assert any(room.startswith("challenge:") for room in everything.views)
    some = compute_board(BoardMemory(), 10, {"public", "juries"})
    assert set(some.views) == {"public", "juries"}
    assert some.views == {room: everything.views[room] for room in ("public", "juries")}


def test_a_reconnection_reads_only_the_log_it_missed(redis_streams):
    for number in range(1, 8):
        redis_streams.publish("organizers", "score", {"n": number})
    redis_streams.publish_many([("organizers", "board", RawJSON('{"o":8}'))])
    epoch = redis_streams.positions(["organizers"])["organizers"].epoch

    def missed(after):
        return redis_streams.look(["organizers"], {"organizers": (epoch, after)})[
            "organizers"].missed

    assert missed(8) == []
    assert missed(5) == [(6, "score", {"n": 6}), (7, "score", {"n": 7}), (8, "board", {"o": 8})]
    redis_streams.redis.ltrim(redis_streams._key("log", "organizers"), -3, -1)
    assert missed(4) is None  # the log no longer reaches back


@pytest.mark.parametrize("kind", ["redis", "memory"])
def test_a_connection_is_answered_in_one_look(kind, redis_streams):
    """A client's rooms, its positions in them and what it missed, in one round trip to
    Redis: the events after its seq when it holds one of this epoch and the log reaches back
    there, else the room's view (and nothing read that the answer does not need)."""
    store = redis_streams if kind == "redis" else MemoryStreams(replay=20)

    def publish(room, event, payload):
        if kind == "redis":
            store.publish_many([(room, event, payload)])
        else:
            store.append(room, event, payload)

    for number in range(1, 5):
        publish("organizers", "score", {"n": number})
    publish("organizers", "board", RawJSON('{"o":5}'))
    publish("public", "board", RawJSON('{"a":1}'))
    epoch = store.positions(["public"])["public"].epoch
    since = {"organizers": (epoch, 2), "public": ("an-older-epoch", 9)}
    looks = store.look(["organizers", "public", "team:7"], since)
    organizers, public, team = looks["organizers"], looks["public"], looks["team:7"]
    assert organizers.missed == [(3, "score", {"n": 3}), (4, "score", {"n": 4}),
                                 (5, "board", {"o": 5})]
    assert (organizers.position.epoch, organizers.position.seq) == (epoch, 5)
    assert public.missed is None and public.position.view == {"a": 1}  # another epoch
    assert team.missed is None and team.position.seq == 0 and team.position.view is None
    assert store.look(["organizers"], {"organizers": (epoch, 5)})["organizers"].missed == []
    assert store.look(["organizers"], {"organizers": (epoch, 9)})["organizers"].missed == []
    if kind == "redis":  # the log no longer reaches back: the view instead
        store.redis.ltrim(store._key("log", "organizers"), -2, -1)
        trimmed = store.look(["organizers"], {"organizers": (epoch, 1)})["organizers"]
        assert trimmed.missed is None and trimmed.position.view == {"o": 5}
        caught_up = store.look(["organizers"], {"organizers": (epoch, 3)})["organizers"]
        assert caught_up.missed == [(4, "score", {"n": 4}), (5, "board", {"o": 5})]
        assert caught_up.position.view is None  # not read: the events say it all
    assert store.look([], since) == {}


def test_a_first_look_names_the_epoch(redis_streams):
    looks = redis_streams.look(["public"], {})
    epoch = looks["public"].position.epoch
    assert epoch and redis_streams.redis.get(redis_streams._key("epoch")) == epoch
    assert redis_streams.look(["public"], {})["public"].position.epoch == epoch
