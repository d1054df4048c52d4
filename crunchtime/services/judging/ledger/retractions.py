"""Organisers retract a score in force, saying why: a new event in the ledger, audited;
nothing is ever erased."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import JudgingRound, JuryAssignment, ScoreEvent
from crunchtime.scoring.ledger import RETRACTION
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.judging.ledger.queries import in_force, ledger_events
from crunchtime.services.judging.ledger.turns import commit_with_retry, lock_jury
from crunchtime.services.judging.ledger.writes import (
    RecordedEvent,
    publish_score_events,
    recorded_event,
    refresh_status,
)

REASON_MAX = 1000


def retract_score(actor, judging_round: JudgingRound, seq: int, reason: str) -> RecordedEvent:
    """An organiser withdraws a score in force, saying why; audited, never erased."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the score is retracted."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("The reason is too long."), field="reason")
    require_phase(require_current_edition(), "publish_results")
    target = db.session.get(ScoreEvent, seq)
    if target is None or target.round_id != judging_round.id:
        raise NotFound(_("There is no such score in this round."))

    def unit() -> ScoreEvent:
        lock_jury(target.jury_id)
        events = ledger_events(judging_round.id, jury_id=target.jury_id, team_id=target.team_id)
        current = in_force(events).get((target.jury_id, target.team_id, target.criterion_id))
        if current is None or current.seq != seq:
            raise Conflict(_("This score is no longer in force: there is nothing to retract."))
        event = ScoreEvent(
            client_event_id=f"retraction:{uuid.uuid4().hex}", round_id=judging_round.id,
            jury_id=target.jury_id, team_id=target.team_id, criterion_id=target.criterion_id,
            kind=RETRACTION, reverts_seq=seq, reason=reason, actor_id=actor.id)
        db.session.add(event)
        db.session.flush()
        assignment = db.session.scalar(sa.select(JuryAssignment).where(
            JuryAssignment.round_id == judging_round.id,
            JuryAssignment.jury_id == target.jury_id, JuryAssignment.team_id == target.team_id))
        if assignment is not None:
            refresh_status(assignment, judging_round)
        record_audit(actor, "judging.retract", judging_round,
                     edition_id=judging_round.edition_id, seq=seq, retraction=event.seq,
                     reason=reason)
        return event

    result = recorded_event(commit_with_retry(unit))
    publish_score_events([result])
    return result
