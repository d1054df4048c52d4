"""The integer program over a subset of edges, with optional team-level rows per challenge.

Columns: x (one per kept edge; integer for friend groups, continuous for single students,
whose rows are totally unimodular once team counts are fixed), t (teams per challenge).
For a challenge in `detailed`, team-level columns model its split exactly: o_k (team k
opens), z_gk (group g in team k), y_pk (single students of programme p in team k).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from crunchtime.matching.problem import AssignmentProblem


@dataclass(frozen=True)
class TeamColumns:
    """Where a detailed challenge's columns start: o_k, z_gk (g over `groups`, edge
    indices), y_pk (p over `programmes` rows, 1 without a cap); k over `slots` teams."""

    opened: int
    placed: int
    counts: int
    groups: np.ndarray
    programmes: int
    slots: int


@dataclass
class IntegerModel:
    """Rows, bounds and integrality in the shape `scipy.optimize.milp` takes."""

    edge_units: np.ndarray
    edge_columns: np.ndarray
    fixed_units: np.ndarray
    fixed_columns: np.ndarray
    base_load: np.ndarray
    base_programmes: np.ndarray
    n_columns: int = 0
    cost: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    integer: list[np.ndarray] = field(default_factory=list)
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    row_low: list[np.ndarray] = field(default_factory=list)
    row_high: list[np.ndarray] = field(default_factory=list)
    team_columns: dict[int, TeamColumns] = field(default_factory=dict)

    def add_columns(self, cost, low, high, integer) -> int:
        """Append columns; returns the index of the first."""
        start = self.n_columns
        count = len(cost)
        self.cost.append(np.asarray(cost, dtype=float))
        self.lower.append(np.broadcast_to(np.asarray(low, dtype=float), (count,)))
        self.upper.append(np.broadcast_to(np.asarray(high, dtype=float), (count,)))
        self.integer.append(np.broadcast_to(np.asarray(integer, dtype=np.uint8), (count,)))
        self.n_columns += count
        return start

    def add_rows(self, rows, cols, vals, low, high) -> None:
        """Rows given as (row, column, value) triplets local to this block."""
        self.blocks.append((np.asarray(rows), np.asarray(cols), np.asarray(vals)))
        self.row_low.append(np.asarray(low, dtype=float))
        self.row_high.append(np.asarray(high, dtype=float))

    def matrices(self):
        """(c, integrality, lb, ub, A, row lb, row ub) ready for milp."""
        offsets = np.cumsum([0] + [len(low) for low in self.row_low])
        rows = np.concatenate([r + offsets[i] for i, (r, _, _) in enumerate(self.blocks)])
        cols = np.concatenate([c for _, c, _ in self.blocks])
        vals = np.concatenate([v for _, _, v in self.blocks]).astype(float)
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(offsets[-1], self.n_columns))
        return (np.concatenate(self.cost), np.concatenate(self.integer),
                np.concatenate(self.lower), np.concatenate(self.upper), matrix,
                np.concatenate(self.row_low), np.concatenate(self.row_high))


def build_model(
    problem: AssignmentProblem, keep: np.ndarray, detailed: frozenset[int]
) -> IntegerModel:
    """The integer program restricted to the edges in `keep` (units x challenges).

    A unit left with one edge (to a challenge not in `detailed`) is fixed there: its
    students become constants of that challenge's rows, which keeps the program small.
    """
    single = (keep.sum(axis=1) == 1) & ~np.isin(np.argmax(keep, axis=1), sorted(detailed))
    fixed_units = np.flatnonzero(single)
    fixed_columns = np.argmax(keep[fixed_units], axis=1)
    base_programmes = np.zeros((problem.n_challenges, problem.n_programmes))
    np.add.at(base_programmes, fixed_columns, problem.programmes[fixed_units])
    units, columns = np.nonzero(keep & ~single[:, None])
    model = IntegerModel(
        units, columns, fixed_units, fixed_columns,
        np.bincount(fixed_columns, weights=problem.size[fixed_units],
                    minlength=problem.n_challenges), base_programmes)
    grouped = problem.size[units] > 1
    model.add_columns(-problem.utility[units, columns], 0.0, 1.0, grouped)
    teams = model.add_columns(np.zeros(problem.n_challenges), 0.0, problem.teams_wanted, 1)
    _unit_rows(model, units)
    _load_rows(model, problem, units, columns, teams)
    if problem.programme_cap is not None:
        _programme_rows(model, problem, units, columns, teams)
    for j in sorted(detailed):
        _team_level_rows(model, problem, units, columns, teams, j)
    return model


def _unit_rows(model: IntegerModel, units: np.ndarray) -> None:
    """Each unit still free sits in exactly one challenge."""
    _, row = np.unique(units, return_inverse=True)
    count = row.max(initial=-1) + 1
    model.add_rows(row, np.arange(len(units)), np.ones(len(units)), np.ones(count),
                   np.ones(count))


def _load_rows(model, problem, units, columns, teams) -> None:
    """size_min t_j <= students in j (fixed ones included) <= size_max t_j."""
    n, edges = problem.n_challenges, np.arange(len(units))
    size = problem.size[units].astype(float)
    base = -model.base_load
    for bound, low, high in ((problem.size_min, base, np.inf), (problem.size_max, -np.inf, base)):
        rows = np.concatenate([columns, np.arange(n)])
        cols = np.concatenate([edges, teams + np.arange(n)])
        vals = np.concatenate([size, np.full(n, -float(bound))])
        model.add_rows(rows, cols, vals, np.full(n, low), np.full(n, high))


def _programme_rows(model, problem, units, columns, teams) -> None:
    """Members of programme p in j <= cap t_j."""
    n, n_prog = problem.n_challenges, problem.n_programmes
    edge, prog = np.nonzero(problem.programmes[units])
    rows = np.concatenate([columns[edge] * n_prog + prog, np.arange(n * n_prog)])
    cols = np.concatenate([edge, teams + np.repeat(np.arange(n), n_prog)])
    vals = np.concatenate([problem.programmes[units[edge], prog],
                           np.full(n * n_prog, -float(problem.programme_cap))])
    model.add_rows(rows, cols, vals, np.full(n * n_prog, -np.inf), -model.base_programmes.ravel())


def _team_level_rows(model, problem, units, columns, teams, j: int) -> None:
    """Exact split of challenge j into its teams (see module docstring)."""
    slots = int(problem.teams_wanted[j])
    if slots == 0:
        return
    here = np.flatnonzero(columns == j)
    groups = here[problem.size[units[here]] > 1]
    singles = here[problem.size[units[here]] == 1]
    n_prog = problem.n_programmes if problem.programme_cap is not None else 1
    opened = model.add_columns(np.zeros(slots), 0, 1, 1)
    placed = model.add_columns(np.zeros(len(groups) * slots), 0, 1, 1)
    counts = model.add_columns(np.zeros(n_prog * slots), 0, problem.size_max, 1)
    model.team_columns[j] = TeamColumns(opened, placed, counts, groups, n_prog, slots)
    _open_rows(model, opened, teams + j, slots)
    _group_split_rows(model, groups, placed, slots)
    _single_split_rows(model, problem, units, singles, counts, slots, n_prog)
    _team_size_rows(model, problem, units, groups, opened, placed, counts, slots, n_prog)
    if problem.programme_cap is not None:
        _team_cap_rows(model, problem, units, groups, placed, counts, slots, n_prog)


def _open_rows(model, opened, team_count, slots) -> None:
    """sum_k o_k = t_j and o_k >= o_{k+1} (teams open in order)."""
    model.add_rows(np.zeros(slots + 1, dtype=int), np.append(opened + np.arange(slots), team_count),
                   np.append(np.ones(slots), -1.0), [0.0], [0.0])
    if slots > 1:
        k = np.arange(slots - 1)
        model.add_rows(np.repeat(k, 2), np.column_stack([opened + k, opened + k + 1]).ravel(),
                       np.tile([1.0, -1.0], slots - 1), np.zeros(slots - 1),
                       np.full(slots - 1, np.inf))


def _group_split_rows(model, groups, placed, slots) -> None:
    """A group in j sits in exactly one of j's teams: sum_k z_gk = x_gj."""
    if len(groups) == 0:
        return
    g = np.arange(len(groups))
    rows = np.concatenate([np.repeat(g, slots), g])
    cols = np.concatenate([placed + np.arange(len(groups) * slots), groups])
    vals = np.concatenate([np.ones(len(groups) * slots), -np.ones(len(groups))])
    model.add_rows(rows, cols, vals, np.zeros(len(groups)), np.zeros(len(groups)))


