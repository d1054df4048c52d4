"""Concurrent writes never lose nor duplicate a score: 100 juries at once, the same event
twice at once, two tabs of one jury (run on SQLite and on PostgreSQL: `--db postgresql`)."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from crunchtime.extensions import db as _db
from crunchtime.models import JuryProfile, ScoreEvent
from crunchtime.services.judging.ledger import turns as ledger_writes
from crunchtime.services.judging.ledger.queries import round_scores
from crunchtime.services.judging.ledger.turns import LEDGER_LOCK_NAMESPACE, WriteTurns
from tests import factories
from tests.judging.conftest import WatchedTurn, api_client, assign, post_event, profile_of


def all_at_once(calls):
    """Run every call in its own thread, released together; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=60)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def rows(db) -> list[ScoreEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ScoreEvent).order_by(ScoreEvent.seq)))


def test_a_hundred_juries_posting_at_once_are_all_recorded_once(app, db, world):
    juries = [factories.jury(world.edition) for _ in range(100)]
    for number, jury in enumerate(juries):
        assign(world.round, jury, world.teams[number % 4])
    clients = [api_client(app, jury) for jury in juries]
    bodies = [world.score_body(f"crowd-{number:04d}", team=world.teams[number % 4],
                               value=number % 11) for number in range(100)]
    answers = all_at_once([lambda c=c, b=b: post_event(c, b)
                           for c, b in zip(clients, bodies, strict=True)])
    assert [answer.status_code for answer in answers] == [201] * 100
    recorded = rows(db)
    assert len(recorded) == 100
    assert sorted(answer.json["seq"] for answer in answers) == [row.seq for row in recorded]
    scores = round_scores(world.round.id)
    for number, jury in enumerate(juries):
        cell = (profile_of(jury).id, world.teams[number % 4].id, world.criteria[0].id)
        assert scores[cell] == number % 11


def test_the_same_event_posted_twice_at_once_gives_one_row_and_one_answer(app, db, world):
    body = world.score_body("twice-at-once-1", value=6)
    clients = [api_client(app, world.juries[0]) for _ in range(2)]
    answers = all_at_once([lambda c=c: post_event(c, body) for c in clients])
    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert answers[0].json["seq"] == answers[1].json["seq"]
    assert len(rows(db)) == 1


def test_many_retries_of_one_event_at_once_still_give_one_row(app, db, world):
    body = world.score_body("retry-storm-1", value=3)
    clients = [api_client(app, world.juries[0]) for _ in range(12)]
    answers = all_at_once([lambda c=c: post_event(c, body) for c in clients])
    assert sorted(answer.status_code for answer in answers) == [200] * 11 + [201]
    assert len({answer.json["seq"] for answer in answers}) == 1
    assert len(rows(db)) == 1


def test_two_tabs_of_one_jury_scoring_the_same_cell_keep_both_events_in_order(app, db,
                                                                                 world):
    tabs = [api_client(app, world.juries[0]) for _ in range(2)]
    bodies = [world.score_body("tab-a-0001", value=6), world.score_body("tab-b-0001", value=9)]
    answers = all_at_once([lambda t=t, b=b: post_event(t, b)
                           for t, b in zip(tabs, bodies, strict=True)])
    assert [answer.status_code for answer in answers] == [201, 201]
    recorded = rows(db)
    assert sorted(row.kind for row in recorded) == ["correction", "score"]
    assert recorded[0].kind == "score"  # the later one sees the first and corrects it
    cell = (profile_of(world.juries[0]).id, world.teams[0].id, world.criteria[0].id)
    assert round_scores(world.round.id) == {cell: recorded[-1].value}


def test_two_tabs_undoing_the_same_score_at_once_write_one_undo(app, db, world):
    tabs = [api_client(app, world.juries[0]) for _ in range(2)]
    post_event(tabs[0], world.score_body("undo-race-0", value=4))
    undos = [{"client_event_id": f"undo-race-{tab}", "kind": "undo", "reverts": "undo-race-0"}
             for tab in ("a", "b")]
    answers = all_at_once([lambda t=t, u=u: post_event(t, u)
                           for t, u in zip(tabs, undos, strict=True)])
    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert [row.kind for row in rows(db)] == ["score", "undo"]
    assert round_scores(world.round.id) == {}


