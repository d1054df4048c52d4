"""Pacing of the live board (crunchtime/realtime/fanout.py, board_runner.py): the next board
is computed when the fan-out is about to be free, not as soon as the previous one was
published, so that it waits neither for the fan-out nor for the scores that came meanwhile;
and the board worker's own reading of the database (crunchtime/live_worker.py)."""

from __future__ import annotations

import gevent
import gevent.event
import pytest
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.exc import OperationalError

from crunchtime import live_worker
from crunchtime.extensions import db as _db
from crunchtime.models import ScoreEvent
from crunchtime.realtime import board_runner
from crunchtime.realtime import fanout as fanout_module
from crunchtime.realtime import hub as hub_module
from crunchtime.realtime.board_runner import BoardRunner, ViewChanges
from crunchtime.realtime.board_worker import worker_settings
from crunchtime.realtime.fanout import FanOut
from crunchtime.realtime.hub import hub_of
from crunchtime.realtime.streams import LiveEntry, RawJSON
from crunchtime.services.live.board import BoardMemory, compute_board
from tests.live.test_board_refit import score

SEND_SECONDS = 0.002  # what one viewer's write costs the fake fan-out below


class _Manager:
    def __init__(self, viewers: int):
        self.viewers = [(f"sid-{n}", f"eio-{n}") for n in range(viewers)]

    def get_participants(self, _namespace, _room):
        return iter(self.viewers)


class _Sockets(dict):
    def get(self, _key, default=None):
        return object()  # no shared frames: every write goes through _send_eio_packet


class _Server:
    """Enough of a Socket.IO server for FanOut: viewers whose every write takes a while."""

    def __init__(self, viewers: int):
        self.manager = _Manager(viewers)
        self.eio = type("Eio", (), {"sockets": _Sockets()})()
        self.writes = 0

    def _send_eio_packet(self, _eio_sid, _message):
        self.writes += 1
        gevent.sleep(SEND_SECONDS)


def board(seq: int) -> LiveEntry:
    return LiveEntry("public", seq, "board", RawJSON('{"new_events":[]}'), "epoch")


@pytest.fixture
def small_slices(monkeypatch):
    monkeypatch.setattr(fanout_module, "SLICE", 16)


def test_the_fan_out_tells_how_long_until_a_board_has_reached_everyone(small_slices):
    server = _Server(viewers=160)
    out = FanOut(server, "/live")
    out.send(board(1))
    out.send(board(2))
    assert out.remaining("public", 1) is None  # not started yet
    gevent.sleep(40 * SEND_SECONDS)  # some slices of the first board are out
    assert out.remaining("public", 2) is None  # the second waits behind the first
    out.wait_flushed("public", 1, timeout=10)
    assert out.remaining("public", 1) == 0.0
    gevent.sleep(40 * SEND_SECONDS)  # the second is being sent, nothing behind it
    estimate = out.remaining("public", 2)
    assert estimate is not None and 0 < estimate < 160 * SEND_SECONDS * 3
    out.wait_nearly_flushed("public", 2, lead=0.0, timeout=10)
    assert out.flushed("public") == 2 and out.remaining("public", 2) == 0.0
    assert server.writes == 320


def test_waiting_for_a_nearly_flushed_board_returns_before_its_last_viewer(small_slices):
    server = _Server(viewers=200)
    out = FanOut(server, "/live")
    out.send(board(1))
    lead = 100 * SEND_SECONDS  # about half of the board's emission
    out.wait_nearly_flushed("public", 1, lead=lead, timeout=10)
    assert out.flushed("public") < 1  # returned while the board was still being sent
    assert 0 < server.writes < 200
    out.wait_nearly_flushed("public", 1, lead=0.0, timeout=10)
    assert out.flushed("public") == 1 and server.writes == 200


def test_a_fan_out_with_nothing_left_to_send_holds_no_board(small_slices):
    """After Redis lost its data the seqs of the new epoch start again from 1: a wait for the
    last seq of the old one must not last until its timeout."""
    out = FanOut(_Server(viewers=32), "/live")
    out.send(board(1))
    out.wait_flushed("public", 1, timeout=10)
    started = gevent.get_hub().loop.now()
    out.wait_nearly_flushed("public", 500, lead=0.0, timeout=5)
    out.wait_flushed("public", 500, timeout=5)
    assert gevent.get_hub().loop.now() - started < 1
    assert out.remaining("public", 500) == 0.0


def test_waiting_gives_up_at_its_timeout(small_slices):
    out = FanOut(_Server(viewers=2000), "/live")  # 4 s of writes
    out.send(board(1))
    started = gevent.get_hub().loop.now()
    out.wait_nearly_flushed("public", 1, lead=0.0, timeout=0.05)
    assert 0.04 <= gevent.get_hub().loop.now() - started < 2
    assert out.flushed("public") == 0


class _RunnerServer:
    class eio:  # the attribute the runner reads
        create_event = gevent.event.Event

    sleep = staticmethod(gevent.sleep)

    @staticmethod
    def start_background_task(target, *args):
        return gevent.spawn(target, *args)


