"""A small judging world: an edition in the judging phase, teams on challenges of two
organisations, juries, round 1 open with a two-criterion rubric, and helpers to score."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import (
    Criterion,
    JudgingRound,
    JuryAssignment,
    JuryProfile,
    RoundEntry,
    ScoreEvent,
)
from crunchtime.services.judging.ledger.turns import WriteTurns
from tests import factories
from tests.helpers import csrf_token


def profile_of(user) -> JuryProfile:
    return _db.session.scalar(sa.select(JuryProfile).where(JuryProfile.user_id == user.id))


def rewrite_event(seq: int, **values) -> None:
    """Tests only: change a ledger row in place (to age it, say), below the ORM, which refuses
    it; committed."""
    table = ScoreEvent.__table__
    _db.session.connection().execute(sa.update(table).where(table.c.seq == seq).values(**values))
    _db.session.commit()
    _db.session.expire_all()


def make_round(edition, *, number: int = 1, kind: str = "per_challenge", status: str = "open",
               k: int = 2, criteria=(("innovation", 2.0), ("pitch", 1.0))) -> JudgingRound:
    judging_round = JudgingRound(edition_id=edition.id, number=number, name=f"Tour {number}",
                                 kind=kind, status=status, juries_per_team=k)
    _db.session.add(judging_round)
    _db.session.flush()
    for position, (key, weight) in enumerate(criteria):
        _db.session.add(Criterion(edition_id=edition.id, round_id=judging_round.id, key=key,
                                  position=position, label_fr=key.capitalize(),
                                  weight=weight, scale_min=0, scale_max=10))
    _db.session.commit()
    return judging_round


def enter(judging_round, *teams) -> None:
    _db.session.add_all(RoundEntry(round_id=judging_round.id, team_id=team.id) for team in teams)
    _db.session.commit()


def assign(judging_round, jury_user, team) -> JuryAssignment:
    assignment = JuryAssignment(round_id=judging_round.id, jury_id=profile_of(jury_user).id,
                                team_id=team.id)
    _db.session.add(assignment)
    _db.session.commit()
    return assignment


def api_client(app, user):
    """A client logged in as `user`, with the CSRF token its pages would give its script."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    client.csrf = csrf_token(client, "/jury/")
    return client


def post_event(client, body: dict):
    return client.post("/jury/api/events", json=body, headers={"X-CSRFToken": client.csrf})


@dataclass
class World:
    edition: object
    round: JudgingRound
    organisations: list
    challenges: list
    teams: list
    juries: list
    students: list = field(default_factory=list)

    @property
    def criteria(self) -> list[Criterion]:
        return list(self.round.criteria)

    def score_body(self, event_id: str, team=None, criterion=None, value=7, **extra) -> dict:
        return {"client_event_id": event_id, "kind": "score", "round_id": self.round.id,
                "team_id": (team or self.teams[0]).id,
                "criterion_id": (criterion or self.criteria[0]).id, "value": value, **extra}


@pytest.fixture
def world(db) -> World:
    edition = factories.edition(phase="judging")
    organisations = [factories.organisation("Alstom"), factories.organisation("Optymo")]
    challenges = [factories.challenge(edition, organisation) for organisation in organisations]
    students = [factories.student(edition) for _ in range(4)]
    teams = [factories.team(edition, challenges[i % 2], members=[students[i]])
             for i in range(4)]
    juries = [factories.jury(edition) for _ in range(3)]
    judging_round = make_round(edition)
    enter(judging_round, *teams)
    assign(judging_round, juries[0], teams[0])
    assign(judging_round, juries[0], teams[1])
    assign(judging_round, juries[1], teams[0])
    return World(edition, judging_round, organisations, challenges, teams, juries, students)


class WatchedTurn(threading.Condition):
    """A `WriteTurns` condition that tells which threads wait for the turn. A thread's name is
    in `waiting` exactly while it is blocked in `wait`, as seen by whoever holds the
    condition: a waiter adds its name holding it, and lets go of it only inside `wait`."""

    def __init__(self):
        super().__init__()
        self.waiting: set[str] = set()
        self._arrivals = threading.Condition()

    @classmethod
    def install(cls, turns: WriteTurns) -> WatchedTurn:
        turns._turn = cls()
        return turns._turn

    def wait(self, timeout=None):
        name = threading.current_thread().name
        self.waiting.add(name)
        with self._arrivals:
            self._arrivals.notify_all()
        try:
            return super().wait(timeout)
        finally:
            self.waiting.discard(name)

    def until_waiting(self, *names: str, timeout: float = 10) -> bool:
        """Whether the threads `names` all came to wait for the turn within `timeout`."""
        with self._arrivals:
            return self._arrivals.wait_for(lambda: self.waiting >= set(names), timeout)
