"""Exact assignment of units to challenges: an integer program on few edges, certified.

Reduced-cost fixing: an edge whose reduced cost exceeds `bound - z` (z: any matching's
objective) cannot appear in a better matching; this holds for the Lagrangian bound of any
nonnegative prices, so it needs no converged LP. So we solve the integer program (HiGHS,
gap 0) on the edges with reduced cost <= margin; if `bound - z <= margin`, its optimum is
optimal over every allowed edge (certified). Otherwise the margin grows to `bound - z`
once, if that many edges stay within budget, else the result is reported uncertified:
optimal on its edges, within `bound - z` of the optimum. The first margin is ~8 % of the
largest utility (capped by an edge budget), friend groups also keep their best 5 edges,
and the margin widens when the integer program is infeasible on its edges.
A challenge whose students cannot be split into teams gets exact team-level rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from crunchtime.matching.errors import MatchingInfeasible
from crunchtime.matching.integer_model import build_model
from crunchtime.matching.problem import AssignmentProblem
from crunchtime.matching.relaxation import Relaxation

FIRST_MARGIN_SHARE = 0.08
WIDEN_FACTOR = 1.5
EDGE_BUDGET_PER_UNIT = 4
FIRST_EDGES_PER_UNIT = 2
GROUP_SPARE_EDGES = 5

SplitCheck = Callable[[np.ndarray, np.ndarray], Iterable[int]]


@dataclass(frozen=True)
class Assignment:
    """Per unit its challenge column; per challenge its number of teams."""

    column_of_unit: np.ndarray
    teams_opened: np.ndarray
    objective: float
    certified: bool
    proven: bool
    margin: float
    edges: int
    solves: int


@dataclass(frozen=True)
class _Solution:
    column_of_unit: np.ndarray
    teams: np.ndarray
    objective: float
    proven: bool


def solve_assignment(
    problem: AssignmentProblem,
    relaxation: Relaxation,
    time_limit: float | None = None,
    split_check: SplitCheck | None = None,
) -> Assignment:
    """Optimal assignment on the kept edges, certified optimal over all when possible."""
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    reduced = relaxation.reduced_cost
    n_allowed = int(np.isfinite(reduced).sum())
    margin, detailed, solves = _first_margin(problem, reduced), frozenset[int](), 0
    spare = _group_spares(problem, reduced)
    while True:
        keep = (reduced <= margin) | spare
        covers_all = int(keep.sum()) == n_allowed
        solves += 1
        solution = _solve(problem, keep, detailed, deadline)
        if solution is None:
            if covers_all:
                raise MatchingInfeasible("no_feasible_assignment", _details(problem, detailed))
            margin *= WIDEN_FACTOR
            continue
        failing = frozenset(split_check(solution.column_of_unit, solution.teams) if split_check
                            else ()) - detailed
        if failing:
            detailed |= failing
            continue
        gap = relaxation.bound - solution.objective
        tolerance = 1e-9 * max(1.0, abs(relaxation.bound))
        certified = solution.proven and (covers_all or gap <= margin + tolerance)
        budget = EDGE_BUDGET_PER_UNIT * problem.n_units + 1000
        if certified or not solution.proven or int((reduced <= gap + tolerance).sum()) > budget:
            break
        margin = gap + tolerance
    return Assignment(solution.column_of_unit, solution.teams, solution.objective, certified,
                      solution.proven, margin, int(keep.sum()), solves)


def _first_margin(problem: AssignmentProblem, reduced: np.ndarray) -> float:
    """A share of the largest per-student utility, lowered if that keeps too many edges."""
    finite = problem.utility[np.isfinite(problem.utility)] / np.repeat(
        problem.size, np.isfinite(problem.utility).sum(axis=1))
    margin = FIRST_MARGIN_SHARE * max(float(np.abs(finite).max(initial=1.0)), 1.0)
    costs = reduced[np.isfinite(reduced)]
    budget = FIRST_EDGES_PER_UNIT * problem.n_units
    if costs.size > budget:
        margin = min(margin, float(np.partition(costs, budget)[budget]))
    return margin


def _group_spares(problem: AssignmentProblem, reduced: np.ndarray) -> np.ndarray:
    """Each friend group's cheapest edges, kept whatever the margin: groups are where the
    integer program needs room to move (they cannot be split across challenges)."""
    count = min(GROUP_SPARE_EDGES, reduced.shape[1])
    best = np.argpartition(reduced, count - 1, axis=1)[:, :count]
    spare = np.zeros(reduced.shape, dtype=bool)
    np.put_along_axis(spare, best, True, axis=1)
    return spare & np.isfinite(reduced) & (problem.size > 1)[:, None]


def _details(problem: AssignmentProblem, detailed: frozenset[int]) -> dict:
    return {
        "students": int(problem.size.sum()),
        "seats": int(problem.size_max * problem.teams_wanted.sum()),
        "challenges_split_checked": sorted(detailed),
    }


def _solve(problem, keep, detailed, deadline) -> _Solution | None:
    model = build_model(problem, keep, detailed)
    cost, integrality, low, high, matrix, row_low, row_high = model.matrices()
    options: dict = {"mip_rel_gap": 0.0}
    if deadline is not None:
        options["time_limit"] = max(deadline - time.perf_counter(), 0.01)
    result = milp(cost, integrality=integrality, bounds=Bounds(low, high),
                  constraints=LinearConstraint(matrix, row_low, row_high), options=options)
    if result.x is None:
        if result.status == 1:
            raise TimeoutError("time limit reached before any matching was found")
        return None
    n_edges = len(model.edge_units)
    chosen = result.x[:n_edges]
    teams = np.rint(result.x[n_edges : n_edges + problem.n_challenges]).astype(np.int64)
    if np.any((chosen > 1e-6) & (chosen < 1 - 1e-6)):
        chosen = _integral_singles(problem, model, chosen, teams, detailed)
    column_of_unit = np.full(problem.n_units, -1, dtype=np.int64)
    column_of_unit[model.fixed_units] = model.fixed_columns
    taken = chosen > 0.5
    column_of_unit[model.edge_units[taken]] = model.edge_columns[taken]
    objective = float(problem.utility[np.arange(problem.n_units), column_of_unit].sum())
    return _Solution(column_of_unit, teams, objective, result.status == 0)


def _integral_singles(problem, model, chosen, teams, detailed) -> np.ndarray:
    """Re-solve the free single students alone, everything else fixed: their rows are
    totally unimodular, so the simplex vertex is integral and no worse."""
    units, columns = model.edge_units, model.edge_columns
    single = problem.size[units] == 1
    n, n_prog = problem.n_challenges, problem.n_programmes
    grouped = ~single
    group_load = model.base_load + np.bincount(
        columns[grouped], minlength=n, weights=chosen[grouped] * problem.size[units[grouped]])
    s_units, s_columns, s_chosen = units[single], columns[single], chosen[single]
    edges = np.arange(len(s_units))
    _, unit_row = np.unique(s_units, return_inverse=True)
    per_unit = sp.csr_matrix((np.ones(len(edges)), (unit_row, edges)))
    per_challenge = sp.csr_matrix((np.ones(len(edges)), (s_columns, edges)), shape=(n, len(edges)))
    rows = [per_challenge, -per_challenge]
    limits = [problem.size_max * teams - group_load, group_load - problem.size_min * teams]
    if problem.programme_cap is not None:
        prog = np.argmax(problem.programmes[s_units], axis=1)
        per_cell = sp.csr_matrix((np.ones(len(edges)), (s_columns * n_prog + prog, edges)),
                                 shape=(n * n_prog, len(edges)))
        group_cells = model.base_programmes.ravel().copy()
        for e in np.flatnonzero(~single):
            group_cells[columns[e] * n_prog:(columns[e] + 1) * n_prog] += (
                chosen[e] * problem.programmes[units[e]])
        rows.append(per_cell)
        limits.append(problem.programme_cap * np.repeat(teams, n_prog) - group_cells)
    else:
        per_cell, n_prog = per_challenge, 1
    detailed_cells = np.isin(np.arange(n * n_prog) // n_prog, sorted(detailed))
    fixed = per_cell[detailed_cells]
    result = linprog(-problem.utility[s_units, s_columns],
                     A_ub=sp.vstack(rows).tocsr(), b_ub=np.concatenate(limits) + 1e-9,
                     A_eq=sp.vstack([per_unit, fixed]).tocsr(),
                     b_eq=np.concatenate([np.ones(per_unit.shape[0]), np.rint(fixed @ s_chosen)]),
                     bounds=(0, 1), method="highs-ds")
    rounded = chosen.copy()
    rounded[single] = np.rint(result.x)
    return rounded
