"""Greedy baseline for the benchmark: each unit in turn takes the best seat left."""

from __future__ import annotations

import numpy as np

from crunchtime.matching.problem import AssignmentProblem


def greedy_assignment(problem: AssignmentProblem) -> np.ndarray:
    """Per unit (in input order) the challenge column it grabbed; a group that finds no
    room for all its members squeezes into the challenge with the most seats left."""
    seats = (problem.size_max * problem.teams_wanted).astype(np.int64)
    column_of_unit = np.empty(problem.n_units, dtype=np.int64)
    for u in range(problem.n_units):
        room = np.where(seats >= problem.size[u], problem.utility[u], -np.inf)
        j = int(np.argmax(room)) if np.isfinite(room).any() else int(np.argmax(seats))
        column_of_unit[u] = j
        seats[j] -= problem.size[u]
    return column_of_unit


def greedy_objective(problem: AssignmentProblem) -> float:
    """Total utility the greedy baseline reaches (edges it may not use count 0)."""
    columns = greedy_assignment(problem)
    values = problem.utility[np.arange(problem.n_units), columns]
    return float(np.where(np.isfinite(values), values, 0.0).sum())