def test_the_runner_starts_each_board_its_usual_computing_time_before_the_fan_out_is_free():
    leads, done = [], gevent.event.Event()

    def compute(_force):
        gevent.sleep(0.02)
        return [("public", "{}")]

    def published(_changed):
        if len(leads) >= 4:
            done.set()

    runner = BoardRunner(_RunnerServer(), compute, published, window_ms=0,
                         may_compute=lambda: True, pace=leads.append)
    runner.start()
    for _ in range(4):
        runner.mark_dirty()
        gevent.sleep(0.03)
    assert done.wait(5)
    assert leads[0] == 0.0  # nothing known yet: wait for the fan-out to be free
    assert 0 < leads[1] < leads[-1] < 0.02 * 2  # then what a computation takes, smoothed


def test_the_board_worker_reads_without_transactions_nor_pings():
    settings = worker_settings({"SQLALCHEMY_DATABASE_URI": "sqlite://",
                                "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                                              "hide_parameters": True}})
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": False, "hide_parameters": True, "isolation_level": "AUTOCOMMIT"}


def test_the_board_worker_computes_again_once_on_a_connection_lost_to_a_restart(
        app, db, monkeypatch):
    calls = []

    def flaky(memory, top, rooms):
        calls.append(rooms)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"),
                                   connection_invalidated=True)
        return compute_board(memory, top, rooms)

    monkeypatch.setattr(live_worker, "compute_board", flaky)
    answer = live_worker._answer(BoardMemory(), ViewChanges(), 10, True, None)
    assert answer["ok"] is True and len(calls) == 2


def test_any_other_database_error_is_not_retried(app, db, monkeypatch):
    calls = []

    def broken(memory, top, rooms):
        calls.append(rooms)
        raise OperationalError("SELECT 1", {}, Exception("syntax"))

    monkeypatch.setattr(live_worker, "compute_board", broken)
    with pytest.raises(OperationalError):
        live_worker._answer(BoardMemory(), ViewChanges(), 10, False, None)
    assert len(calls) == 1


def _score(world, jury, team, criterion, value) -> None:
    score(world, jury, team, criterion, value)
    _db.session.commit()


@pytest.fixture
def statements(db):
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa_event.listen(_db.engine, "before_cursor_execute", note)
    yield seen
    sa_event.remove(_db.engine, "before_cursor_execute", note)


def test_a_batch_reads_the_edition_the_new_scores_and_the_assignments_in_three_queries(
        app, db, world, statements):
    criterion = world.round.criteria[0]
    _score(world, world.juries[0], world.teams[0], criterion, 7)
    memory = BoardMemory()
    compute_board(memory, 10, {"public"})
    _score(world, world.juries[0], world.teams[1], criterion, 5)
    statements.clear()
    result = compute_board(memory, 10, {"public"})
    assert len(statements) == 3, statements
    assert len(result.new_events) == 1
    assert result.views["public"]["progress"]["recorded"] == 2


def test_a_score_the_board_had_not_seen_below_its_last_one_makes_it_read_the_whole_ledger(
        app, db, world):
    criterion = world.round.criteria[0]
    _score(world, world.juries[0], world.teams[0], criterion, 7)
    _score(world, world.juries[1], world.teams[0], criterion, 6)
    memory = BoardMemory()
    compute_board(memory, 10, {"public"})
    missed = memory.ledger.events.pop(0)  # as if its commit had come after the next read
    memory.ledger.scores.pop(missed.cell)
    _score(world, world.juries[0], world.teams[1], criterion, 5)
    result = compute_board(memory, 10, {"public"})
    assert [event.seq for event in memory.ledger.events] == sorted(
        _db.session.scalars(sa.select(ScoreEvent.seq)))
    assert result.views["public"]["progress"]["recorded"] == 3


def test_in_a_storm_of_connections_boards_are_computed_every_half_second_at_most():
    starts, storm = [], [True]

    def compute(_force):
        starts.append(gevent.get_hub().loop.now())
        return []

    runner = BoardRunner(_RunnerServer(), compute, lambda _changed: None, window_ms=0,
                         may_compute=lambda: True, storming=lambda: storm[0])
    runner.start()
    for _ in range(3):
        runner.mark_dirty()
        gevent.sleep(0.05)
    gevent.sleep(0.6)
    assert len(starts) == 2  # the first at once, the others folded into one 0.5 s later
    assert starts[1] - starts[0] >= board_runner.STORM_WINDOW_SECONDS - 0.01
    storm[0] = False  # calm again: the usual window
    runner.mark_dirty()
    gevent.sleep(0.05)
    assert len(starts) == 3


def test_a_hundred_connections_within_a_second_make_a_storm(app, monkeypatch):
    hub = hub_of(app)
    now = [1000.0]
    monkeypatch.setattr(hub_module.time, "monotonic", lambda: now[0])
    for _ in range(hub_module.STORM_JOINS - 1):
        hub.joined([])
        now[0] += 0.005
    assert not hub.storming()
    hub.joined([])
    assert hub.storming()
    now[0] += hub_module.STORM_SECONDS
    assert not hub.storming()  # the storm is over
    for _ in range(hub_module.STORM_JOINS):  # a hundred viewers over a minute: no storm
        hub.joined([])
        now[0] += 0.6
    assert not hub.storming()