def test_two_tabs_scoring_different_criteria_at_once_lose_nothing(app, db, world):
    tabs = [api_client(app, world.juries[0]) for _ in range(2)]
    first, second = world.criteria
    bodies = [world.score_body("tabs-crit-a1", criterion=first, value=2),
              world.score_body("tabs-crit-b1", criterion=second, value=8)]
    answers = all_at_once([lambda t=t, b=b: post_event(t, b)
                           for t, b in zip(tabs, bodies, strict=True)])
    assert [answer.status_code for answer in answers] == [201, 201]
    jury = profile_of(world.juries[0]).id
    assert round_scores(world.round.id) == {(jury, world.teams[0].id, first.id): 2.0,
                                            (jury, world.teams[0].id, second.id): 8.0}


class JuryAtTheLock:
    """Where one jury's score write stands at the edition's lock, through `lock_juries`
    (wrapping the real one) and `before_cursor_execute` (an engine event): `at_lock` once it
    runs the statement that takes the lock (PostgreSQL: the edition's advisory lock; SQLite:
    the no-op UPDATE that takes the database's write lock), `past_lock` once it holds it."""

    LOCK_STATEMENTS = {"postgresql": "pg_advisory_xact_lock",
                       "sqlite": f"UPDATE {JuryProfile.__tablename__} "}

    def __init__(self, jury_id: int, lock_juries, dialect: str):
        self.jury_id, self._lock_juries = jury_id, lock_juries
        self._statement = self.LOCK_STATEMENTS[dialect]
        self._locking = threading.local()
        self.at_lock = self.past_lock = False
        self.changed = threading.Condition()

    def lock_juries(self, profile_ids) -> None:
        ids = list(profile_ids)
        self._locking.watched = self.jury_id in ids
        try:
            self._lock_juries(ids)
        finally:
            self._locking.watched = False
        if self.jury_id in ids:
            self.note(past_lock=True)

    def before_cursor_execute(self, connection, cursor, statement, *args) -> None:
        if getattr(self._locking, "watched", False) and self._statement in statement:
            self.note(at_lock=True)

    def note(self, **state) -> None:
        with self.changed:
            vars(self).update(state)
            self.changed.notify_all()

    def until(self, condition, timeout: float = 30) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, timeout)


def waits_for_the_ledger_lock(edition_id: int) -> bool:
    """PostgreSQL: whether a session waits for the edition's ledger lock (not granted)."""
    with _db.engine.connect() as connection:
        return bool(connection.scalar(sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND classid::bigint = :namespace AND objid::bigint = :edition AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {"namespace": LEDGER_LOCK_NAMESPACE, "edition": edition_id}))


def sqlite_write_lock_is_taken() -> bool:
    """SQLite: whether another connection holds the database's write lock now."""
    probe = sqlite3.connect(_db.engine.url.database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error)
    finally:
        probe.close()  # rolls back the probe's transaction, if it got one
    return False


