"""The live area's words: what the big screen may show, the state of the judging it states,
and what its score means under each ranking method."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from crunchtime.services.live.state import (
    BEFORE_JUDGING,
    NO_ROUND,
    RESULTS_PUBLISHED,
    ROUND_CLOSED,
    ROUND_DRAFT,
    ROUND_OPEN,
    SCORING_CLOSED,
    BoardState,
)

DISPLAY_LABELS = {
    "hidden": _l("Nothing (a waiting screen)"),
    "progress": _l("Judging progress only"),
    "ranking": _l("Live ranking"),
}


# "%(round)s" stays in the label: the page and its script put the round's name there.
BOARD_STATE_LABELS = {
    BEFORE_JUDGING: _l("Judging has not started yet"),
    NO_ROUND: _l("No judging round yet"),
    ROUND_DRAFT: _l("%(round)s: in preparation"),
    ROUND_OPEN: _l("%(round)s: scoring open"),
    ROUND_CLOSED: _l("%(round)s: scoring closed"),
    SCORING_CLOSED: _l("Scoring closed"),
    RESULTS_PUBLISHED: _l("Results published"),
}


SCORE_MEANINGS = {
    "raw": _l("Score: the weighted mean of the juries' marks, out of 100."),
    "zscore": _l("Score: how far above (+) or below (−) each jury's own average, "
                 "in standard deviations."),
    "calibrated": _l("Score: the juries' marks out of 100, corrected for lenient "
                     "or severe juries."),
}


def board_state_text(state: BoardState) -> str:
    """The state as the big screen says it, in the current language."""
    return str(BOARD_STATE_LABELS[state.code]).replace("%(round)s", state.round_name or "")
