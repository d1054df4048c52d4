"""Writing the append-only score ledger: scores, corrections, undos within 30 s, organiser
retractions. Each write is checked (assignment, scale, round open, phase), idempotent on its
client event id, committed, and only then acknowledged and published to the organisers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Criterion, JudgingRound, JuryAssignment, ScoreEvent
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.scoring.ledger import CORRECTION, SCORE, UNDO, VALUE_KINDS
from crunchtime.services.editions import require_current_edition, require_phase
from crunchtime.services.jury_conflicts import has_declared_conflict
from crunchtime.services.jury_profiles import jury_profile
from crunchtime.services.ledger_writes import (
    commit_with_retry,
    lock_jury,
    one_writer_at_a_time,
    round_for_scoring,
)
from crunchtime.services.score_queries import ledger_events, replay

UNDO_WINDOW = timedelta(seconds=30)
COMMENT_MAX = 2000
_EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:_.-]{7,63}$")


@dataclass(frozen=True)
class ScoreInput:
    """One criterion score as a jury's phone sends it; the id is made by the client."""

    client_event_id: str
    round_id: int
    team_id: int
    criterion_id: int
    value: float
    comment: str = ""


@dataclass(frozen=True)
class RecordedEvent:
    """What the server acknowledges: the committed event (the original one on a replay)."""

    seq: int
    client_event_id: str
    kind: str
    round_id: int
    team_id: int
    criterion_id: int
    value: float | None
    reverts_seq: int | None
    created_at: datetime
    replayed: bool = False

    def as_json(self) -> dict:
        return {"seq": self.seq, "client_event_id": self.client_event_id, "kind": self.kind,
                "round_id": self.round_id, "team_id": self.team_id,
                "criterion_id": self.criterion_id, "value": self.value,
                "reverts_seq": self.reverts_seq, "replayed": self.replayed,
                "recorded_at": self.created_at.isoformat()}


def recorded_event(event: ScoreEvent, replayed: bool = False) -> RecordedEvent:
    return RecordedEvent(event.seq, event.client_event_id, event.kind, event.round_id,
                         event.team_id, event.criterion_id, event.value, event.reverts_seq,
                         event.created_at, replayed)


def check_event_id(client_event_id: str) -> str:
    if not isinstance(client_event_id, str) or not _EVENT_ID.match(client_event_id):
        raise InvalidInput(_("The event id must be 8 to 64 letters, digits or “:_.-”."),
                           field="client_event_id")
    return client_event_id


def _existing(client_event_id: str) -> ScoreEvent | None:
    return db.session.scalar(sa.select(ScoreEvent)
                             .where(ScoreEvent.client_event_id == client_event_id))


def _check_reuse(event: ScoreEvent, jury_id: int, same: bool) -> None:
    """A repeated client event id must repeat the same write by the same jury."""
    if event.jury_id != jury_id or not same:
        raise Conflict(_("This event id was already used for another score."),
                       field="client_event_id")


def _same_score(event: ScoreEvent, entry: ScoreInput) -> bool:
    return (event.kind in VALUE_KINDS and event.value == entry.value
            and (event.round_id, event.team_id, event.criterion_id)
            == (entry.round_id, entry.team_id, entry.criterion_id))


def _open_round(round_id: int) -> JudgingRound:
    """The round, if it belongs to the current edition, judging is on and it is open."""
    edition = require_current_edition()
    require_phase(edition, "score_project")
    judging_round = round_for_scoring(round_id)
    if judging_round is None or judging_round.edition_id != edition.id:
        raise NotFound(_("This judging round does not exist."))
    if judging_round.status != "open":
        raise Conflict(_("Round “%(name)s” is not open for scoring.", name=judging_round.name))
    return judging_round


def _assignment(round_id: int, jury_id: int, team_id: int) -> JuryAssignment:
    assignment = db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.round_id == round_id, JuryAssignment.jury_id == jury_id,
        JuryAssignment.team_id == team_id))
    if assignment is None:
        raise Forbidden(_("You are not assigned to score this team in this round."))
    return assignment


