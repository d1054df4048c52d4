"""Students grouped into placement units (a friend group moves as one) with their utilities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crunchtime.matching.errors import MatchingInfeasible
from crunchtime.matching.inputs import ChallengeInput, MatchingParameters, StudentInput


@dataclass(frozen=True)
class Units:
    """Placement units over the cohort, indexed 0..U-1 (students and challenges by position).

    `utility[u, j]` is the summed utility of the unit's members for challenge j, -inf where
    the unit may not go (pruned, or pinned elsewhere). `programmes[u, p]` counts members per
    programme (columns follow `programme_names`).
    """

    members: tuple[np.ndarray, ...]
    size: np.ndarray
    unit_of: np.ndarray
    utility: np.ndarray
    programmes: np.ndarray
    programme_names: tuple[str, ...]
    pinned: np.ndarray

    @property
    def allowed(self) -> np.ndarray:
        return np.isfinite(self.utility)


def rank_matrix(
    students: Sequence[StudentInput], challenges: Sequence[ChallengeInput]
) -> np.ndarray:
    """Student x challenge rank (1 = first choice, 0 = not ranked)."""
    column = {c.code: j for j, c in enumerate(challenges)}
    ranks = np.zeros((len(students), len(challenges)), dtype=np.int8)
    for i, student in enumerate(students):
        for rank, code in enumerate(student.choices, start=1):
            ranks[i, column[code]] = rank
    return ranks


def student_utility(ranks: np.ndarray, fit: np.ndarray, params: MatchingParameters) -> np.ndarray:
    """Rank weight of a stated choice plus `fit_weight` x fit, per student and challenge."""
    weights = np.concatenate([[0.0], np.asarray(params.rank_weights, dtype=float)])
    return weights[ranks] + params.fit_weight * fit


def build_units(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    ranks: np.ndarray,
    fit: np.ndarray,
    params: MatchingParameters,
) -> Units:
    """Friend groups become single units; pins and candidate pruning restrict where they go."""
    members = _group_members(students)
    unit_of = np.empty(len(students), dtype=np.int64)
    for u, indices in enumerate(members):
        unit_of[indices] = u
    utility = _unit_sum(student_utility(ranks, fit, params), members)
    closed = np.array([c.teams_wanted == 0 for c in challenges], dtype=bool)
    unit_fit = np.where(closed[None, :], -np.inf, _unit_sum(fit, members))
    allowed = _candidates(unit_fit, _unit_sum(ranks > 0, members) > 0, params) & ~closed
    pinned = _pinned_columns(students, challenges, members, params)
    for u in np.flatnonzero(pinned >= 0):
        allowed[u] = False
        allowed[u, pinned[u]] = True
    names = tuple(sorted({s.programme for s in students}))
    return Units(
        members=tuple(members),
        size=np.array([len(m) for m in members], dtype=np.int64),
        unit_of=unit_of,
        utility=np.where(allowed, utility, -np.inf),
        programmes=_programme_counts(students, members, names),
        programme_names=names,
        pinned=pinned,
    )


def capped_programmes(programmes: np.ndarray, cap: int | None) -> np.ndarray:
    """Members per programme as the cap counts them: friends come first, so a group may
    exceed the cap by itself, but then nobody else of that programme joins its team."""
    return programmes if cap is None else np.minimum(programmes, cap)


def _group_members(students: Sequence[StudentInput]) -> list[np.ndarray]:
    by_key: dict[object, list[int]] = {}
    for i, student in enumerate(students):
        key = ("group", student.group) if student.group is not None else ("alone", i)
        by_key.setdefault(key, []).append(i)
    return [np.array(indices, dtype=np.int64) for indices in by_key.values()]


def _unit_sum(matrix: np.ndarray, members: list[np.ndarray]) -> np.ndarray:
    firsts = np.array([m[0] for m in members], dtype=np.int64)
    total = matrix[firsts].astype(float)
    for u, indices in enumerate(members):
        if len(indices) > 1:
            total[u] = matrix[indices].sum(axis=0)
    return total


def _candidates(fit: np.ndarray, ranked: np.ndarray, params: MatchingParameters) -> np.ndarray:
    """Ranked challenges plus each unit's K best by fit (every challenge when K is None or
    the problem is small enough to keep every edge)."""
    k = params.candidates_per_student
    if k is None or k >= fit.shape[1] or fit.size <= params.prune_above_edges:
        return np.ones(fit.shape, dtype=bool)
    allowed = ranked.copy()
    best = np.argpartition(-fit, k - 1, axis=1)[:, :k]
    np.put_along_axis(allowed, best, True, axis=1)
    return allowed


def _pinned_columns(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    members: list[np.ndarray],
    params: MatchingParameters,
) -> np.ndarray:
    """Per unit, the column of its pinned challenge (-1 when not pinned)."""
    column = {c.code: j for j, c in enumerate(challenges)}
    pinned = np.full(len(members), -1, dtype=np.int64)
    conflicts = []
    for u, indices in enumerate(members):
        codes = {params.pins[students[i].id] for i in indices if students[i].id in params.pins}
        if len(codes) > 1:
            conflicts.append({"group": students[indices[0]].group, "codes": sorted(codes)})
        elif codes:
            pinned[u] = column[codes.pop()]
    if conflicts:
        raise MatchingInfeasible("pins_conflict", {"groups": conflicts})
    return pinned


def _programme_counts(
    students: Sequence[StudentInput], members: list[np.ndarray], names: tuple[str, ...]
) -> np.ndarray:
    index = {name: p for p, name in enumerate(names)}
    counts = np.zeros((len(members), len(names)), dtype=np.int64)
    for u, indices in enumerate(members):
        for i in indices:
            counts[u, index[students[i].programme]] += 1
    return counts
