"""The live board of the current edition: one computation per batch of score changes gives
every board room its view (public big screen, juries, organisers, each challenge).

Runs in the board worker process (crunchtime/live_worker.py), or inline in tests:
never on a server's event loop. Between batches it keeps the live round's ledger in memory
and reads only the new rows. Score writes of one edition commit in seq order (an advisory
lock, services/judging/ledger/turns.py); should a row still appear below the last seq read, a
count of the rows up to that seq detects the hole, and the whole ledger is then read again."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from crunchtime.extensions import db
from crunchtime.models import Edition, JudgingRound, JuryAssignment, ScoreEvent
from crunchtime.realtime.hub import hub_of
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.scoring import LedgerEvent, current_scores, rank_teams
from crunchtime.scoring.ledger import SCORE, VALUE_KINDS
from crunchtime.scoring.progress import (
    Assignment,
    fast_scorings,
    judging_progress,
    same_score_juries,
)
from crunchtime.services.accounts.jury_profiles import jury_names
from crunchtime.services.judging.rankings import criterion_scales, team_infos
from crunchtime.services.judging.rounds import edition_rounds, round_team_ids
from crunchtime.services.live.room_views import BoardFacts, board_views
from crunchtime.services.live.state import BoardState, board_state

FROZEN_KEY = "live_frozen"
NAMES_TTL_SECONDS = 15.0
MEMORY_KEY = "crunchtime_live_memory"  # the inline board's memory, in app.extensions


@dataclass
class RoundLedger:
    """One round's ledger as replayed so far."""

    round_id: int
    events: list[LedgerEvent] = field(default_factory=list)
    first_scored: dict[tuple[int, int], datetime] = field(default_factory=dict)
    scores: dict = field(default_factory=dict)

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def add(self, rows) -> None:
        """Append rows read in seq order; replays all only if they are not plain scores
        following the last known seq."""
        new = []
        for seq, kind, jury, team, criterion, value, reverts, created in rows:
            new.append(LedgerEvent(seq, kind, jury, team, criterion, value, reverts))
            if kind == SCORE:
                self.first_scored.setdefault((jury, team), created)
        simple = all(e.kind in VALUE_KINDS for e in new) and (
            not new or new[0].seq > self.last_seq)
        self.events = sorted(self.events + new, key=lambda e: e.seq) if not simple \
            else self.events + new
        if simple:
            for event in new:
                self.scores[event.cell] = event.value
        else:
            self.scores = current_scores(self.events)


@dataclass
class BoardMemory:
    """What one board process keeps between batches: the live round's ledger, names that
    rarely change, the last ranking, the frozen ranking, the ledger seqs already shown."""

    edition_key: tuple | None = None
    ledger: RoundLedger | None = None
    names: tuple | None = None
    ranking: tuple | None = None
    frozen: dict[tuple, object] = field(default_factory=dict)
    shown: tuple[int, set[int]] | None = None

    def follow(self, edition: Edition) -> None:
        """Forget everything when the edition is another one (ids may be reused)."""
        key = (edition.id, edition.created_at)
        if key != self.edition_key:
            self.__init__()
            self.edition_key = key

    def new_seqs(self, round_id: int, seqs: set[int]) -> list[int]:
        before = self.shown[1] if self.shown and self.shown[0] == round_id else None
        self.shown = (round_id, seqs)
        return [] if before is None else sorted(seqs - before)


@dataclass(frozen=True)
class BoardResult:
    """The views by room, and the ledger seqs this batch shows for the first time."""

    views: dict[str, dict]
    new_events: list[int]

    def as_json(self) -> dict:
        return {"views": self.views, "new_events": self.new_events}


def live_round(edition: Edition) -> JudgingRound | None:
    """The round the board follows: the latest open one, else the latest closed, else the
    first drafted."""
    return followed_round(edition_rounds(edition))


def followed_round(rounds: list[JudgingRound]) -> JudgingRound | None:
    """live_round's choice among the edition's rounds (in number order)."""
    for status in ("open", "closed"):
        chosen = [r for r in rounds if r.status == status]
        if chosen:
            return max(chosen, key=lambda r: r.number)
    return rounds[0] if rounds else None


