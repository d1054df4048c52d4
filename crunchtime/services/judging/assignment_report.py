"""How a round's assignment stands, for the organisers: coverage, the pairs per team, and
what a plan leaves to fix, in words."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from crunchtime.extensions import db
from crunchtime.models import JudgingRound, JuryAssignment
from crunchtime.scoring import AssignmentPlan
from crunchtime.scoring.graph import count_components
from crunchtime.scoring.rooms import RoomFigures, rooms_per_jury
from crunchtime.services.judging.assignment import assignment_inputs


@dataclass(frozen=True)
class Coverage:
    """How the current assignment stands: teams short of k, loads, graph, stuck juries, and
    how many challenges (pitch rooms) each jury's teams span."""

    per_team: dict[int, int]
    loads: dict[int, int]
    short_teams: int
    missing_places: int
    components: int
    load_spread: int
    unassignable: tuple[int, ...]
    blocked: tuple[tuple[int, int], ...]
    rooms: RoomFigures


def assignment_coverage(judging_round: JudgingRound) -> Coverage:
    inputs = assignment_inputs(judging_round)
    k = judging_round.juries_per_team
    pairs = [*inputs.kept, *inputs.blocked]
    per_team = {team.id: 0 for team in inputs.teams}
    loads = {jury.id: 0 for jury in inputs.juries}
    for jury, team in pairs:
        per_team[team] = per_team.get(team, 0) + 1
        loads[jury] = loads.get(jury, 0) + 1
    index_j = {jury.id: i for i, jury in enumerate(inputs.juries)}
    index_t = {team.id: i for i, team in enumerate(inputs.teams)}
    edges = [(index_j[j], index_t[t]) for j, t in inputs.kept]
    assignable = [jury.id for i, jury in enumerate(inputs.juries) if inputs.allowed[i].any()]
    spread = [loads[jury] for jury in assignable]
    return Coverage(
        per_team=per_team, loads=loads,
        short_teams=sum(1 for n in per_team.values() if n < k),
        missing_places=sum(max(k - n, 0) for n in per_team.values()),
        components=count_components(edges, len(inputs.juries), len(inputs.teams)),
        load_spread=max(spread) - min(spread) if spread else 0,
        unassignable=tuple(jury.id for i, jury in enumerate(inputs.juries)
                           if inputs.teams and not inputs.allowed[i].any()),
        blocked=inputs.blocked,
        rooms=_rooms(pairs, inputs.teams),
    )


def _rooms(pairs, teams) -> RoomFigures:
    """Rooms per jury over the pairs on teams still in the round."""
    challenge_of = {team.id: team.challenge for team in teams}
    return rooms_per_jury([pair for pair in pairs if pair[1] in challenge_of], challenge_of)


def plan_warnings(plan: AssignmentPlan, k: int, jury_names: dict[int, str]) -> list[str]:
    """What an organiser must know about a plan, in words: short teams, stuck juries, groups."""
    warnings = []
    if plan.total_missing:
        short = len(plan.missing)
        warnings.append(ngettext(
            "Not enough juries: %(num)d team has fewer than %(k)d juries.",
            "Not enough juries: %(num)d teams have fewer than %(k)d juries.", short, k=k)
            + " " + _("%(places)d jury places are missing; at least %(juries)d more "
                      "conflict-free juries are needed for every team to have %(k)d.",
                      places=plan.total_missing, juries=plan.juries_short, k=k))
    for jury in plan.unassignable_juries:
        warnings.append(_("%(name)s has a conflict of interest with every team of the round: "
                          "not assigned.", name=jury_names.get(jury, str(jury))))
    if plan.components > 1:
        warnings.append(_("The juries form %(n)d separate groups that share no team: rankings "
                          "compare the groups as if their juries were equally severe.",
                          n=plan.components))
    return warnings


@dataclass(frozen=True)
class AssignedPair:
    id: int
    jury_id: int
    status: str


def assignment_rows(judging_round: JudgingRound) -> dict[int, list[AssignedPair]]:
    """Team id → its assigned juries (every team of the round, even without any)."""
    rows: dict[int, list[AssignedPair]] = {}
    for assignment in db.session.scalars(
            sa.select(JuryAssignment).where(JuryAssignment.round_id == judging_round.id)
            .order_by(JuryAssignment.team_id, JuryAssignment.id)):
        rows.setdefault(assignment.team_id, []).append(AssignedPair(
            assignment.id, assignment.jury_id, assignment.status))
    return rows
