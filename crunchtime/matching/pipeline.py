"""The public entry points: run the whole matching, or score an edited set of teams."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from crunchtime.matching.eligibility import sort_students
from crunchtime.matching.explain import Explainer
from crunchtime.matching.feasibility import check_feasibility, validate_inputs
from crunchtime.matching.fit import compute_fit
from crunchtime.matching.inputs import ChallengeInput, MatchingParameters, StudentInput
from crunchtime.matching.metrics import compute_metrics
from crunchtime.matching.optimiser import Assignment, solve_assignment
from crunchtime.matching.problem import AssignmentProblem
from crunchtime.matching.relaxation import Relaxation, solve_relaxation
from crunchtime.matching.results import MatchingResult, Placement, Team
from crunchtime.matching.split import split_members
from crunchtime.matching.teams import TeamBounds, Traits, challenge_members, form_teams
from crunchtime.matching.units import (
    Units,
    build_units,
    capped_programmes,
    rank_matrix,
    student_utility,
)


def run_matching(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters | None = None,
) -> MatchingResult:
    """Fit, optimal assignment, balanced teams, metrics, for the students the matching may
    place (never one without consent: see `eligibility`); raises MatchingInfeasible."""
    params = params or MatchingParameters()
    eligibility = sort_students(students, params.leave_out_incomplete)
    result = _place(eligibility.placeable, challenges, params)
    result.metrics.update(
        left_out=eligibility.left_out_counts(),
        placed_by_fit={reason: len(ids) for reason, ids in eligibility.placed_by_fit.items()})
    return dataclasses.replace(result, left_out=eligibility.left_out)


def _place(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters,
) -> MatchingResult:
    validate_inputs(students, challenges, params)
    started = time.perf_counter()
    fit = compute_fit(students, challenges, params.fit, params.seed)
    ranks = rank_matrix(students, challenges)
    units = build_units(students, challenges, ranks, fit.matrix, params)
    check_feasibility(students, challenges, units, params)
    fitted = time.perf_counter()
    if not students:
        return _empty_result(students, challenges, params, fit.matrix)
    problem = build_problem(units, challenges, params)
    traits = _traits(students, challenges)
    relaxation = solve_relaxation(problem, params.seed)
    assignment = solve_assignment(problem, relaxation, params.time_limit,
                                  _split_check(problem, units, traits, params))
    assigned = time.perf_counter()
    column_of_student = assignment.column_of_unit[units.unit_of]
    labels = form_teams(column_of_student, units.unit_of, assignment.teams_opened,
                        problem.teams_wanted, traits, _bounds(params), params.seed)
    if np.any(labels < 0):
        raise RuntimeError("a challenge the optimiser checked could not be split into teams")
    teams = _teams(students, challenges, column_of_student, labels)
    finished = time.perf_counter()
    metrics = compute_metrics(students, challenges, params, teams, fit.matrix, ranks)
    metrics.update(_optimality(relaxation, assignment, metrics["objective"]))
    metrics.update(fit_auc=fit.auc, fit_seconds=fitted - started,
                   assign_seconds=assigned - fitted, teams_seconds=finished - assigned)
    placements = _placements(students, challenges, params, teams, fit.matrix, ranks)
    return MatchingResult(placements, teams, metrics, fit.matrix)


def evaluate(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters,
    teams: Sequence[Team],
    fit: np.ndarray | None = None,
    lp_bound: float | None = None,
    moved: Collection[int] = (),
) -> dict[str, Any]:
    """Metrics of teams an organiser edited (a move, a swap), to show what it costs.

    Pass the run's `fit` (MatchingResult.fit) and `metrics["lp_bound"]` to skip refitting;
    `moved`: the students the organiser moved (their reason for being outside their choices).
    Only the students in `teams` or placeable under `params` are counted (the fit's rows).
    """
    in_teams = {student_id for team in teams for student_id in team.student_ids}
    placeable = {s.id for s in sort_students(students, params.leave_out_incomplete).placeable}
    students = [s for s in students if s.id in in_teams or s.id in placeable]
    if fit is None:
        fit = compute_fit(students, challenges, params.fit, params.seed, measure_auc=False).matrix
    metrics = compute_metrics(students, challenges, params, teams, fit,
                              rank_matrix(students, challenges), moved)
    if lp_bound:
        metrics["lp_bound"] = lp_bound
        metrics["objective_ratio_to_lp_bound"] = metrics["objective"] / lp_bound
    return metrics


def _empty_result(students, challenges, params, fit: np.ndarray) -> MatchingResult:
    """Nobody to place: nothing to optimise, trivially optimal."""
    metrics = evaluate(students, challenges, params, (), fit)
    metrics.update(lp_bound=0.0, objective_ratio_to_lp_bound=1.0, certified_optimal=True,
                   proven_optimal_on_edges=True, integer_program_edges=0, fit_auc=None,
                   fit_seconds=0.0, assign_seconds=0.0, teams_seconds=0.0)
    return MatchingResult((), (), metrics, fit)


def build_problem(
    units: Units, challenges: Sequence[ChallengeInput], params: MatchingParameters
) -> AssignmentProblem:
    """The array form of the assignment (utilities, sizes, capped programme counts)."""
    return AssignmentProblem(
        utility=units.utility,
        size=units.size,
        programmes=capped_programmes(units.programmes, params.max_same_programme_per_team),
        teams_wanted=np.array([c.teams_wanted for c in challenges], dtype=np.int64),
        size_min=params.team_size_min,
        size_max=params.team_size_max,
        programme_cap=params.max_same_programme_per_team,
    )


def _bounds(params: MatchingParameters) -> TeamBounds:
    return TeamBounds(params.team_size_min, params.team_size_max,
                      params.max_same_programme_per_team)


def _traits(students: Sequence[StudentInput], challenges: Sequence[ChallengeInput]) -> Traits:
    programmes = {p: i for i, p in enumerate(sorted({s.programme for s in students}))}
    years = {y: i for i, y in enumerate(sorted({s.year for s in students}))}
    vocabulary = {k: i for i, k in enumerate(sorted(
        {k for s in students for k in s.skills} | {k for c in challenges for k in c.skills}))}
    return Traits(
        programme=np.array([programmes[s.programme] for s in students], dtype=np.int64),
        year=np.array([years[s.year] for s in students], dtype=np.int64),
        skills=_incidence([s.skills for s in students], vocabulary),
        wanted=_incidence([c.skills for c in challenges], vocabulary),
    )


def _incidence(rows: list[tuple[str, ...]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    r = [i for i, skills in enumerate(rows) for _ in set(skills)]
    c = [vocabulary[k] for skills in rows for k in set(skills)]
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), max(len(vocabulary), 1)))


def _split_check(problem: AssignmentProblem, units: Units, traits: Traits, params):
    """The challenges whose friend groups make the split into teams impossible."""
    bounds = _bounds(params)
    grouped = problem.size > 1

    def failing(column_of_unit: np.ndarray, teams: np.ndarray) -> list[int]:
        """Challenges hosting a friend group whose students admit no valid split."""
        column_of_student = column_of_unit[units.unit_of]
        bad = []
        for j in np.unique(column_of_unit[grouped]):
            _, members = challenge_members(column_of_student, units.unit_of, traits, teams,
                                           problem.teams_wanted, j)
            if split_members(members, bounds.size_min, bounds.size_max, bounds.cap) is None:
                bad.append(int(j))
        return bad

    return failing


def _teams(students, challenges, column_of_student, labels) -> tuple[Team, ...]:
    teams = []
    for j in np.unique(column_of_student):
        here = np.flatnonzero(column_of_student == j)
        for index in range(labels[here].max() + 1):
            ids = tuple(sorted(students[i].id for i in here[labels[here] == index]))
            teams.append(Team(challenges[j].code, index, ids))
    return tuple(teams)


def _placements(students, challenges, params, teams, fit, ranks) -> tuple[Placement, ...]:
    explainer = Explainer(students, challenges, params)
    column = {c.code: j for j, c in enumerate(challenges)}
    row = {s.id: i for i, s in enumerate(students)}
    utility = student_utility(ranks, fit, params)
    placements = []
    for team in teams:
        j = column[team.challenge_code]
        for student_id in team.student_ids:
            i = row[student_id]
            placements.append(Placement(
                student_id, team.challenge_code, team.index, float(utility[i, j]),
                int(ranks[i, j]) or None, explainer.explain(students[i], team.challenge_code,
                                                            fit[i, j])))
    return tuple(sorted(placements, key=lambda p: p.student_id))


def _optimality(relaxation: Relaxation, assignment: Assignment, objective: float) -> dict:
    bound = relaxation.bound
    return {
        "lp_bound": bound,
        "objective_ratio_to_lp_bound": objective / bound if bound else 1.0,
        "certified_optimal": assignment.certified,
        "proven_optimal_on_edges": assignment.proven,
        "integer_program_edges": assignment.edges,
        "reduced_cost_margin": assignment.margin,
        "lp_rounds": relaxation.rounds,
        "lp_converged": relaxation.converged,
        "integer_program_solves": assignment.solves,
    }
