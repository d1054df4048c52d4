"""How a ledger write stays correct under concurrency, on SQLite and on PostgreSQL.

Each unit of work first takes the jury's lock, so one jury's tabs and retries are serialised
(the client event id check, the score/correction choice and the undo checks see every earlier
commit), then the edition's ledger lock (writers of one edition commit in seq order):
- PostgreSQL: `SELECT … FOR NO KEY UPDATE` on the jury's profile row, then a transaction-level
  advisory lock on the jury's edition, so the edition's ledger writes take their sequence
  numbers in commit order (a replay at a past seq never misses a lower seq committed later);
  and `FOR SHARE` on the round row (so a round cannot close under a score being written);
- SQLite: a no-op UPDATE of the jury's profile as the transaction's first statement, which
  takes the database's write lock at once — the effect of BEGIN IMMEDIATE, waited for by the
  busy timeout, so no transaction ever has to upgrade a read snapshot (the "database is
  locked" trap).
A transient failure (locked database, serialisation failure, deadlock) rolls back and retries
the whole unit a few times; the unique client event id turns any remaining race into a replay.

Within one server process the writes also take turns (`WRITE_TURNS`), outside the database
transaction. The edition's lock serialises them anyway; without the turns a burst of 200
scores would open 200 transactions waiting in the database, each holding a pooled
connection, and the one holding the lock would share the event loop with all the others at
each of its statements (measured: a burst took 11 s instead of a few). Scores go further:
whoever has the turn writes every score request queued meanwhile in one transaction, a group
commit (`WriteTurns.grouped`), so a burst commits in a few transactions instead of 200 in a
row (measured: 25 ms of round trips per score in a row, one lock and one commit per group).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from crunchtime.extensions import db
from crunchtime.models import JudgingRound, JuryProfile

T = TypeVar("T")
WRITE_ATTEMPTS = 6
_TRANSIENT_SQLITE = ("database is locked", "database is busy", "database table is locked")
_TRANSIENT_POSTGRES = ("40001", "40P01", "55P03")  # serialisation, deadlock, lock not available
LEDGER_LOCK_NAMESPACE = 0x1ED6E  # first key of the edition's advisory lock (second: edition id)


GROUP_LIMIT = 250  # score requests written in one transaction at most


@dataclass(eq=False)
class _Queued:
    work: object
    outcome: object = None
    done: bool = False


class WriteTurns:
    """This process' ledger writes, one turn at a time (see the module docstring). The
    condition is cooperative under gevent (monkey-patched) and a real one under threads."""

    def __init__(self, group_limit: int = GROUP_LIMIT):
        self._turn = threading.Condition()
        self._busy = False
        self._queue: list[_Queued] = []
        self.group_limit = group_limit

    @property
    def busy(self) -> bool:
        """Whether a write holds the turn now (a work queued now would wait)."""
        return self._busy

    def _wait_for_turn(self, queued: _Queued | None = None) -> bool:
        """Under the condition: wait until the turn is free (or `queued` was written by
        someone else: False) and take it."""
        while self._busy and not (queued and queued.done):
            self._turn.wait()
        if queued and queued.done:
            return False
        self._busy = True
        return True

    def _end_turn(self) -> None:
        self._busy = False
        self._turn.notify_all()

    @contextmanager
    def alone(self):
        """Hold the turn for one write of its own."""
        with self._turn:
            self._wait_for_turn()
        try:
            yield
        finally:
            with self._turn:
                self._end_turn()

    def grouped(self, work, write_group: Callable[[list], list]):
        """Queue `work` and return its outcome (or raise it, when it is an exception).
        Whoever takes the turn passes every work queued so far (up to `group_limit`) to
        `write_group`, which returns one outcome per work, in order: a result, or the
        exception that work alone raised. When the group fails as a whole, each work is
        written alone, and only those that fail alone fail."""
        queued = _Queued(work)
        with self._turn:
            self._queue.append(queued)
            while not queued.done:
                if not self._wait_for_turn(queued):
                    break
                group = self._queue[:self.group_limit]
                del self._queue[:self.group_limit]
                outcomes = None
                self._turn.release()
                try:
                    outcomes = _outcomes(write_group, [item.work for item in group])
                finally:
                    self._turn.acquire()
                    if outcomes is None:  # interrupted: its waiters must not wait forever
                        outcomes = [RuntimeError("the group write was interrupted")] * len(group)
                    for item, outcome in zip(group, outcomes, strict=True):
                        item.outcome, item.done = outcome, True
                    self._end_turn()
        if isinstance(queued.outcome, BaseException):
            raise queued.outcome
        return queued.outcome


def _outcomes(write_group: Callable[[list], list], works: list) -> list:
    try:
        outcomes = write_group(works)
    except Exception as error:  # nothing of the group was written
        if len(works) == 1:
            return [error]
        # One work may have failed them all (data the database refuses): write each alone,
        # so that only it fails, and the others' retries do not meet it again.
        return [_outcomes(write_group, [work])[0] for work in works]
    if len(outcomes) != len(works):
        raise AssertionError("write_group must return one outcome per work")
    return outcomes


WRITE_TURNS = WriteTurns()


def one_writer_at_a_time():
    """Take this process' write turn for one write (see the module docstring)."""
    return WRITE_TURNS.alone()


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def lock_juries(profile_ids) -> None:
    """Serialise these juries' ledger writes, and their edition's (see the module docstring);
    rows are locked in id order, so two writers of overlapping juries never deadlock."""
    ids = sorted(set(profile_ids))
    if not ids:
        return
    if _dialect() == "sqlite":
        table = JuryProfile.__table__
        db.session.execute(sa.update(table).where(table.c.id.in_(ids))
                           .values(expertise=table.c.expertise))
        return
    editions = db.session.scalars(sa.select(JuryProfile.edition_id)
                                  .where(JuryProfile.id.in_(ids)).order_by(JuryProfile.id)
                                  .with_for_update(key_share=True)).all()
    for edition_id in sorted(set(editions)):
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(LEDGER_LOCK_NAMESPACE,
                                                                   edition_id)))


def lock_jury(profile_id: int) -> None:
    lock_juries([profile_id])


def round_for_scoring(round_id: int) -> JudgingRound | None:
    """The round, share-locked on PostgreSQL until commit: closing it waits for us."""
    return db.session.scalar(sa.select(JudgingRound).where(JudgingRound.id == round_id)
                             .with_for_update(read=True))


def is_transient(error: DBAPIError) -> bool:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if code in _TRANSIENT_POSTGRES:
        return True
    message = str(error.orig).lower()
    return isinstance(error, OperationalError) and any(m in message for m in _TRANSIENT_SQLITE)


def commit_with_retry(unit: Callable[[], T]) -> T:
    """Run `unit` and commit; on a transient database failure roll back and run it again."""
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            result = unit()
            db.session.commit()
            return result
        except DBAPIError as error:
            db.session.rollback()
            if attempt == WRITE_ATTEMPTS or not is_transient(error):
                raise
            time.sleep(random.uniform(0.01, 0.05) * attempt)
        except Exception:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")
