"""Scores written in groups (one transaction for the requests queued meanwhile): each request
gets the answer it would get alone, in its own language; a refusal is its own; the group
forms while a write is under way. The HTTP tests of test_concurrency.py run through it too."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, Forbidden, InvalidInput, Unauthenticated
from crunchtime.models import ConflictOfInterest, JuryAssignment, ScoreEvent
from crunchtime.services.judging.ledger.checks import ScoreInput
from crunchtime.services.judging.ledger.groups import ScoreRequest, write_score_requests
from crunchtime.services.judging.ledger.turns import WriteTurns
from tests.judging.conftest import WatchedTurn, assign, profile_of


def score(world, event_id: str, team=0, criterion=0, value=7) -> ScoreInput:
    return ScoreInput(event_id, world.round.id, world.teams[team].id,
                      world.criteria[criterion].id, value)


def request_of(world, jury: int, *entries, locale="fr", token=None) -> ScoreRequest:
    return ScoreRequest(world.juries[jury].id, tuple(entries), locale, token)


def write_group(app, db, requests):
    with app.test_request_context():
        outcomes = write_score_requests(requests)
        db.session.commit()
    return outcomes


def test_each_request_of_a_group_gets_the_answer_it_would_get_alone(app, db, world):
    requests = [
        request_of(world, 0, score(world, "group-first-1", value=6)),
        request_of(world, 1, score(world, "group-unassigned", team=1)),        # not its team
        request_of(world, 0, score(world, "group-first-1", value=6)),         # a retry
        request_of(world, 0, score(world, "group-later-1", value=8)),         # same cell
        request_of(world, 1, score(world, "group-both-ok", value=5),           # all or none
                   score(world, "group-both-bad", criterion=1, value=99)),
        request_of(world, 0, score(world, "group-first-1", value=3)),         # id reused
        request_of(world, 1, score(world, "group-alone-1", criterion=1, value=4)),
    ]
    outcomes = write_group(app, db, requests)

    first, refused, retry, later, half, reused, alone = outcomes
    assert [event.kind for event in first] == ["score"] and not first[0].replayed
    assert isinstance(refused, Forbidden)
    assert retry[0].seq == first[0].seq and retry[0].replayed
    assert later[0].kind == "correction" and later[0].seq > first[0].seq
    assert isinstance(half, InvalidInput) and half.details["field"] == "value"
    assert isinstance(reused, Conflict) and reused.details["field"] == "client_event_id"
    assert alone[0].kind == "score"
    rows = db.session.scalars(sa.select(ScoreEvent).order_by(ScoreEvent.seq)).all()
    assert [(row.client_event_id, row.kind, row.value) for row in rows] == [
        ("group-first-1", "score", 6.0), ("group-later-1", "correction", 8.0),
        ("group-alone-1", "score", 4.0)]
    statuses = dict(db.session.execute(sa.select(JuryAssignment.jury_id, JuryAssignment.status)
                                       .where(JuryAssignment.team_id == world.teams[0].id)).all())
    assert statuses == {profile_of(world.juries[0]).id: "to_score",
                        profile_of(world.juries[1]).id: "to_score"}


def test_a_pair_whose_rubric_the_group_completes_is_scored(app, db, world):
    (one, two) = write_group(app, db, [
        request_of(world, 0, score(world, "complete-a1", criterion=0)),
        request_of(world, 0, score(world, "complete-a2", criterion=1)),
    ])
    assert one[0].seq < two[0].seq
    assignment = db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.jury_id == profile_of(world.juries[0]).id,
        JuryAssignment.team_id == world.teams[0].id))
    assert assignment.status == "scored"


def test_refusals_of_a_group_speak_each_requester_s_language(app, db, world):
    english, french = write_group(app, db, [
        request_of(world, 1, score(world, "lang-en-0001", team=1), locale="en"),
        request_of(world, 1, score(world, "lang-fr-0001", team=1), locale="fr"),
    ])
    assert english.message == "You are not assigned to score this team in this round."
    assert french.message == ("Vous n'êtes pas affecté·e à l'évaluation de cette équipe dans "
                              "ce tour.")


def test_a_conflict_refuses_only_the_requests_that_cross_it(app, db, world):
    assign(world.round, world.juries[2], world.teams[0])
    db.session.add(ConflictOfInterest(jury_id=profile_of(world.juries[1]).id,
                                      kind="organisation",
                                      organisation_id=world.organisations[0].id))
    db.session.commit()
    crossing, clear, other_team = write_group(app, db, [
        request_of(world, 1, score(world, "conflict-crossing")),
        request_of(world, 2, score(world, "conflict-clear-1")),
        request_of(world, 0, score(world, "conflict-other-1", team=1)),
    ])
    assert isinstance(crossing, Forbidden) and "conflit" in crossing.message
    assert clear[0].kind == "score" and other_team[0].kind == "score"


def test_an_ended_session_in_a_group_is_refused_alone(app, db, world):
    """Requests from session cookies are checked by their group: a token the account no
    longer holds gets 401, in its own language, and the others of the group are written."""
    own_token = world.juries[0].session_token
    ended, valid, trusted = write_group(app, db, [
        request_of(world, 1, score(world, "session-ended-1", team=1), locale="en",
                   token="rotated-elsewhere"),
        request_of(world, 0, score(world, "session-valid-1"), token=own_token),
        request_of(world, 0, score(world, "session-trusted-1", criterion=1)),  # Flask-Login's
    ])
    assert isinstance(ended, Unauthenticated) and ended.status == 401
    assert ended.message == "Please log in first."
    assert valid[0].kind == "score" and trusted[0].kind == "score"
    written = db.session.scalars(sa.select(ScoreEvent.client_event_id)).all()
    assert sorted(written) == ["session-trusted-1", "session-valid-1"]


class FirstGroupHeld:
    """A group writer that records each group and holds the first one until released."""

    def __init__(self, outcome):
        self.outcome = outcome
        self.groups: list[list] = []
        self.writing, self.release = threading.Event(), threading.Event()

    def __call__(self, works):
        self.groups.append(list(works))
        if len(self.groups) == 1:
            self.writing.set()
            assert self.release.wait(timeout=30), "the first group was never released"
        return [self.outcome(work) for work in works]


def queue_during_first_write(turns: WriteTurns, write_group: FirstGroupHeld, submit,
                             works: list[str]) -> list[threading.Thread]:
    """Submit `works[0]`, whose write `write_group` holds, then the others, and return their
    threads once every other work is provably queued behind that write: its thread blocked
    waiting for the turn, its work in the turns' queue, no second group written."""
    turn = WatchedTurn.install(turns)
    threads = [threading.Thread(target=submit, args=(work,), name=work) for work in works]
    threads[0].start()
    assert write_group.writing.wait(timeout=30), "the first write never started"
    for thread in threads[1:]:
        thread.start()
    assert turn.until_waiting(*works[1:]), (
        f"{works[1:]} did not all wait for the turn; waiting: {sorted(turn.waiting)}, "
        f"groups written: {write_group.groups}")
    with turn:  # the waiters are all inside wait(): the state they wait in
        assert write_group.groups == [works[:1]]
        assert sorted(item.work for item in turns._queue) == sorted(works[1:])
    return threads


