"""Matching runs: run the model into a preview, adjust it, compare, publish the teams."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.matching import (
    MatchingInfeasible,
    MatchingParameters,
    evaluate,
    run_matching,
    sort_students,
)
from crunchtime.matching import Team as ProposedTeam
from crunchtime.models import Challenge, Edition, MatchingRun, Placement, User
from crunchtime.security.offload import run_off_loop
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.matching.inputs import challenge_inputs, parameters_for, student_inputs
from crunchtime.services.matching.overview import CHANGE_METRICS
from crunchtime.services.matching.settings import TeamSettings, edition_team_settings
from crunchtime.services.matching.undo import remember_change
from crunchtime.services.matching.words import infeasible_message, left_out_pin_message

# Figures of the model's own run that a manual change does not recompute (a changed run is
# no longer certified optimal: `_recompute` sets certified_optimal to False).
KEPT_METRICS = ("fit_auc", "fit_seconds", "assign_seconds", "teams_seconds", "left_out",
                "placed_by_fit")
MOVED = json.dumps({"kind": "moved"})
# MatchingRun.parameters["incomplete"]: what the run did with incomplete profiles/no wishes.
PLACE_BY_FIT, LEAVE_OUT = "place_by_fit", "leave_out"


def _challenge_ids(edition: Edition) -> dict[str, int]:
    return dict(db.session.execute(
        sa.select(Challenge.code, Challenge.id).where(Challenge.edition_id == edition.id)
    ).all())


def _placement_rows(run_id: int, result, challenge_ids: dict[str, int],
                    pins: dict[int, str]) -> list[dict]:
    return [
        {"run_id": run_id, "student_id": p.student_id,
         "challenge_id": challenge_ids[p.challenge_code], "team_index": p.team_index,
         "utility": float(p.utility), "pinned": p.student_id in pins,
         "explanation": json.dumps(_plain(dataclasses.asdict(p.explanation)),
                                   ensure_ascii=False)}
        for p in result.placements
    ]


def _plain(value):
    """Metrics as JSON-ready data (NumPy numbers become Python ones)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def _check_pins(pins: dict[int, str], students, challenges, leave_out: bool) -> None:
    """A pin names a registered student the run may place and an approved challenge, or the
    run is refused."""
    codes = {c.code for c in challenges}
    ids = {s.id for s in sort_students(students, leave_out).placeable}
    left_out = {s.id for s in students} - ids
    for student_id, code in pins.items():
        if code not in codes:
            raise InvalidInput(_("%(code)s is not an approved challenge of this edition: "
                                 "students can only be pinned to an approved challenge.",
                                 code=code), field="challenge")
        if student_id in left_out:
            raise InvalidInput(left_out_pin_message(), field="student")
        if student_id not in ids:
            raise InvalidInput(_("A pinned student is no longer registered in this edition."),
                               field="student")


def start_run(actor: User | None, pins: dict[int, str] | None = None,
              settings: TeamSettings | None = None,
              leave_out_incomplete: bool = False) -> MatchingRun:
    """Run the model on the current edition and keep the result as a preview.

    `settings`: team sizes and diversity cap for this run (default: the edition's).
    Students without consent are never placed; those with an incomplete profile or no
    wishes are placed by fit unless `leave_out_incomplete`."""
    edition = require_current_edition()
    require_phase(edition, "run_matching")
    students, challenges = student_inputs(edition), challenge_inputs(edition)
    if not students:
        raise InvalidInput(_("No student is registered in this edition."))
    if not challenges:
        raise InvalidInput(_("No challenge is approved in this edition."))
    pins = {int(k): v for k, v in (pins or {}).items()}
    _check_pins(pins, students, challenges, leave_out_incomplete)
    settings = settings or edition_team_settings(edition)
    parameters = parameters_for(edition, pins, settings,
                                leave_out_incomplete=leave_out_incomplete)
    try:
        result = run_off_loop(run_matching, students, challenges, parameters)
    except MatchingInfeasible as error:
        raise InvalidInput(infeasible_message(error)) from error
    return _store_run(actor, edition, result, parameters, settings)


def _store_run(actor, edition: Edition, result, parameters: MatchingParameters,
               settings: TeamSettings) -> MatchingRun:
    pins = dict(parameters.pins)
    run = MatchingRun(edition_id=edition.id, status="preview",
                      created_by_id=actor.id if actor else None,
                      parameters=_plain({
                          "pins": {str(k): v for k, v in pins.items()},
                          "team_size": [settings.size_min, settings.size_max],
                          "diversity_cap": settings.diversity_cap,
                          "incomplete": LEAVE_OUT if parameters.leave_out_incomplete
                          else PLACE_BY_FIT,
                          "left_out": {reason: list(ids)
                                       for reason, ids in result.left_out.items()}}),
                      metrics=_plain(result.metrics))
    db.session.add(run)
    db.session.flush()
    rows = _placement_rows(run.id, result, _challenge_ids(edition), pins)
    db.session.execute(sa.insert(Placement), rows)
    record_audit(actor, "matching.run", run, edition_id=edition.id, students=len(rows),
                 incomplete=run.parameters["incomplete"],
                 left_out=result.metrics.get("left_out", {}))
    db.session.commit()
    return run


def run_pins(run: MatchingRun) -> dict[int, str]:
    return {int(k): v for k, v in (run.parameters or {}).get("pins", {}).items()}


def run_leaves_out_incomplete(run: MatchingRun) -> bool:
    """The organiser's choice for incomplete profiles and no wishes (older runs: by fit)."""
    return (run.parameters or {}).get("incomplete") == LEAVE_OUT