def screen_state(edition: Edition | None) -> BoardState:
    """The state the big screen states now: the same function fills its live views."""
    return board_state(edition, live_round(edition) if edition is not None else None)


def shown_view(room: str) -> dict | None:
    """The room's board as its live viewers have it now (None while none is kept): what a
    page draws before its live connection brings the same view."""
    try:
        view = hub_of(current_app._get_current_object()).streams.positions([room])[room].view
    except Exception:  # the live store is down: the page's script draws once connected
        return None
    return view if isinstance(view, dict) else None


_LEDGER_COLUMNS = (ScoreEvent.seq, ScoreEvent.kind, ScoreEvent.jury_id, ScoreEvent.team_id,
                   ScoreEvent.criterion_id, ScoreEvent.value, ScoreEvent.reverts_seq,
                   ScoreEvent.created_at)


def _read(statement):
    """A select of columns, run as Core on the session's connection: the ORM's execution path
    doubled the time of reading a round's assignments, at every batch."""
    return db.session.connection().execute(statement)


def _rows(round_id: int, after: int = 0):
    return _read(
        sa.select(*_LEDGER_COLUMNS)
        .where(ScoreEvent.round_id == round_id, ScoreEvent.seq > after)
        .order_by(ScoreEvent.seq)).all()


def _count_and_rows_after(round_id: int, after: int) -> tuple[int, list]:
    """In one round trip: how many rows of the round lie at or below `after`, and the rows
    above it (seq order)."""
    known = (sa.select(sa.func.count().label("known")).select_from(ScoreEvent)
             .where(ScoreEvent.round_id == round_id, ScoreEvent.seq <= after).subquery())
    rows = _read(
        sa.select(known.c.known, *_LEDGER_COLUMNS)
        .select_from(known.outerjoin(ScoreEvent, sa.and_(ScoreEvent.round_id == round_id,
                                                         ScoreEvent.seq > after)))
        .order_by(ScoreEvent.seq)).all()
    return rows[0][0], [tuple(row[1:]) for row in rows if row[1] is not None]


def _ledger(memory: BoardMemory, round_id: int) -> RoundLedger:
    known = memory.ledger
    if known is not None and known.round_id == round_id:
        count, rows = _count_and_rows_after(round_id, known.last_seq)
        if count == len(known.events):
            known.add(rows)
            return known
    memory.ledger = RoundLedger(round_id)
    memory.ledger.add(_rows(round_id))
    return memory.ledger


def _current_edition_and_rounds() -> tuple[Edition | None, list[JudgingRound]]:
    """The current edition and its rounds (number order, rubrics loaded), in one round trip."""
    rows = db.session.execute(
        sa.select(Edition, JudgingRound)
        .outerjoin(JudgingRound, JudgingRound.edition_id == Edition.id)
        .where(Edition.is_current.is_(True))
        .options(joinedload(JudgingRound.criteria))
        .order_by(Edition.id, JudgingRound.number)).unique().all()
    if not rows:
        return None, []
    edition = rows[0][0]
    return edition, [judging_round for owner, judging_round in rows
                     if judging_round is not None and owner is edition]


def _names(memory: BoardMemory, edition: Edition, judging_round: JudgingRound):
    """(team ids, team infos, jury names) of the round, reread every NAMES_TTL_SECONDS."""
    cached = memory.names
    if cached is None or cached[0] != judging_round.id or cached[1] < time.monotonic():
        team_ids = round_team_ids(judging_round)
        memory.names = cached = (judging_round.id, time.monotonic() + NAMES_TTL_SECONDS,
                                 team_ids, team_infos(team_ids), jury_names(edition))
    return cached[2:]


def _assignments(round_id: int) -> list[Assignment]:
    rows = _read(sa.select(JuryAssignment.jury_id, JuryAssignment.team_id,
                           JuryAssignment.status).where(JuryAssignment.round_id == round_id))
    return list(map(Assignment._make, rows))


