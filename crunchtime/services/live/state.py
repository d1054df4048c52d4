"""The one sentence the big screen says about where the judging stands, from the edition's
phase and the round the board follows together: the phase closes scoring whatever a round
still says, so the board never claims an open round after the edition moved on."""

from __future__ import annotations

from dataclasses import dataclass

from crunchtime.models import Edition, JudgingRound
from crunchtime.phases import is_open, phase_index

BEFORE_JUDGING = "before_judging"
NO_ROUND = "no_round"
ROUND_DRAFT = "round_draft"
ROUND_OPEN = "round_open"
ROUND_CLOSED = "round_closed"
SCORING_CLOSED = "scoring_closed"
RESULTS_PUBLISHED = "results_published"
BOARD_STATES = (BEFORE_JUDGING, NO_ROUND, ROUND_DRAFT, ROUND_OPEN, ROUND_CLOSED,
                SCORING_CLOSED, RESULTS_PUBLISHED)


@dataclass(frozen=True)
class BoardState:
    """A state code (one of BOARD_STATES) and the round it names, if any."""

    code: str
    round_name: str | None = None

    def as_json(self) -> dict:
        return {"code": self.code, "round": self.round_name}


def board_state(edition: Edition | None, judging_round: JudgingRound | None) -> BoardState:
    """What is true now: before judging; a round in preparation, open or closed while the
    edition judges; scoring closed once the edition left judging; results published."""
    name = judging_round.name if judging_round is not None else None
    if edition is None or phase_index(edition.phase) < phase_index("judging"):
        return BoardState(BEFORE_JUDGING)
    if judging_round is not None and judging_round.results_published_at is not None:
        return BoardState(RESULTS_PUBLISHED, name)
    if not is_open("score_project", edition.phase):
        return BoardState(SCORING_CLOSED, name)
    if judging_round is None:
        return BoardState(NO_ROUND)
    return BoardState({"open": ROUND_OPEN, "closed": ROUND_CLOSED}.get(
        judging_round.status, ROUND_DRAFT), name)
