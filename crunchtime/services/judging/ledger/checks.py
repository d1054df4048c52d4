"""What every ledger write checks, and what it answers: the client's event id, the round (of
the current edition, judging on, open), the jury's assignment, the rubric's scale, and the
pair's status once its scores changed."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.access import session_holds
from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from crunchtime.extensions import db
from crunchtime.models import Criterion, JudgingRound, JuryAssignment, ScoreEvent
from crunchtime.scoring.ledger import VALUE_KINDS
from crunchtime.services.accounts.jury_profiles import JuryAccount
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.judging.ledger.queries import ledger_events, replay
from crunchtime.services.judging.ledger.turns import round_for_scoring

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


def check_jury_account(account: JuryAccount | None, session_token: str | None) -> int:
    """The jury profile a request writes as. With `session_token` (a session cookie nothing
    checked yet) the session must still hold, as Flask-Login's loader requires."""
    require_current_edition()
    if account is None or (session_token is not None and not session_holds(
            session_token, account.active, account.session_token)):
        raise Unauthenticated(_("Please log in first."))
    if account.role != "jury" or account.profile_id is None:
        raise Forbidden(_("You are not a jury member of this edition."))
    return account.profile_id


def recorded_event(event: ScoreEvent, replayed: bool = False) -> RecordedEvent:
    return RecordedEvent(event.seq, event.client_event_id, event.kind, event.round_id,
                         event.team_id, event.criterion_id, event.value, event.reverts_seq,
                         event.created_at, replayed)


def check_event_id(client_event_id: str) -> str:
    if not isinstance(client_event_id, str) or not _EVENT_ID.match(client_event_id):
        raise InvalidInput(_("The event id must be 8 to 64 letters, digits or “:_.-”."),
                           field="client_event_id")
    return client_event_id


def existing_event(client_event_id: str) -> ScoreEvent | None:
    return db.session.scalar(sa.select(ScoreEvent)
                             .where(ScoreEvent.client_event_id == client_event_id))


def check_reuse(event: ScoreEvent, jury_id: int, same: bool) -> None:
    """A repeated client event id must repeat the same write by the same jury."""
    if event.jury_id != jury_id or not same:
        raise Conflict(_("This event id was already used for another score."),
                       field="client_event_id")


def same_score(event: ScoreEvent, entry: ScoreInput) -> bool:
    return (event.kind in VALUE_KINDS and event.value == entry.value
            and (event.round_id, event.team_id, event.criterion_id)
            == (entry.round_id, entry.team_id, entry.criterion_id))


def open_round(round_id: int) -> JudgingRound:
    """The round, if it belongs to the current edition, judging is on and it is open."""
    edition = require_current_edition()
    require_phase(edition, "score_project")
    return check_round(round_for_scoring(round_id), edition.id)


def check_round(judging_round: JudgingRound | None, edition_id: int) -> JudgingRound:
    """The round, once it is known to belong to the edition and to be open."""
    if judging_round is None or judging_round.edition_id != edition_id:
        raise NotFound(_("This judging round does not exist."))
    if judging_round.status != "open":
        raise Conflict(_("Round “%(name)s” is not open for scoring.", name=judging_round.name))
    return judging_round


def assignment_of(round_id: int, jury_id: int, team_id: int) -> JuryAssignment:
    return check_assignment(db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.round_id == round_id, JuryAssignment.jury_id == jury_id,
        JuryAssignment.team_id == team_id)))


def check_assignment(assignment: JuryAssignment | None) -> JuryAssignment:
    if assignment is None:
        raise Forbidden(_("You are not assigned to score this team in this round."))
    return assignment


def check_no_conflict(conflict: bool) -> None:
    if conflict:
        raise Forbidden(_("You have declared a conflict of interest with this team: you can "
                          "no longer score it."))


def check_criterion(judging_round: JudgingRound, criterion_id: int, value: float) -> Criterion:
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
