"""LP relaxation: the auction warm start and the exact bound over every allowed edge."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from crunchtime.matching import MatchingParameters
from crunchtime.matching.auction import auction_prices
from crunchtime.matching.fit import compute_fit
from crunchtime.matching.pipeline import build_problem
from crunchtime.matching.problem import AssignmentProblem, edge_rows
from crunchtime.matching.relaxation import solve_relaxation
from crunchtime.matching.units import build_units, rank_matrix
from tests.matching.helpers import cohort_inputs


def demo_problem(students=300, seed=1, **params) -> AssignmentProblem:
    students_, challenges = cohort_inputs(students, seed)
    parameters = MatchingParameters(**params)
    fit = compute_fit(students_, challenges, parameters.fit, measure_auc=False).matrix
    units = build_units(students_, challenges, rank_matrix(students_, challenges), fit,
                        parameters)
    return build_problem(units, challenges, parameters)


def full_lp(problem: AssignmentProblem) -> float:
    """The LP relaxation over all allowed edges, written directly (t eliminated)."""
    units, columns = np.nonzero(np.isfinite(problem.utility))
    n = len(units)
    rows = [edge_rows(problem, units, columns, "size")]
    limits = [problem.size_max * problem.teams_wanted]
    if problem.programme_cap is not None:
        per_programme = edge_rows(problem, units, columns, "programme")
        spread = sp.kron(rows[0], np.ones((problem.n_programmes, 1)))
        rows += [per_programme, problem.size_min * per_programme - problem.programme_cap * spread]
        limits += [np.repeat(problem.programme_cap * problem.teams_wanted, problem.n_programmes),
                   np.zeros(per_programme.shape[0])]
    result = linprog(-problem.utility[units, columns], A_ub=sp.vstack(rows).tocsr(),
                     b_ub=np.concatenate(limits),
                     A_eq=sp.csr_matrix((np.ones(n), (units, np.arange(n)))),
                     b_eq=np.ones(problem.n_units), bounds=(0, None), method="highs")
    return -result.fun


@pytest.mark.parametrize("params", [{}, {"candidates_per_student": 3},
                                    {"max_same_programme_per_team": 2}])
def test_bound_equals_the_lp_over_every_allowed_edge(params):
    problem = demo_problem(**params)
    relaxation = solve_relaxation(problem)
    assert relaxation.converged
    assert relaxation.bound == pytest.approx(full_lp(problem), rel=1e-8)


def test_reduced_costs_are_nonnegative_and_each_unit_has_a_free_edge():
    relaxation = solve_relaxation(demo_problem())
    finite = relaxation.reduced_cost[np.isfinite(relaxation.reduced_cost)]
    assert finite.min() >= -1e-7
    assert np.allclose(relaxation.reduced_cost.min(axis=1), 0.0, atol=1e-7)


def test_auction_prices_give_a_valid_but_looser_bound():
    problem = demo_problem()
    prices = auction_prices(problem)
    assert prices is not None and prices.min() >= 0
    dual = (problem.utility - problem.size[:, None] * prices).max(axis=1).sum()
    dual += problem.size_max * problem.teams_wanted @ prices
    assert dual >= solve_relaxation(problem).bound - 1e-6


def test_auction_gives_up_when_seats_cannot_be_shared_out():
    problem = AssignmentProblem(
        utility=np.array([[10.0, -np.inf], [9.0, -np.inf]]), size=np.array([1, 1]),
        programmes=np.ones((2, 1), dtype=np.int64), teams_wanted=np.array([1, 1]),
        size_min=1, size_max=1)
    assert auction_prices(problem) is None
