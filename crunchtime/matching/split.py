"""Split one challenge's students into teams: sizes within bounds, friend groups together,
at most `cap` of a programme per team. A quick draft first, an exact small program if the
draft fails; None means no split exists (the optimiser then models this challenge exactly).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from crunchtime.matching.integer_model import build_model
from crunchtime.matching.problem import AssignmentProblem


@dataclass(frozen=True)
class Members:
    """The students placed on one challenge: local unit label and programme index each."""

    unit: np.ndarray
    programme: np.ndarray
    teams_wanted: int
    teams: int


def split_members(
    members: Members, size_min: int, size_max: int, cap: int | None, seed: int = 0
) -> np.ndarray | None:
    """Team label per student (0..teams-1), or None when no valid split exists."""
    if len(members.unit) == 0:
        return np.zeros(0, dtype=np.int64)
    labels = _draft(members, size_max, np.random.default_rng(seed))
    if labels is not None and _valid(labels, members, size_min, size_max, cap):
        return labels
    return _exact(members, size_min, size_max, cap)


def _valid(labels, members, size_min, size_max, cap) -> bool:
    sizes = np.bincount(labels)
    if sizes.min(initial=size_min) < size_min or sizes.max(initial=0) > size_max:
        return False
    return cap is None or bool(programme_load(labels, members, cap).max() <= cap)


def programme_load(labels: np.ndarray, members: Members, cap: int) -> np.ndarray:
    """Team x programme count as the cap sees it (a group counts at most `cap` of each)."""
    _, local = np.unique(members.unit, return_inverse=True)
    n_prog = members.programme.max() + 1
    per_unit = np.zeros((local.max() + 1, n_prog), dtype=np.int64)
    np.add.at(per_unit, (local, members.programme), 1)
    team_of_unit = np.zeros(local.max() + 1, dtype=np.int64)
    team_of_unit[local] = labels
    per_team = np.zeros((labels.max() + 1, n_prog), dtype=np.int64)
    np.add.at(per_team, team_of_unit, np.minimum(per_unit, cap))
    return per_team


def _draft(members: Members, size_max: int, rng: np.random.Generator) -> np.ndarray | None:
    """Groups (largest first) into the roomiest team, then singles dealt by programme."""
    n, t = len(members.unit), members.teams
    target = np.full(t, n // t) + (np.arange(t) < n % t)
    load = np.zeros(t, dtype=np.int64)
    labels = np.full(n, -1, dtype=np.int64)
    unit_ids, unit_sizes = np.unique(members.unit, return_counts=True)
    groups = unit_ids[unit_sizes > 1]
    for g in groups[np.lexsort((rng.random(len(groups)), -unit_sizes[unit_sizes > 1]))]:
        who = np.flatnonzero(members.unit == g)
        room = np.where(load + len(who) <= size_max, target - load, -np.inf)
        if not np.isfinite(room).any():
            return None
        team = int(np.argmax(room))
        labels[who], load[team] = team, load[team] + len(who)
    _deal_singles(labels, members, target, load, rng)
    return labels


def _deal_singles(labels, members, target, load, rng) -> None:
    """Each single, by programme, joins the team with room holding fewest of its programme."""
    singles = np.flatnonzero(labels < 0)
    programme = members.programme
    frequency = np.bincount(programme[singles])[programme[singles]]
    order = singles[np.lexsort((rng.random(len(singles)), programme[singles], -frequency))]
    same = np.zeros((len(target), programme.max() + 1), dtype=np.int64)
    placed = labels >= 0
    np.add.at(same, (labels[placed], programme[placed]), 1)
    for student in order:
        p = programme[student]
        room = target - load
        score = np.where(room > 0, same[:, p] * 1000 - room, np.inf)
        team = int(np.argmin(score)) if np.isfinite(score).any() else int(np.argmax(room))
        labels[student] = team
        load[team] += 1
        same[team, p] += 1


def _exact(members: Members, size_min: int, size_max: int, cap: int | None) -> np.ndarray | None:
    """Feasibility program with the optimiser's own team-level rows, on this challenge only."""
    unit_ids, local = np.unique(members.unit, return_inverse=True)
    n_prog = int(members.programme.max()) + 1
    programmes = np.zeros((len(unit_ids), n_prog), dtype=np.int64)
    np.add.at(programmes, (local, members.programme), 1)
    if cap is not None:
        programmes = np.minimum(programmes, cap)
    problem = AssignmentProblem(
        utility=np.zeros((len(unit_ids), 1)),
        size=np.bincount(local),
        programmes=programmes,
        teams_wanted=np.array([members.teams_wanted]),
        size_min=size_min,
        size_max=size_max,
        programme_cap=cap,
    )
    model = build_model(problem, np.ones((len(unit_ids), 1), dtype=bool), frozenset({0}))
    cost, integrality, low, high, matrix, row_low, row_high = model.matrices()
    result = milp(cost, integrality=integrality, bounds=Bounds(low, high),
                  constraints=LinearConstraint(matrix, row_low, row_high))
    if result.x is None:
        return None
    return _labels_from_model(result.x, model.team_columns[0], local, members)


def _labels_from_model(x: np.ndarray, columns, local: np.ndarray, members: Members):
    """Groups to the team their z_gk picks; singles of each programme shared out by y_pk."""
    slots = columns.slots
    labels = np.full(len(local), -1, dtype=np.int64)
    for g_index, unit in enumerate(columns.groups):
        start = columns.placed + g_index * slots
        labels[local == unit] = int(np.argmax(x[start : start + slots]))
    counts = np.rint(x[columns.counts : columns.counts + columns.programmes * slots])
    for p in range(columns.programmes):
        pool = np.flatnonzero((labels < 0) & ((members.programme == p) | (columns.programmes == 1)))
        per_team = counts[p * slots : (p + 1) * slots].astype(np.int64)
        labels[pool] = np.repeat(np.arange(slots), per_team)
    return _compact(labels)


def _compact(labels: np.ndarray) -> np.ndarray:
    """Renumber the teams used as 0..k-1."""
    return np.unique(labels, return_inverse=True)[1].astype(np.int64)
