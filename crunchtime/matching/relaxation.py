"""The LP relaxation, solved exactly over every allowed edge, and its reduced costs.

Prices from the auction pick a small set of edges; HiGHS solves the LP on them with the
right-hand sides nudged by ~1e-5 (so the LP is not degenerate and its duals are unique);
edges that price out positively join and the LP is solved again. The Lagrangian bound of
those duals over all edges is a valid upper bound on every matching, equal to the LP
optimum once no edge prices out; the reduced costs say what an edge can cost.

Rows per challenge j with t_j in [0, teams_wanted_j] teams (t relaxed to a real):
students <= size_max t_j; with a programme cap also size_min t_j <= students and
programme p <= cap t_j (the latter elastic, so a small edge set is never infeasible).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from crunchtime.matching.auction import auction_prices
from crunchtime.matching.errors import MatchingInfeasible
from crunchtime.matching.problem import AssignmentProblem, edge_rows

MAX_ROUNDS = 40
NUDGE = 1e-5
START_MARGIN = 1.0
WIDEN_FACTOR = 4.0
ADD_PER_ROUND = 2


@dataclass(frozen=True)
class Duals:
    """Row prices (per challenge: seats above, seats below; per challenge x programme)."""

    unit_value: np.ndarray
    upper: np.ndarray
    lower: np.ndarray
    programme: np.ndarray
    elastic_used: bool


@dataclass(frozen=True)
class Relaxation:
    """`bound` >= every feasible objective; `reduced_cost[u, j]` >= 0 (inf: not allowed)."""

    bound: float
    reduced_cost: np.ndarray
    converged: bool
    rounds: int


def solve_relaxation(problem: AssignmentProblem, seed: int = 0) -> Relaxation:
    """Exact LP bound and reduced costs over all allowed edges (see module docstring)."""
    allowed = np.isfinite(problem.utility)
    nudge = NUDGE * (1.0 + np.random.default_rng(seed).random(_row_count(problem)))
    slack, margin = _auction_slack(problem), START_MARGIN
    in_lp = allowed & (slack <= margin)
    duals, violated, rounds = None, np.ones(1, dtype=bool), 0
    while rounds < MAX_ROUNDS and violated.any():
        rounds += 1
        duals = _solve_restricted(problem, in_lp, nudge)
        if duals is None:
            if in_lp.sum() == allowed.sum():
                raise MatchingInfeasible("no_feasible_assignment", {"reason": "capacity"})
            margin *= WIDEN_FACTOR
            in_lp |= allowed & (slack <= margin)
            continue
        value = priced_values(problem, duals)
        tolerance = 1e-7 * max(1.0, float(np.abs(duals.unit_value).max(initial=0.0)))
        violated = (value > duals.unit_value[:, None] + tolerance) & ~in_lp
        in_lp |= _most_violated(value - duals.unit_value[:, None], violated)
    if duals is None:
        raise MatchingInfeasible("no_feasible_assignment", {"reason": "capacity"})
    if duals.elastic_used and not violated.any():
        raise MatchingInfeasible("programme_cap_unreachable", {"cap": problem.programme_cap})
    best = value.max(axis=1)
    return Relaxation(
        bound=float(best.sum() + _team_terms(problem, duals)),
        reduced_cost=np.where(allowed, best[:, None] - value, np.inf),
        converged=not violated.any(),
        rounds=rounds,
    )


def priced_values(problem: AssignmentProblem, duals: Duals) -> np.ndarray:
    """Utility of each edge net of the seats and programme places it uses at these prices."""
    seat = duals.upper - duals.lower
    value = problem.utility - problem.size[:, None] * seat[None, :]
    if problem.programme_cap is not None:
        value -= problem.programmes @ duals.programme.T
    return value


def _team_terms(problem: AssignmentProblem, duals: Duals) -> float:
    """What the relaxed team counts earn at these prices: each t_j at its best in [0, T_j]."""
    per_team = problem.size_max * duals.upper - problem.size_min * duals.lower
    if problem.programme_cap is not None:
        per_team = per_team + problem.programme_cap * duals.programme.sum(axis=1)
    return float(problem.teams_wanted @ np.maximum(per_team, 0.0))


def _most_violated(gain: np.ndarray, violated: np.ndarray) -> np.ndarray:
    """Per unit, its ADD_PER_ROUND edges that gain most at the current prices."""
    gain = np.where(violated, gain, -np.inf)
    keep = min(ADD_PER_ROUND, gain.shape[1])
    best = np.argpartition(-gain, keep - 1, axis=1)[:, :keep]
    chosen = np.zeros_like(violated)
    np.put_along_axis(chosen, best, True, axis=1)
    return chosen & violated


def _row_count(problem: AssignmentProblem) -> int:
    if problem.programme_cap is None:
        return problem.n_challenges
    return problem.n_challenges * (2 + problem.n_programmes)


def _auction_slack(problem: AssignmentProblem) -> np.ndarray:
    """Per student, how far each edge is from the unit's best at the auction's prices."""
    prices = auction_prices(problem)
    if prices is None:
        return np.zeros(problem.utility.shape)
    net = problem.utility - problem.size[:, None] * prices[None, :]
    with np.errstate(invalid="ignore"):
        slack = (net.max(axis=1, keepdims=True) - net) / problem.size[:, None]
    return np.nan_to_num(slack, nan=np.inf)


def _solve_restricted(
    problem: AssignmentProblem, in_lp: np.ndarray, nudge: np.ndarray
) -> Duals | None:
    """Duals of the LP on the edges in `in_lp` (columns: edges, team counts, slacks)."""
    units, columns = np.nonzero(in_lp)
    n_edges, n = len(units), problem.n_challenges
    rows = _rows(problem, units, columns)
    n_slack = rows.shape[0] - n if problem.programme_cap is None else n * problem.n_programmes
    slack_rows = sp.vstack([sp.csr_matrix((rows.shape[0] - n_slack, n_slack)),
                            -sp.identity(n_slack, format="csr")])
    unit_rows = sp.csr_matrix((np.ones(n_edges), (units, np.arange(n_edges))),
                              shape=(problem.n_units, n_edges + n + n_slack))
    result = linprog(
        np.concatenate([-problem.utility[units, columns], np.zeros(n),
                        np.full(n_slack, _slack_penalty(problem))]),
        A_ub=sp.hstack([rows, slack_rows]).tocsr(),
        b_ub=nudge,
        A_eq=unit_rows,
        b_eq=np.ones(problem.n_units),
        bounds=np.column_stack([np.zeros(n_edges + n + n_slack), np.concatenate(
            [np.full(n_edges, np.inf), problem.teams_wanted, np.full(n_slack, np.inf)])]),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    prices = -result.ineqlin.marginals
    programme = prices[2 * n :].reshape(n, -1) if problem.programme_cap is not None else None
    return Duals(
        unit_value=-result.eqlin.marginals,
        upper=prices[:n],
        lower=prices[n : 2 * n] if problem.programme_cap is not None else np.zeros(n),
        programme=programme,
        elastic_used=bool(np.any(result.x[n_edges + n :] > 1e-6)),
    )


def _slack_penalty(problem: AssignmentProblem) -> float:
    """Above what moving any unit can gain, so slack stays zero whenever the cap can hold."""
    finite = np.abs(problem.utility[np.isfinite(problem.utility)])
    return 4.0 * float(finite.max(initial=1.0)) + 1.0


def _rows(problem: AssignmentProblem, units: np.ndarray, columns: np.ndarray) -> sp.csr_matrix:
    """[students - size_max t <= 0; size_min t - students <= 0; programme - cap t <= 0]."""
    n = problem.n_challenges
    seats = edge_rows(problem, units, columns, "size")
    teams = sp.identity(n, format="csr")
    upper = sp.hstack([seats, -problem.size_max * teams])
    if problem.programme_cap is None:
        return upper.tocsr()
    lower = sp.hstack([-seats, problem.size_min * teams])
    per_programme = edge_rows(problem, units, columns, "programme")
    spread = sp.kron(teams, np.ones((problem.n_programmes, 1)), format="csr")
    programme = sp.hstack([per_programme, -problem.programme_cap * spread])
    return sp.vstack([upper, lower, programme]).tocsr()
