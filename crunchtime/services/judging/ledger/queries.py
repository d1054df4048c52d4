"""Reading the score ledger: current scores (at any past seq), the event in force per cell,
and the organisers' views of it. Values always come from a replay, never from a stored total."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from crunchtime.errors import Conflict
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Criterion,
    JudgingRound,
    JuryProfile,
    ScoreEvent,
    Team,
    User,
)
from crunchtime.scoring import LedgerEvent, current_scores
from crunchtime.scoring.ledger import UNDO, VALUE_KINDS
from crunchtime.services.judging.words import translated_scoring_errors

Cell = tuple[int, int, int]
LEDGER_PER_PAGE = 50


def refuse_removing_scored_teams(team_ids) -> None:
    """Deleting a team cascades to its score events in the database: refuse it once any of
    these teams (ids, or a select of ids) has one, so the ledger is never erased that way."""
    if db.session.scalar(sa.select(ScoreEvent.seq)
                         .where(ScoreEvent.team_id.in_(team_ids)).limit(1)) is not None:
        raise Conflict(_("Juries have already scored these teams: the published teams can no "
                         "longer be replaced."))


def _as_ledger_event(row) -> LedgerEvent:
    return LedgerEvent(seq=row.seq, kind=row.kind, jury=row.jury_id, team=row.team_id,
                       criterion=row.criterion_id, value=row.value, reverts_seq=row.reverts_seq)


def _event_columns():
    return (ScoreEvent.seq, ScoreEvent.kind, ScoreEvent.jury_id, ScoreEvent.team_id,
            ScoreEvent.criterion_id, ScoreEvent.value, ScoreEvent.reverts_seq)


def ledger_events(round_id: int, upto_seq: int | None = None, *, jury_id: int | None = None,
                  team_id: int | None = None) -> list[LedgerEvent]:
    """The round's events (optionally one jury's, one team's) up to `upto_seq`, in seq order."""
    query = sa.select(*_event_columns()).where(ScoreEvent.round_id == round_id)
    if upto_seq is not None:
        query = query.where(ScoreEvent.seq <= upto_seq)
    if jury_id is not None:
        query = query.where(ScoreEvent.jury_id == jury_id)
    if team_id is not None:
        query = query.where(ScoreEvent.team_id == team_id)
    return [_as_ledger_event(row) for row in db.session.execute(query.order_by(ScoreEvent.seq))]


def pair_events(pairs: set[tuple[int, int, int]]) -> dict[tuple[int, int, int], list]:
    """The events of each (round, jury, team) pair among `pairs`, in seq order: one query."""
    found: dict[tuple[int, int, int], list[LedgerEvent]] = {pair: [] for pair in pairs}
    if not pairs:
        return found
    rounds, juries, teams = (set(column) for column in zip(*pairs, strict=True))
    query = (sa.select(ScoreEvent.round_id, *_event_columns())
             .where(ScoreEvent.round_id.in_(rounds), ScoreEvent.jury_id.in_(juries),
                    ScoreEvent.team_id.in_(teams)).order_by(ScoreEvent.seq))
    for row in db.session.execute(query):
        events = found.get((row.round_id, row.jury_id, row.team_id))
        if events is not None:
            events.append(_as_ledger_event(row))
    return found


def replay(events: list[LedgerEvent], upto_seq: int | None = None) -> dict[Cell, float]:
    with translated_scoring_errors():
        return current_scores(events, upto_seq)


def round_scores(round_id: int, upto_seq: int | None = None) -> dict[Cell, float]:
    """Every scored cell's value after replaying the round's ledger up to `upto_seq`."""
    return replay(ledger_events(round_id, upto_seq))


