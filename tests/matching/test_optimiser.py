"""The integer program: certified optimal, exact team-level rows when a split fails."""

from __future__ import annotations

import numpy as np
import pytest

from crunchtime.matching import MatchingInfeasible, MatchingParameters, run_matching
from crunchtime.matching.integer_model import build_model
from crunchtime.matching.optimiser import solve_assignment
from crunchtime.matching.problem import AssignmentProblem
from crunchtime.matching.relaxation import solve_relaxation
from crunchtime.matching.units import rank_matrix, student_utility
from tests.matching.helpers import challenge, reference_optimum, student
from tests.matching.test_relaxation import demo_problem


def _problem(utility, size, teams, size_min, size_max, programmes=None, cap=None):
    utility = np.asarray(utility, dtype=float)
    if programmes is None:
        programmes = np.asarray(size).reshape(-1, 1)
    return AssignmentProblem(utility, np.asarray(size), np.asarray(programmes),
                             np.asarray(teams), size_min, size_max, cap)


def test_demo_assignment_is_certified_optimal_and_within_capacity():
    problem = demo_problem(400, seed=2)
    assignment = solve_assignment(problem, solve_relaxation(problem))
    assert assignment.certified and assignment.proven
    load = np.bincount(assignment.column_of_unit, weights=problem.size,
                       minlength=problem.n_challenges)
    assert np.all(load >= problem.size_min * assignment.teams_opened)
    assert np.all(load <= problem.size_max * assignment.teams_opened)
    assert np.all(assignment.teams_opened <= problem.teams_wanted)


def test_a_challenge_may_open_fewer_teams_than_wanted_even_none():
    problem = _problem([[10, 1], [10, 1], [10, 1]], [1, 1, 1], [3, 2], 3, 3)
    assignment = solve_assignment(problem, solve_relaxation(problem))
    assert assignment.teams_opened.tolist() == [1, 0]
    assert assignment.objective == 30


def test_a_challenge_short_of_a_team_borrows_a_student_rather_than_closing():
    utility = [[10, 0]] * 4 + [[0, 10]] * 2
    problem = _problem(utility, [1] * 6, [2, 2], 3, 4)
    assignment = solve_assignment(problem, solve_relaxation(problem))
    assert np.bincount(assignment.column_of_unit, minlength=2).tolist() == [3, 3]
    assert assignment.objective == 50


def test_team_level_rows_are_added_when_friend_groups_cannot_be_packed(monkeypatch):
    import crunchtime.matching.optimiser as optimiser

    detailed_solves = []
    original = optimiser.build_model

    def spy(problem, keep, detailed):
        detailed_solves.append(sorted(detailed))
        return original(problem, keep, detailed)

    monkeypatch.setattr(optimiser, "build_model", spy)
    rows = [("B", (), "G1"), ("A", ("C1",), "G3"), ("B", ("C1", "C0"), None), ("B", (), "G3"),
            ("B", (), "G1"), ("A", ("C0", "C1"), "G3"), ("A", ("C1",), "G1"),
            ("B", ("C1",), "G2"), ("B", ("C0",), "G3"), ("A", ("C0", "C1"), "G2")]
    students = [student(i, p, c, g) for i, (p, c, g) in enumerate(rows)]
    challenges = [challenge("C0", 2), challenge("C1", 1)]
    params = MatchingParameters(team_size_min=3, team_size_max=4, candidates_per_student=None)
    result = run_matching(students, challenges, params)
    assert detailed_solves[0] == [] and any(detailed_solves[1:])
    utility = student_utility(rank_matrix(students, challenges), result.fit, params)
    assert result.metrics["objective"] == pytest.approx(
        reference_optimum(students, challenges, params, utility))
    assert result.metrics["size_violations"] == result.metrics["group_violations"] == 0


def test_team_level_model_packs_groups_exactly():
    problem = _problem([[0]] * 4, [3, 3, 1, 1], [2], 4, 4)
    model = build_model(problem, np.ones((4, 1), dtype=bool), frozenset({0}))
    assert model.n_columns > 4 + 1
    problem_odd = _problem([[0]] * 3, [3, 3, 2], [2], 4, 4)
    relaxation = solve_relaxation(problem_odd)
    with pytest.raises(MatchingInfeasible):
        solve_assignment(problem_odd, relaxation, split_check=lambda c, t: [0])


def test_no_feasible_assignment_is_reported_as_infeasible():
    problem = _problem([[5], [5], [5]], [1, 1, 1], [1], 2, 2)
    with pytest.raises(MatchingInfeasible) as caught:
        solve_assignment(problem, solve_relaxation(problem))
    assert caught.value.code == "no_feasible_assignment"


def test_fractional_single_students_are_rounded_by_a_totally_unimodular_resolve():
    from crunchtime.matching.optimiser import _integral_singles

    problem = _problem([[5, 4], [5, 4], [3, 6], [6, 6]], [1, 1, 1, 2], [1, 1], 2, 3)
    model = build_model(problem, np.ones((4, 2), dtype=bool), frozenset())
    assert model.edge_units.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    chosen = np.array([0.5, 0.5, 0.5, 0.5, 0.0, 1.0, 1.0, 0.0])
    rounded = _integral_singles(problem, model, chosen, np.array([1, 1]), frozenset())
    assert set(rounded.tolist()) <= {0.0, 1.0}
    assert np.bincount(model.edge_units, weights=rounded).tolist() == [1, 1, 1, 1]
    load = np.bincount(model.edge_columns, weights=rounded * problem.size[model.edge_units])
    assert np.all((load >= 2) & (load <= 3))


def test_units_left_one_edge_are_fixed_as_constants():
    problem = _problem([[5, 4], [5, -np.inf], [3, 6]], [1, 1, 1], [1, 1], 1, 3)
    keep = np.isfinite(problem.utility)
    model = build_model(problem, keep, frozenset())
    assert model.fixed_units.tolist() == [1] and model.fixed_columns.tolist() == [0]
    assert model.base_load.tolist() == [1.0, 0.0]
    assert build_model(problem, keep, frozenset({0})).fixed_units.tolist() == []
