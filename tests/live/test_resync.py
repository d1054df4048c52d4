"""Every event carries its room's next seq; a client that reconnects, or sees a gap, gets
what it missed (the events, while the room's log holds them) or a fresh snapshot."""

from __future__ import annotations

from crunchtime.realtime.hub import hub_of
from crunchtime.realtime.protocol import LiveClientState
from crunchtime.realtime.streams import MemoryStreams, catch_up
from tests import factories
from tests.live.conftest import api_client, post_event, received


def position(socket, room: str) -> list:
    answer = next(args[0] for name, args in received(socket) if name in ("snapshot", "catchup")
                  and args[0]["room"] == room)
    return [answer["epoch"], answer["seq"]]


def test_a_reconnecting_client_gets_the_events_it_missed(app, db, world, connect):
    organizer = factories.organizer()
    since = position(connect(organizer), "organizers")
    post_event(api_client(app, world.juries[0]), world.score_body("event-missed-1"))
    back = connect(organizer, auth={"since": {"organizers": since}})
    answer = next(args[0] for name, args in received(back)
                  if name == "catchup" and args[0]["room"] == "organizers")
    names = [event for _seq, event, _payload in answer["events"]]
    assert "score" in names and names.count("board") == 1
    assert answer["seq"] == answer["events"][-1][0] > since[1]


def test_a_client_of_another_epoch_gets_a_snapshot(app, db, world, connect):
    viewer = connect(auth={"since": {"public": ["an-old-epoch", 41]}})
    (name, args), = [(n, a) for n, a in received(viewer) if a and isinstance(a[0], dict)
                     and a[0].get("room") == "public"]
    assert name == "snapshot" and args[0]["epoch"] != "an-old-epoch"
    assert args[0]["state"]["edition"] == world.edition.name


def test_resync_answers_only_for_the_rooms_the_client_is_in(app, db, world, connect):
    viewer = connect()
    epoch, seq = position(viewer, "public")
    post_event(api_client(app, world.juries[0]), world.score_body("event-resync-1"))
    answers = viewer.emit("resync", {"public": [epoch, seq], "organizers": [epoch, 0]},
                          namespace="/live", callback=True)
    assert [answer["room"] for answer in answers] == ["public"]
    assert answers[0]["kind"] == "catchup" and answers[0]["events"][0][1] == "board"


def test_the_replay_log_that_no_longer_reaches_back_gives_a_snapshot():
    streams = MemoryStreams(replay=3)
    for n in range(5):
        streams.append("organizers", "score", {"n": n})
    assert streams.missed("organizers", 3) == [(4, "score", {"n": 3}), (5, "score", {"n": 4})]
    assert streams.missed("organizers", 5) == []
    assert streams.missed("organizers", 1) is None


def test_a_catch_up_keeps_only_the_last_board():
    items = [(1, "board", "v1"), (2, "score", "s"), (3, "board", "v2"), (4, "board", "v3")]
    assert catch_up(items, 0, 4) == [(2, "score", "s"), (4, "board", "v3")]


def test_the_client_delivers_in_order_once_and_asks_for_what_a_gap_hides():
    state = LiveClientState()
    meta = lambda seq: {"room": "public", "seq": seq, "epoch": "e"}  # noqa: E731
    assert state.event("board", "early", meta(6)) == ([], {})  # held until the snapshot
    delivered, _ = state.answer({"room": "public", "epoch": "e", "seq": 5, "state": "v5"})
    assert [d.payload for d in delivered] == ["v5", "early"]
    assert state.event("board", "again", meta(6)) == ([], {}) and state.duplicates == 1
    delivered, resync = state.event("board", "later", meta(9))
    assert delivered == [] and resync == {"public": ["e", 6]}
    delivered, _ = state.answer({"room": "public", "epoch": "e", "seq": 8,
                                 "events": [[7, "score", "s7"], [8, "board", "v8"]]})
    assert [d.payload for d in delivered] == ["s7", "v8", "later"]
    assert state.since() == {"since": {"public": ["e", 9]}}


def test_without_listeners_a_score_only_invalidates_the_cached_boards(app, db, world,
                                                                      connect, monkeypatch):
    viewer = connect()
    with app.app_context():
        viewer.disconnect(namespace="/live")
    hub = hub_of(app)
    assert hub.streams.positions(["public"])["public"].view is not None
    # other tests' test clients may still sit in rooms: say that nobody listens
    monkeypatch.setattr(hub, "_has_board_listeners", lambda: False)
    post_event(api_client(app, world.juries[0]), world.score_body("event-nobody-1"))
    assert hub.streams.positions(["public"])["public"].view is None


def test_the_first_event_of_a_new_epoch_is_taken_without_a_resync():
    """Redis restarted without its data: its sequences begin again at 1 under a new epoch.
    That first event misses nothing of the new epoch; a later one does, and asks."""
    state = LiveClientState()
    state.answer({"room": "public", "epoch": "old", "seq": 40, "state": "v40"})
    delivered, resync = state.event("board", "fresh", {"room": "public", "seq": 1,
                                                        "epoch": "new"})
    assert [d.payload for d in delivered] == ["fresh"] and resync == {}
    assert state.since() == {"since": {"public": ["new", 1]}} and state.resyncs == 0
    other = LiveClientState()
    other.answer({"room": "public", "epoch": "old", "seq": 40, "state": "v40"})
    delivered, resync = other.event("board", "later", {"room": "public", "seq": 3,
                                                        "epoch": "new"})
    assert delivered == [] and resync == {"public": ["old", 40]}