def in_force(events: list[LedgerEvent]) -> dict[Cell, LedgerEvent]:
    """The score or correction that gives each cell its current value: the same rules as
    `current_scores`, which checks the chain first (a test holds the two to agreement)."""
    values = replay(events)
    cancelled = {event.reverts_seq for event in events if event.kind == UNDO}
    state: dict[Cell, LedgerEvent | None] = {}
    for event in sorted(events, key=lambda event: event.seq):
        if event.kind == UNDO or event.seq in cancelled:
            continue
        state[event.cell] = event if event.kind in VALUE_KINDS else None
    return {cell: event for cell, event in state.items()
            if event is not None and cell in values}


def cells_in_force(round_id: int) -> set[Cell]:
    return set(round_scores(round_id))


def last_seq(round_id: int | None = None) -> int:
    query = sa.select(sa.func.max(ScoreEvent.seq))
    if round_id is not None:
        query = query.where(ScoreEvent.round_id == round_id)
    return db.session.scalar(query) or 0


@dataclass(frozen=True)
class ScoreLine:
    """One current score, as organisers and exports read it."""

    seq: int
    round_number: int
    team_code: str
    team_name: str
    challenge_code: str
    jury_name: str
    jury_email: str
    criterion_key: str
    criterion_label: str
    value: float
    comment: str
    recorded_at: object


def score_lines(rounds: list[JudgingRound], upto_seq: int | None = None) -> list[ScoreLine]:
    """The scores in force in these rounds (as of `upto_seq`), each with its comment."""
    seqs = [event.seq for r in rounds for event in in_force(ledger_events(r.id, upto_seq)).values()]
    if not seqs:
        return []
    jury_user = aliased(User)
    rows = db.session.execute(
        sa.select(ScoreEvent, JudgingRound.number, Team, Challenge.code, jury_user, Criterion)
        .join(JudgingRound, JudgingRound.id == ScoreEvent.round_id)
        .join(Team, Team.id == ScoreEvent.team_id)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .join(JuryProfile, JuryProfile.id == ScoreEvent.jury_id)
        .join(jury_user, jury_user.id == JuryProfile.user_id)
        .join(Criterion, Criterion.id == ScoreEvent.criterion_id)
        .where(ScoreEvent.seq.in_(seqs))
    ).all()
    lines = [
        ScoreLine(event.seq, number, team.code, team.display_name, code, user.full_name,
                  user.email, criterion.key, criterion.label_fr, event.value, event.comment,
                  event.created_at)
        for event, number, team, code, user, criterion in rows
    ]
    return sorted(lines, key=lambda line: (line.round_number, line.team_code, line.jury_name,
                                           line.criterion_key))


def ledger_page(judging_round: JudgingRound, page: int, upto_seq: int | None = None):
    """The round's ledger, newest first: every score, correction, undo and retraction."""
    query = (sa.select(ScoreEvent).where(ScoreEvent.round_id == judging_round.id)
             .order_by(ScoreEvent.seq.desc()))
    if upto_seq is not None:
        query = query.where(ScoreEvent.seq <= upto_seq)
    return db.paginate(query, page=page, per_page=LEDGER_PER_PAGE, error_out=False)


def ledger_labels(events) -> dict[str, dict[int, str]]:
    """Display names of the teams, juries and criteria that a page of events mentions."""
    teams = {e.team_id for e in events}
    juries = {e.jury_id for e in events}
    criteria = {e.criterion_id for e in events}
    return {
        "team": dict(db.session.execute(sa.select(Team.id, Team.code).where(Team.id.in_(teams)))
                     .all()) if teams else {},
        "jury": {profile_id: f"{first} {last}".strip() for profile_id, first, last in
                 db.session.execute(
                     sa.select(JuryProfile.id, User.first_name, User.last_name)
                     .join(User, User.id == JuryProfile.user_id)
                     .where(JuryProfile.id.in_(juries)))} if juries else {},
        "criterion": dict(db.session.execute(
            sa.select(Criterion.id, Criterion.label_fr).where(Criterion.id.in_(criteria)))
            .all()) if criteria else {},
    }