def join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), f"{thread.name} never finished"


def test_works_queued_during_a_write_are_written_together():
    turns = WriteTurns()
    write_group = FirstGroupHeld(
        lambda work: ValueError(work) if work == "bad" else f"{work} written")
    answers = {}

    def submit(work):
        try:
            answers[work] = turns.grouped(work, write_group)
        except ValueError as error:
            answers[work] = f"refused: {error}"

    try:
        threads = queue_during_first_write(turns, write_group, submit, ["first", "a", "bad", "c"])
    finally:
        write_group.release.set()
    join_all(threads)
    groups = write_group.groups
    assert len(groups) == 2 and sorted(groups[1]) == ["a", "bad", "c"]
    assert answers == {"first": "first written", "a": "a written", "bad": "refused: bad",
                       "c": "c written"}


def test_a_group_that_fails_as_a_whole_fails_each_of_its_works_and_frees_the_turn():
    turns = WriteTurns()

    def broken(works):
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        turns.grouped("lost", broken)
    assert turns.grouped("next", lambda works: [f"{w} written" for w in works]) == "next written"


def test_a_work_that_fails_its_whole_group_fails_alone():
    turns, write_group = WriteTurns(), FirstGroupHeld(lambda work: f"{work} written")
    tried, written = [], {}

    def refusing_poison(works):
        tried.append(sorted(works))
        if "poison" in works:
            raise RuntimeError("value refused by the database")
        return write_group(works)

    def submit(work):
        try:
            written[work] = turns.grouped(work, refusing_poison)
        except RuntimeError as error:
            written[work] = str(error)

    try:
        threads = queue_during_first_write(turns, write_group, submit,
                                           ["first", "a", "poison", "c"])
    finally:
        write_group.release.set()
    join_all(threads)
    # The poison came in one group with the others, which then were each written alone.
    assert tried[:2] == [["first"], ["a", "c", "poison"]]
    assert sorted(tried[2:]) == [["a"], ["c"], ["poison"]]
    assert written == {"first": "first written", "a": "a written", "c": "c written",
                       "poison": "value refused by the database"}


