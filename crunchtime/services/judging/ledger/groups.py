"""Writing a group of score requests in one transaction: the group commit of
`turns.WriteTurns`. Each request gets the checks, in the order, and the answer it
would get written alone (in its own language), but the group reads what they need with a few
queries in all instead of a dozen per score, and takes its locks and commits once. A
request's refusal is its own: nothing of it is written, the others are.

The requesters' accounts are read here too, all in one query: who is a jury of the edition,
and, for a request that came with a bare session cookie (the phone's JSON events), whether
that session still holds. Such a request reads nothing itself."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import joinedload

from crunchtime.errors import DomainError
from crunchtime.extensions import db
from crunchtime.i18n import account_locale
from crunchtime.models import JudgingRound, JuryAssignment, ScoreEvent
from crunchtime.scoring.ledger import CORRECTION, SCORE
from crunchtime.services.accounts.jury_profiles import jury_accounts
from crunchtime.services.editions.current import (
    current_edition,
    require_current_edition,
    require_phase,
)
from crunchtime.services.judging.conflicts import declared_conflicts
from crunchtime.services.judging.ledger.checks import (
    RecordedEvent,
    ScoreInput,
    check_assignment,
    check_criterion,
    check_jury_account,
    check_no_conflict,
    check_reuse,
    check_round,
    recorded_event,
    refresh_status,
    same_score,
)
from crunchtime.services.judging.ledger.queries import pair_events, replay
from crunchtime.services.judging.ledger.turns import lock_juries

Pair = tuple[int, int, int]  # (round, jury, team)


@dataclass(frozen=True)
class ScoreRequest:
    """One request's scores (written all or none), by an account, in the requester's
    language (the account's own choice of language wins). `session_token`: the account
    comes from a session cookie that nothing checked yet, and the group checks it."""

    user_id: int
    entries: tuple[ScoreInput, ...]
    locale: str | None = None
    session_token: str | None = None


@dataclass(frozen=True)
class _Seat:
    """A request's jury, once its account passed, and the language of its answers."""

    request: ScoreRequest
    jury_id: int
    locale: str | None


def _language(locale: str | None):
    return force_locale(locale) if locale else nullcontext()


def _seats(requests: list[ScoreRequest]) -> list[_Seat | DomainError]:
    accounts = jury_accounts({request.user_id for request in requests}, current_edition())
    seats: list[_Seat | DomainError] = []
    for request in requests:
        account = accounts.get(request.user_id)
        locale = request.locale and account_locale(account and account.locale, request.locale)
        with _language(locale):
            try:
                seats.append(_Seat(request, check_jury_account(account, request.session_token),
                                   locale))
            except DomainError as refusal:
                seats.append(refusal)
    return seats


class _Group:
    """What the group's checks read, fetched once, and what its requests wrote so far."""

    def __init__(self, seats: list[_Seat]):
        scores = [(seat.jury_id, entry) for seat in seats for entry in seat.request.entries]
        pairs = {(entry.round_id, jury, entry.team_id) for jury, entry in scores}
        self.events: dict[str, ScoreEvent] = {event.client_event_id: event for event in
                                              db.session.scalars(sa.select(ScoreEvent).where(
            ScoreEvent.client_event_id.in_({entry.client_event_id for _j, entry in scores})))}
        # Share-locked on PostgreSQL until commit: closing a round waits for the group. The
        # rubric comes in the same round trip.
        self.rounds = {judging_round.id: judging_round for judging_round in db.session.scalars(
            sa.select(JudgingRound).where(JudgingRound.id.in_({p[0] for p in pairs}))
            .options(joinedload(JudgingRound.criteria))
            .with_for_update(read=True, of=JudgingRound)).unique()}
        self.assignments = {(a.round_id, a.jury_id, a.team_id): a for a in db.session.scalars(
            sa.select(JuryAssignment).where(JuryAssignment.round_id.in_({p[0] for p in pairs}),
                                            JuryAssignment.jury_id.in_({p[1] for p in pairs}),
                                            JuryAssignment.team_id.in_({p[2] for p in pairs})))}
        self.conflicts = declared_conflicts({(jury, team) for _r, jury, team in pairs})
        self._ledger = pair_events(pairs)
        self.values: dict[Pair, dict] = {}
        self.written: list[ScoreEvent] = []

    def values_of(self, pair: Pair) -> dict:
        if pair not in self.values:
            self.values[pair] = replay(self._ledger[pair])
        return self.values[pair]

    def write(self, seat: _Seat) -> list[tuple[ScoreEvent, bool]]:
        """The request's (event, replayed) answers; its events join the group only once all
        its scores passed."""
        request, jury_id = seat.request, seat.jury_id
        new: dict[str, ScoreEvent] = {}
        values: dict[Pair, dict] = {}
        answers = []
        for entry in request.entries:
            existing = new.get(entry.client_event_id) or self.events.get(entry.client_event_id)
            if existing is not None:
                check_reuse(existing, jury_id, same_score(existing, entry))
                answers.append((existing, True))
                continue
            edition = require_current_edition()
            require_phase(edition, "score_project")
            check_round(self.rounds.get(entry.round_id), edition.id)
            pair = (entry.round_id, jury_id, entry.team_id)
            check_assignment(self.assignments.get(pair))
            check_no_conflict((jury_id, entry.team_id) in self.conflicts)
            check_criterion(self.rounds[entry.round_id], entry.criterion_id, entry.value)
            pair_values = values.setdefault(pair, dict(self.values_of(pair)))
            cell = (jury_id, entry.team_id, entry.criterion_id)
            event = ScoreEvent(
                client_event_id=entry.client_event_id, round_id=entry.round_id,
                jury_id=jury_id, team_id=entry.team_id,
                criterion_id=entry.criterion_id, kind=CORRECTION if cell in pair_values else SCORE,
                value=float(entry.value), comment=(entry.comment or "").strip(),
                actor_id=request.user_id)
            pair_values[cell] = event.value
            new[entry.client_event_id] = event
            answers.append((event, False))
        self.events.update(new)
        self.values.update(values)
        self.written.extend(new.values())
        return answers

    def refresh_statuses(self) -> None:
        for pair in {(event.round_id, event.jury_id, event.team_id) for event in self.written}:
            refresh_status(self.assignments[pair], self.rounds[pair[0]], self.values[pair])


def write_score_requests(requests: list[ScoreRequest]) -> list[list[RecordedEvent] | DomainError]:
    """Within the caller's transaction (this locks the juries): one outcome per request, the
    recorded events (a repeated client event id answers the original) or its refusal."""
    seats = _seats(requests)
    seated = [seat for seat in seats if isinstance(seat, _Seat)]
    if not seated:
        return seats
    lock_juries(seat.jury_id for seat in seated)
    group = _Group(seated)
    answers: list[list[tuple[ScoreEvent, bool]] | DomainError] = []
    for seat in seats:
        if isinstance(seat, DomainError):
            answers.append(seat)
            continue
        with _language(seat.locale):
            try:
                answers.append(group.write(seat))
            except DomainError as refusal:
                answers.append(refusal)
    db.session.add_all(group.written)  # in request order: their seqs follow it
    db.session.flush()
    group.refresh_statuses()
    # Read inside the transaction: after the commit each event would be reloaded.
    return [answer if isinstance(answer, DomainError)
            else [recorded_event(event, replayed) for event, replayed in answer]
            for answer in answers]
