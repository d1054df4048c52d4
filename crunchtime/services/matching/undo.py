"""Undo an organiser's last moves in a preview: each move or swap keeps what it changed (the
students' placements and the run's figures), so undoing it gives back that state exactly."""

from __future__ import annotations

import copy

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import MatchingRun, Placement, User
from crunchtime.services.audit import record_audit

# MatchingRun.parameters key of the changes that can be undone, oldest first.
UNDO_KEY = "undo"
UNDO_DEPTH = 20


def undo_stack(run: MatchingRun) -> list[dict]:
    return list((run.parameters or {}).get(UNDO_KEY, []))


def remember_change(run: MatchingRun, action: str, placements: list[Placement]) -> None:
    """Before a move or a swap: keep these placements and the run's figures as they are."""
    entry = {"action": action, "metrics": copy.deepcopy(run.metrics),
             "placements": [{"student": p.student_id, "challenge": p.challenge_id,
                             "team_index": p.team_index, "explanation": p.explanation}
                            for p in placements]}
    run.parameters = {**(run.parameters or {}),
                      UNDO_KEY: [*undo_stack(run), entry][-UNDO_DEPTH:]}


def undo_last_change(actor: User, run: MatchingRun) -> dict:
    """Put back the placements and figures from before the last move or swap; audited."""
    if run.status != "preview":
        raise Conflict(_("A published run cannot be changed; run the matching again instead."))
    stack = undo_stack(run)
    if not stack:
        raise InvalidInput(_("There is no move to undo in this run."))
    entry = stack.pop()
    for saved in entry["placements"]:
        placement = db.session.scalar(sa.select(Placement).where(
            Placement.run_id == run.id, Placement.student_id == saved["student"]))
        if placement is None:
            raise NotFound(_("This student is not in the run."))
        placement.challenge_id = saved["challenge"]
        placement.team_index = saved["team_index"]
        placement.explanation = saved["explanation"]
    run.metrics = entry["metrics"]
    run.parameters = {**run.parameters, UNDO_KEY: stack}
    record_audit(actor, "matching.undo", run, edition_id=run.edition_id,
                 undone=entry["action"],
                 students=[saved["student"] for saved in entry["placements"]],
                 restored=[[saved["challenge"], saved["team_index"]]
                           for saved in entry["placements"]])
    db.session.commit()
    return entry