def _single_split_rows(model, problem, units, singles, counts, slots, n_prog) -> None:
    """Single students of programme p in j are shared out: sum_k y_pk = their number."""
    if n_prog == 1:
        prog = np.zeros(len(singles), dtype=int)
    else:
        prog = np.argmax(problem.programmes[units[singles]], axis=1)
    p = np.arange(n_prog)
    rows = np.concatenate([np.repeat(p, slots), prog])
    cols = np.concatenate([counts + np.arange(n_prog * slots), singles])
    vals = np.concatenate([np.ones(n_prog * slots), -np.ones(len(singles))])
    model.add_rows(rows, cols, vals, np.zeros(n_prog), np.zeros(n_prog))


def _team_size_rows(model, problem, units, groups, opened, placed, counts, slots, n_prog) -> None:
    """size_min o_k <= members of team k <= size_max o_k."""
    k = np.arange(slots)
    sizes = problem.size[units[groups]].astype(float)
    for bound, low, high in ((problem.size_min, 0.0, np.inf), (problem.size_max, -np.inf, 0.0)):
        rows = np.concatenate([np.tile(k, len(groups)), np.repeat(k, n_prog), k])
        cols = np.concatenate([placed + np.arange(len(groups) * slots),
                               counts + (np.arange(n_prog)[None, :] * slots + k[:, None]).ravel(),
                               opened + k])
        vals = np.concatenate([np.repeat(sizes, slots), np.ones(slots * n_prog),
                               np.full(slots, -float(bound))])
        model.add_rows(rows, cols, vals, np.full(slots, low), np.full(slots, high))


def _team_cap_rows(model, problem, units, groups, placed, counts, slots, n_prog) -> None:
    """Members of programme p in team k <= cap."""
    k, p = np.arange(slots), np.arange(n_prog)
    row_of = p[:, None] * slots + k[None, :]
    g_idx, g_prog = np.nonzero(problem.programmes[units[groups]])
    rows = np.concatenate([row_of.ravel(), row_of[g_prog].ravel()])
    cols = np.concatenate([counts + row_of.ravel(),
                           (placed + g_idx[:, None] * slots + k[None, :]).ravel()])
    vals = np.concatenate([np.ones(n_prog * slots),
                           np.repeat(problem.programmes[units[groups]][g_idx, g_prog], slots)])
    model.add_rows(rows, cols, vals, np.full(n_prog * slots, -np.inf),
                   np.full(n_prog * slots, float(problem.programme_cap)))