def _rank(judging_round: JudgingRound, estimator: str, scores, team_ids, top: int,
          warm=None):
    """One estimator's ranking; `warm`, the previous calibrated fit's state, makes the refit
    after a batch of scores start from where the last one ended."""
    return rank_teams(scores, criterion_scales(judging_round), teams=team_ids,
                      estimators=[estimator], top_k=max(top, 1), draws=0,
                      seed=judging_round.id, warm=warm)[estimator]


def _ranking(memory: BoardMemory, edition: Edition, judging_round: JudgingRound,
             ledger: RoundLedger, team_ids, top: int):
    """The live ranking, recomputed only when the ledger, the teams or the method changed."""
    key = (judging_round.id, len(ledger.events), ledger.last_seq, tuple(team_ids),
           edition.leaderboard_estimator)
    if memory.ranking is None or memory.ranking[0] != key:
        previous = memory.ranking
        warm = previous[1].state if previous and previous[0][0] == judging_round.id else None
        memory.ranking = (key, _rank(judging_round, edition.leaderboard_estimator,
                                     ledger.scores, team_ids, top, warm))
    return memory.ranking[1]


def _frozen_ranking(memory: BoardMemory, edition: Edition, judging_round: JudgingRound,
                    ledger: RoundLedger, team_ids, top: int):
    """The ranking as it stood when the organisers froze the board (None if not frozen)."""
    frozen = (edition.settings or {}).get(FROZEN_KEY) or {}
    if not edition.leaderboard_frozen or frozen.get("round") != judging_round.id:
        return None
    key = (judging_round.id, int(frozen.get("upto_seq", 0)), edition.leaderboard_estimator)
    if key not in memory.frozen:
        scores = current_scores(ledger.events, key[1])
        memory.frozen = {key: _rank(judging_round, key[2], scores, team_ids, top)}
    return memory.frozen[key]


def compute_board(memory: BoardMemory, top: int = 10,
                  rooms: set[str] | None = None) -> BoardResult:
    """The views of the current edition's board rooms (of `rooms` only, when given)."""
    edition, rounds = _current_edition_and_rounds()
    judging_round = followed_round(rounds) if edition is not None else None
    if judging_round is None or not judging_round.criteria:
        return BoardResult(board_views(BoardFacts(edition=edition, top=top,
                                                  judging_round=judging_round), rooms), [])
    memory.follow(edition)
    ledger = _ledger(memory, judging_round.id)
    assignments = _assignments(judging_round.id)
    round_teams, teams, juries = _names(memory, edition, judging_round)
    team_ids = sorted(set(round_teams) | {a.team for a in assignments})
    if not set(team_ids) <= teams.keys():
        teams = team_infos(team_ids)
    criteria = [criterion.id for criterion in judging_round.criteria]
    facts = BoardFacts(
        edition=edition, top=top, judging_round=judging_round,
        ranking=_ranking(memory, edition, judging_round, ledger, team_ids, top),
        frozen=_frozen_ranking(memory, edition, judging_round, ledger, team_ids, top),
        progress=judging_progress(assignments, criteria, ledger.scores, team_ids),
        teams=teams, juries=juries,
        anomalies=same_score_juries(ledger.scores) + fast_scorings(ledger.first_scored)
        if rooms is None or ORGANIZERS in rooms else [],
    )
    new = memory.new_seqs(judging_round.id, {event.seq for event in ledger.events})
    return BoardResult(board_views(facts, rooms), new)


def compute_app_board(top: int = 10) -> dict:
    """Every board room's view, computed in this process (the live hub's inline mode); the
    app keeps the memory of what it showed between computations."""
    memory = current_app.extensions.setdefault(MEMORY_KEY, BoardMemory())
    return compute_board(memory, top).as_json()


def freeze_point(judging_round: JudgingRound | None) -> dict | None:
    """What a freeze records: the live round and its last ledger seq at that moment."""
    if judging_round is None:
        return None
    upto = db.session.scalar(sa.select(sa.func.max(ScoreEvent.seq))
                             .where(ScoreEvent.round_id == judging_round.id)) or 0
    return {"round": judging_round.id, "upto_seq": upto}