def _criterion(judging_round: JudgingRound, criterion_id: int, value: float) -> Criterion:
    criterion = next((c for c in judging_round.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise InvalidInput(_("This criterion is not part of the round's rubric."),
                           field="criterion_id")
    if not (isinstance(value, int | float) and math.isfinite(value)
            and criterion.scale_min <= value <= criterion.scale_max):
        raise InvalidInput(_("“%(criterion)s” is scored from %(low)d to %(high)d.",
                             criterion=criterion.label_fr, low=criterion.scale_min,
                             high=criterion.scale_max), field="value")
    return criterion


def refresh_status(assignment: JuryAssignment, judging_round: JudgingRound,
                   values: dict | None = None) -> None:
    """Scored once every criterion has a value; an absent team stays absent until scored.
    `values`: the pair's current scores when the caller already has them."""
    if values is None:
        values = replay(ledger_events(judging_round.id, jury_id=assignment.jury_id,
                                      team_id=assignment.team_id))
    criteria = {criterion.id for criterion in judging_round.criteria}
    if criteria and criteria <= {cell[2] for cell in values}:
        assignment.status = "scored"
    elif values or assignment.status != "absent":
        assignment.status = "to_score"


def _write_score(jury_id: int, actor_id: int, entry: ScoreInput) -> tuple[ScoreEvent, bool]:
    """(event, replayed): the new event, or the original one for a repeated client event id."""
    existing = _existing(entry.client_event_id)
    if existing is not None:
        _check_reuse(existing, jury_id, _same_score(existing, entry))
        return existing, True
    judging_round = _open_round(entry.round_id)
    assignment = _assignment(entry.round_id, jury_id, entry.team_id)
    if has_declared_conflict(jury_id, entry.team_id):
        raise Forbidden(_("You have declared a conflict of interest with this team: you can "
                          "no longer score it."))
    _criterion(judging_round, entry.criterion_id, entry.value)
    cell = (jury_id, entry.team_id, entry.criterion_id)
    values = replay(ledger_events(entry.round_id, jury_id=jury_id, team_id=entry.team_id))
    event = ScoreEvent(
        client_event_id=entry.client_event_id, round_id=entry.round_id, jury_id=jury_id,
        team_id=entry.team_id, criterion_id=entry.criterion_id,
        kind=CORRECTION if cell in values else SCORE, value=float(entry.value),
        comment=(entry.comment or "").strip(), actor_id=actor_id,
    )
    db.session.add(event)
    db.session.flush()
    refresh_status(assignment, judging_round, {**values, cell: event.value})
    return event, False


def _committed(profile_id: int, write) -> list[RecordedEvent]:
    """Run the jury's writes under its lock and commit; a unique-id race becomes a replay."""
    def unit():
        lock_jury(profile_id)
        return write()

    with one_writer_at_a_time():
        try:
            return commit_with_retry(unit)
        except IntegrityError:  # the racing row is committed now: this run replays it
            return commit_with_retry(unit)


def record_scores(user, entries: list[ScoreInput]) -> list[RecordedEvent]:
    """Record a jury's scores in one transaction (all or nothing); a repeated client event id
    returns the original event, never a second row."""
    for entry in entries:
        check_event_id(entry.client_event_id)
        if len(entry.comment or "") > COMMENT_MAX:
            raise InvalidInput(_("The comment is too long."), field="comment")
    profile = jury_profile(user)
    # Read inside the transaction: after the commit each event would be reloaded.
    results = _committed(profile.id, lambda: [
        recorded_event(*_write_score(profile.id, user.id, entry)) for entry in entries])
    publish_score_events([result for result in results if not result.replayed])
    return results


def record_score(user, entry: ScoreInput) -> RecordedEvent:
    return record_scores(user, [entry])[0]


def _write_undo(jury_id: int, actor_id: int, client_event_id: str,
                target_event_id: str) -> tuple[ScoreEvent, bool]:
    target = _existing(target_event_id)
    if target is None:
        raise NotFound(_("There is no such score to undo."))
    existing = _existing(client_event_id)
    if existing is not None:
        _check_reuse(existing, jury_id, existing.kind == UNDO
                     and existing.reverts_seq == target.seq)
        return existing, True
    if target.jury_id != jury_id or target.kind not in VALUE_KINDS:
        raise Forbidden(_("You can only undo your own scores."))
    judging_round = _open_round(target.round_id)
    assignment = _assignment(target.round_id, jury_id, target.team_id)
    already = db.session.scalar(sa.select(ScoreEvent).where(
        ScoreEvent.kind == UNDO, ScoreEvent.reverts_seq == target.seq))
    if already is not None:  # another tab undid it first: same outcome, no second row
        return already, True
    if utcnow() - target.created_at > UNDO_WINDOW:
        raise Conflict(_("The 30 seconds to undo have passed: enter the right score instead, "
                         "it will be recorded as a correction."))
    event = ScoreEvent(
        client_event_id=client_event_id, round_id=target.round_id, jury_id=jury_id,
        team_id=target.team_id, criterion_id=target.criterion_id, kind=UNDO,
        reverts_seq=target.seq, actor_id=actor_id)
    db.session.add(event)
    db.session.flush()
    refresh_status(assignment, judging_round)
    return event, False


def undo_scores(user, undos: list[tuple[str, str]]) -> list[RecordedEvent]:
    """Cancel some of the jury's own scores within 30 s of their recording; `undos` holds
    (client event id of the undo, client event id of the score)."""
    for client_event_id, _target in undos:
        check_event_id(client_event_id)
    profile = jury_profile(user)
    results = _committed(profile.id, lambda: [
        recorded_event(*_write_undo(profile.id, user.id, event_id, target))
        for event_id, target in undos])
    publish_score_events([result for result in results if not result.replayed])
    return results


def undo_score(user, client_event_id: str, target_event_id: str) -> RecordedEvent:
    return undo_scores(user, [(client_event_id, target_event_id)])[0]


def mark_absent(user, round_id: int, team_id: int, absent: bool = True) -> str:
    """Skip a team that did not show up (or bring it back to the queue); returns the status."""
    profile = jury_profile(user)

    def unit() -> str:
        lock_jury(profile.id)
        judging_round = _open_round(round_id)
        assignment = _assignment(round_id, profile.id, team_id)
        has_scores = bool(replay(ledger_events(round_id, jury_id=profile.id, team_id=team_id)))
        if absent and has_scores:
            raise Conflict(_("You have already scored this team: it cannot be marked absent."))
        assignment.status = "absent" if absent else "to_score"
        refresh_status(assignment, judging_round)
        return assignment.status

    status = commit_with_retry(unit)
    publish("assignment", {"round": round_id, "team": team_id, "status": status},
            room=ORGANIZERS)
    return status


def undoable_events(jury_id: int, round_id: int, team_id: int) -> list[ScoreEvent]:
    """The jury's scores on this team that can still be undone (recorded < 30 s ago)."""
    since = utcnow() - UNDO_WINDOW
    undone = sa.select(ScoreEvent.reverts_seq).where(
        ScoreEvent.kind == UNDO, ScoreEvent.reverts_seq.is_not(None))
    return list(db.session.scalars(sa.select(ScoreEvent).where(
        ScoreEvent.round_id == round_id, ScoreEvent.jury_id == jury_id,
        ScoreEvent.team_id == team_id, ScoreEvent.kind.in_(VALUE_KINDS),
        ScoreEvent.created_at >= since, ScoreEvent.seq.not_in(undone),
    ).order_by(ScoreEvent.seq)))


def publish_score_events(results: list[RecordedEvent]) -> None:
    """After the commit: a small "score" event per write to the organisers' room only
    (juries never see the provisional ranking)."""
    for result in results:
        publish("score", {"seq": result.seq, "kind": result.kind, "round": result.round_id,
                          "team": result.team_id, "criterion": result.criterion_id},
                room=ORGANIZERS)
