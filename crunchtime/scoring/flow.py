"""The balanced assignment as a min-cost flow with convex load costs, solved as an LP by HiGHS.

Source → jury arcs carry one unit-capacity segment per extra unit of load, costing the
marginal of load², so the cheapest flow is the most balanced one; jury → team arcs have
capacity 1 and cost minus the affinity; team → sink arcs carry the missing juries. The
constraint matrix is a network matrix (totally unimodular), so HiGHS returns an integral
vertex. Costs are layered so that coverage ≫ balance ≫ affinity lexicographically.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix


@dataclass(frozen=True)
class FlowResult:
    """New (jury index, team index) pairs and the juries each team still lacks."""

    edges: np.ndarray
    shortfall: np.ndarray


@dataclass(frozen=True)
class _Costs:
    reward: np.ndarray
    balance: float
    coverage: float


def solve_balanced_flow(
    candidates: np.ndarray, reward: np.ndarray, need: np.ndarray, fixed_load: np.ndarray
) -> FlowResult:
    """Pick pairs among `candidates` (juries × teams) covering `need`, balanced, then preferred.

    Load segments start a little above the average load and double while a jury uses them
    all: a solution that leaves that bound slack is optimal for the unbounded problem too.
    """
    edges = np.argwhere(candidates & (need > 0)[None, :])
    if len(edges) == 0:
        return FlowResult(np.zeros((0, 2), dtype=np.int64), need.copy())
    costs = _layered_costs(reward[edges[:, 0], edges[:, 1]], need, fixed_load)
    degree = np.bincount(edges[:, 0], minlength=len(fixed_load))
    cap = -(-int(need.sum()) // int(np.count_nonzero(degree))) + 2
    while True:
        result = _solve_capped(edges, costs, need, fixed_load, cap)
        extra = np.bincount(result.edges[:, 0], minlength=len(fixed_load))
        if not np.any((extra >= cap) & (degree > cap)):
            return result
        cap *= 2


def _layered_costs(reward: np.ndarray, need: np.ndarray, fixed_load: np.ndarray) -> _Costs:
    """Weights making one more covered slot worth more than any balance and affinity change,
    and one unit of Σ load² worth more than all the affinity there is."""
    span = float(reward.max(initial=0.0)) + 1.0
    total = int(need.sum())
    balance = span * total + 1.0
    coverage = balance * (2 * (total + int(fixed_load.max(initial=0))) + 1) + span * total + 1.0
    return _Costs(reward, balance, coverage)


def _solve_capped(edges, costs: _Costs, need, fixed_load, cap: int) -> FlowResult:
    n_edges, n_teams, n_juries = len(edges), len(need), len(fixed_load)
    segments = _load_segments(edges, fixed_load, cap)
    cost = np.concatenate([
        -costs.reward,
        np.full(n_teams, costs.coverage),
        costs.balance * (2 * segments[:, 1] - 1),
    ])
    matrix = _flow_matrix(edges, segments[:, 0], n_juries, n_teams)
    upper = np.concatenate([np.ones(n_edges), need, np.ones(len(segments))]).astype(float)
    rhs = np.concatenate([need, np.zeros(n_juries)]).astype(float)
    values = _solve(cost, matrix, rhs, upper)
    shortfall = values[n_edges: n_edges + n_teams].astype(np.int64)
    return FlowResult(edges[values[:n_edges] > 0.5], shortfall)


def _load_segments(edges: np.ndarray, fixed_load: np.ndarray, cap: int) -> np.ndarray:
    """Rows (jury, load reached) for each unit of extra load a jury may take, up to `cap`."""
    degree = np.bincount(edges[:, 0], minlength=len(fixed_load))
    rows = []
    for jury in np.flatnonzero(degree):
        steps = np.arange(1, min(int(degree[jury]), cap) + 1)
        rows.append(np.column_stack([np.full(len(steps), jury), fixed_load[jury] + steps]))
    return np.concatenate(rows).astype(np.int64)


def _flow_matrix(edges: np.ndarray, segment_jury: np.ndarray, n_juries: int, n_teams: int):
    """Team rows: pairs + shortfall = need. Jury rows: pairs − load segments = 0."""
    n_edges, n_segments = len(edges), len(segment_jury)
    rows = np.concatenate([
        edges[:, 1], n_teams + edges[:, 0], np.arange(n_teams), n_teams + segment_jury,
    ])
    cols = np.concatenate([
        np.arange(n_edges), np.arange(n_edges),
        n_edges + np.arange(n_teams), n_edges + n_teams + np.arange(n_segments),
    ])
    data = np.concatenate([np.ones(2 * n_edges), np.ones(n_teams), -np.ones(n_segments)])
    shape = (n_teams + n_juries, n_edges + n_teams + n_segments)
    return coo_matrix((data, (rows, cols)), shape=shape).tocsr()


def _solve(cost: np.ndarray, matrix, rhs: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """LP first (integral by unimodularity); the MILP only if HiGHS returns a fractional point."""
    bounds = np.column_stack([np.zeros(len(upper)), upper])
    result = linprog(cost, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs-ds",
                     options={"presolve": False})
    if result.status != 0:
        raise RuntimeError(f"assignment LP failed: {result.message}")
    values = result.x
    if np.abs(values - np.rint(values)).max(initial=0.0) > 1e-6:
        result = milp(cost, constraints=LinearConstraint(matrix, rhs, rhs),
                      bounds=Bounds(0, upper), integrality=np.ones(len(cost)))
        values = result.x
    return np.rint(values)