def run_settings(run: MatchingRun) -> TeamSettings:
    """The team settings the run was made with (older runs: the edition's sizes, no cap)."""
    parameters = run.parameters or {}
    edition = db.session.get(Edition, run.edition_id)
    low, high = parameters.get("team_size") or (edition.team_size_min, edition.team_size_max)
    return TeamSettings(int(low), int(high), parameters.get("diversity_cap"))


def get_run(run_id: int) -> MatchingRun:
    edition = require_current_edition()
    run = db.session.get(MatchingRun, run_id)
    if run is None or run.edition_id != edition.id:
        raise NotFound(_("This matching run does not exist."))
    return run


def edition_runs(edition: Edition) -> list[MatchingRun]:
    return list(db.session.scalars(
        sa.select(MatchingRun).where(MatchingRun.edition_id == edition.id)
        .order_by(MatchingRun.id.desc())))


def _editable(run: MatchingRun) -> None:
    if run.status != "preview":
        raise Conflict(_("A published run cannot be changed; run the matching again instead."))


def current_teams(run: MatchingRun) -> list[ProposedTeam]:
    """The run's teams as the model describes them, after any move or swap."""
    db.session.flush()
    members: dict[tuple[str, int], list[int]] = defaultdict(list)
    for student, code, index in db.session.execute(
        sa.select(Placement.student_id, Challenge.code, Placement.team_index)
        .join(Challenge, Placement.challenge_id == Challenge.id)
        .where(Placement.run_id == run.id).order_by(Placement.student_id)
    ):
        members[(code, index)].append(student)
    return [ProposedTeam(code, index, tuple(ids)) for (code, index), ids in sorted(members.items())]


def _moved_students(run: MatchingRun) -> list[int]:
    db.session.flush()
    return list(db.session.scalars(sa.select(Placement.student_id).where(
        Placement.run_id == run.id, Placement.explanation == MOVED)))


def _recompute(run: MatchingRun) -> None:
    """New metrics after an organiser's change, the previous ones kept to show the change;
    the LP bound of the run stays the yardstick, and the run is no longer certified."""
    edition = db.session.get(Edition, run.edition_id)
    keep = {key: run.metrics[key] for key in KEPT_METRICS if key in run.metrics}
    before = {key: run.metrics.get(key) for key in CHANGE_METRICS}
    metrics = run_off_loop(evaluate, student_inputs(edition), challenge_inputs(edition),
                           parameters_for(edition, run_pins(run), run_settings(run),
                                          leave_out_incomplete=run_leaves_out_incomplete(run)),
                           current_teams(run), None, run.metrics.get("lp_bound"),
                           _moved_students(run))
    run.metrics = {**_plain(metrics), **keep, "adjusted": True, "certified_optimal": False,
                   "before_change": before}


def _placement(run: MatchingRun, student_id: int) -> Placement:
    placement = db.session.scalar(sa.select(Placement).where(
        Placement.run_id == run.id, Placement.student_id == student_id))
    if placement is None:
        raise NotFound(_("This student is not in the run."))
    return placement


def move_student(actor: User, run: MatchingRun, student_id: int, code: str,
                 team_index: int) -> MatchingRun:
    """Put one student in another team; the metrics show what it costs."""
    _editable(run)
    challenge = db.session.scalar(sa.select(Challenge).where(
        Challenge.edition_id == run.edition_id, Challenge.code == code.strip().upper(),
        Challenge.status == "approved"))
    if challenge is None:
        raise InvalidInput(_("Unknown challenge: %(code)s.", code=code), field="challenge")
    if team_index < 0 or team_index >= challenge.teams_wanted:
        raise InvalidInput(_("Challenge %(code)s has teams 1 to %(n)d.", code=challenge.code,
                             n=challenge.teams_wanted), field="team")
    placement = _placement(run, student_id)
    before = (placement.challenge_id, placement.team_index)
    remember_change(run, "move", [placement])
    placement.challenge_id, placement.team_index = challenge.id, team_index
    placement.explanation = MOVED
    _recompute(run)
    record_audit(actor, "matching.move", run, edition_id=run.edition_id, student=student_id,
                 before=list(before), after=[challenge.id, team_index])
    db.session.commit()
    return run


def swap_students(actor: User, run: MatchingRun, first_id: int, second_id: int) -> MatchingRun:
    _editable(run)
    if first_id == second_id:
        raise InvalidInput(_("Choose two different students."))
    first, second = _placement(run, first_id), _placement(run, second_id)
    remember_change(run, "swap", [first, second])
    (first.challenge_id, first.team_index, second.challenge_id, second.team_index) = (
        second.challenge_id, second.team_index, first.challenge_id, first.team_index)
    first.explanation = second.explanation = MOVED
    _recompute(run)
    record_audit(actor, "matching.swap", run, edition_id=run.edition_id,
                 students=[first_id, second_id])
    db.session.commit()
    return run


def pin_and_rerun(actor: User, run: MatchingRun, student_id: int, code: str) -> MatchingRun:
    """Keep the run's pins and team settings, add this pin, and run the model again as a new
    preview; an unknown or unapproved challenge is refused (InvalidInput on "challenge")."""
    pins = run_pins(run)
    recorded = (run.parameters or {}).get("left_out") or {}
    if any(student_id in ids for ids in recorded.values()):
        raise InvalidInput(left_out_pin_message(), field="student")
    _placement(run, student_id)
    pins[student_id] = code.strip().upper()
    return start_run(actor, pins, run_settings(run), run_leaves_out_incomplete(run))