def test_scores_of_one_edition_commit_in_the_order_of_their_seq(app, db, world, monkeypatch,
                                                                 db_kind):
    """A score that holds its seq keeps another jury's score waiting at the edition's lock
    until it commits, so a replay up to the last committed seq never misses a lower seq
    committed later. The other score is seen blocked there while the first holds its seq:
    on PostgreSQL, waiting for the edition's advisory lock; on SQLite, inside its locking
    UPDATE while the first holds the database's write lock."""
    from crunchtime.services.judging.ledger import groups as score_groups
    from crunchtime.services.judging.ledger import writes as score_ledger

    held, release = threading.Event(), threading.Event()
    slow_jury, write = profile_of(world.juries[0]).id, score_groups.refresh_status
    other_score = JuryAtTheLock(profile_of(world.juries[1]).id, score_groups.lock_juries,
                                db_kind)

    def hold_after_seq(assignment, judging_round, *values):
        if assignment.jury_id == slow_jury:  # the row is flushed: its seq is taken
            held.set()
            assert release.wait(timeout=60), "the held score was never released"
        return write(assignment, judging_round, *values)

    monkeypatch.setattr(score_groups, "refresh_status", hold_after_seq)
    monkeypatch.setattr(score_groups, "lock_juries", other_score.lock_juries)
    # The database's lock is what orders writers of several processes: leave out the
    # process-local turns, which would otherwise keep the second writer out first.
    monkeypatch.setattr(score_ledger, "WRITE_TURNS", EachAlone())
    slow, other = api_client(app, world.juries[0]), api_client(app, world.juries[1])
    sa.event.listen(_db.engine, "before_cursor_execute", other_score.before_cursor_execute)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            try:
                first = pool.submit(post_event, slow, world.score_body("in-order-slow-1"))
                assert held.wait(timeout=30), "the first score never took its seq"
                second = pool.submit(post_event, other, world.score_body("in-order-other-1"))
                second.add_done_callback(lambda _future: other_score.note())
                assert other_score.until(lambda: other_score.at_lock or other_score.past_lock
                                         or second.done()), "the other score never reached the lock"
                assert not other_score.past_lock and not second.done(), (
                    "the other score got past the edition's lock while the first held its seq")
                if db_kind == "postgresql":  # poll until its wait shows, with a deadline
                    deadline = time.monotonic() + 30
                    while not waits_for_the_ledger_lock(world.edition.id):
                        assert time.monotonic() < deadline and not other_score.past_lock, (
                            "the other score does not wait for the edition's lock")
                        other_score.until(lambda: other_score.past_lock, timeout=0.02)
                else:  # the UPDATE under way needs the write lock, which the first holds
                    assert sqlite_write_lock_is_taken()
                assert not other_score.past_lock
                with _db.engine.connect() as connection:
                    committed_meanwhile = connection.scalar(
                        sa.select(sa.func.count(ScoreEvent.seq)))
            finally:
                release.set()
            answers = [first.result(timeout=60), second.result(timeout=60)]
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", other_score.before_cursor_execute)
    assert committed_meanwhile == 0
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json["seq"] < answers[1].json["seq"]


class EachAlone:
    """Write turns as two server processes see them: nobody waits for anybody."""

    busy = False

    def grouped(self, work, write_group):
        (outcome,) = write_group([work])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def test_a_locked_database_is_retried_and_other_failures_are_not(app, db, monkeypatch):
    monkeypatch.setattr(ledger_writes.time, "sleep", lambda seconds: None)
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        return "done"

    assert ledger_writes.commit_with_retry(flaky) == "done" and len(attempts) == 3

    def broken():
        raise OperationalError("UPDATE", {}, Exception("no such table: nowhere"))

    with pytest.raises(OperationalError):
        ledger_writes.commit_with_retry(broken)
    _db.session.rollback()


def test_writes_of_one_process_queue_one_after_the_other(monkeypatch):
    turns = WriteTurns()
    turn = WatchedTurn.install(turns)
    monkeypatch.setattr(ledger_writes, "WRITE_TURNS", turns)
    inside, entered, leave = [], threading.Event(), threading.Event()

    def writer(name):
        with ledger_writes.one_writer_at_a_time():
            inside.append(name)
            entered.set()
            assert leave.wait(timeout=30), "the first writer was never let go"

    first = threading.Thread(target=writer, args=("first",), name="first")
    second = threading.Thread(target=writer, args=("second",), name="second")
    try:
        first.start()
        assert entered.wait(timeout=30)
        second.start()
        assert turn.until_waiting("second"), f"the second did not wait for the turn: {inside}"
        with turn:  # the second is blocked in the turn's wait
            assert inside == ["first"]  # the second waits outside
    finally:
        leave.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert inside == ["first", "second"]