def test_a_group_never_exceeds_its_limit():
    turns, write_group = WriteTurns(group_limit=2), FirstGroupHeld(lambda work: work)
    works = [f"w{n}" for n in range(6)]
    try:
        threads = queue_during_first_write(
            turns, write_group, lambda work: turns.grouped(work, write_group), works)
    finally:
        write_group.release.set()
    join_all(threads)
    groups = write_group.groups
    assert [len(group) for group in groups] == [1, 2, 2, 1]
    assert sorted(work for group in groups for work in group) == works


def test_a_phones_scores_read_nothing_before_their_group_and_a_group_reads_as_one(
        app, db, world, monkeypatch):
    """A JSON score event reads nothing before it joins its group (its account is checked
    there, with the others'), so three queued scores cost the statements of one alone."""
    from collections import Counter

    from crunchtime.services.judging.ledger import writes as score_ledger
    from crunchtime.services.judging.ledger.turns import WRITE_TURNS
    from tests.judging.conftest import api_client, post_event

    # The live board, computed inline in tests when some earlier test left a viewer
    # connected, would read the ledger too: leave the publishing out.
    monkeypatch.setattr(score_ledger, "publish_score_events", lambda events: None)
    clients = [api_client(app, jury) for jury in world.juries[:3]]
    for jury in world.juries[:3]:
        assign(world.round, jury, world.teams[2])
    statements: list[str] = []

    def count(connection, cursor, statement, *args):
        if not statement.startswith("INSERT"):  # one per row on SQLite, one in all on PG
            statements.append(" ".join(statement.split()[:2]))

    bodies = [world.score_body(event_id, team=world.teams[2]) for event_id in (
        "read-alone-0001", "read-group-0000", "read-group-0001", "read-group-0002")]

    def post(n: int, body: dict):
        assert post_event(clients[n], body).status_code == 201

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        post(0, bodies[0])
        alone = Counter(statements)
        statements.clear()
        threads = [threading.Thread(target=post, args=(n, bodies[n + 1])) for n in range(3)]
        with WRITE_TURNS.alone():  # they queue meanwhile
            for thread in threads:
                thread.start()
            deadline = time.time() + 10
            while len(WRITE_TURNS._queue) < 3 and time.time() < deadline:
                time.sleep(0.01)
            queued_reads = list(statements)
        for thread in threads:
            thread.join(timeout=10)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert queued_reads == []
    assert Counter(statements) == alone
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreEvent).where(
        ScoreEvent.client_event_id.like("read-group-%"))) == 3
