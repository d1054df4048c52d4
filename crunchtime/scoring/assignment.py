"""Jury assignment: every team gets k juries, loads balanced, conflicts never, graph connected.

Method: a min-cost flow with convex (load²) costs, solved exactly as an LP by HiGHS
(`flow.py`), then a repair step that joins components by load-preserving swaps
(`connectivity.py`). Deterministic for a seed: the seed only draws the small random
affinity that breaks ties between equally good juries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from crunchtime.scoring.connectivity import connect_components
from crunchtime.scoring.eligibility import (
    AssignmentError,
    Conflict,
    Jury,
    Team,
    allowed_matrix,
    preference_matrix,
)
from crunchtime.scoring.flow import solve_balanced_flow
from crunchtime.scoring.graph import count_components

ROUND_KINDS = ("per_challenge", "final")
TIE_BREAK_SPAN = 0.5
METHOD = "min-cost flow with convex load costs (LP, HiGHS) + load-preserving swap repair"

__all__ = ["AssignmentError", "AssignmentPlan", "Conflict", "Jury", "Team", "assign_juries"]


@dataclass(frozen=True)
class AssignmentPlan:
    """The proposed pairs and what an organiser must know before accepting them.

    pairs: (jury id, team id), sorted. loads: every jury's count, 0 included. missing: team →
    juries short of k (only short teams). unassignable_juries: conflicts on every team.
    components: groups among juries and teams with a pair (1 = every jury comparable).
    load_spread: max − min load over assignable juries. swaps, bridges: repair steps taken;
    a bridge is a pair beyond k, added only when no swap could connect, at balance's cost.
    """

    pairs: tuple[tuple[int, int], ...]
    loads: dict[int, int]
    missing: dict[int, int]
    total_missing: int
    unassignable_juries: tuple[int, ...]
    components: int
    load_spread: int
    swaps: int
    bridges: int
    method: str = METHOD

    @property
    def complete(self) -> bool:
        """Every team has its k juries."""
        return self.total_missing == 0

    @property
    def juries_short(self) -> int:
        """How many more conflict-free juries would let every team reach k."""
        return max(self.missing.values(), default=0)

    def juries_of(self, team: int) -> tuple[int, ...]:
        """The juries assigned to one team."""
        return tuple(jury for jury, other in self.pairs if other == team)


def assign_juries(
    juries: Sequence[Jury],
    teams: Sequence[Team],
    *,
    k: int = 3,
    conflicts: Iterable[Conflict] = (),
    round_kind: str = "per_challenge",
    exclude_own_organisation: bool = True,
    seed: int = 0,
    existing: Iterable[tuple[int, int]] = (),
) -> AssignmentPlan:
    """Assign juries to teams; `existing` (jury id, team id) pairs are kept as they are."""
    if round_kind not in ROUND_KINDS:
        raise AssignmentError(f"unknown round kind {round_kind!r}")
    if k < 1:
        raise AssignmentError("k must be at least 1")
    juries = sorted(juries, key=lambda jury: jury.id)
    teams = sorted(teams, key=lambda team: team.id)
    _require_unique(juries, "jury")
    _require_unique(teams, "team")
    final = round_kind == "final"
    allowed = allowed_matrix(
        juries, teams, conflicts, own_organisation_excluded=final and exclude_own_organisation
    )
    fixed = _fixed_pairs(existing, juries, teams, allowed)
    reward = _reward(juries, teams, final, seed)
    pairs = _solve(allowed, fixed, reward, k)
    repair = connect_components(pairs, allowed, fixed, reward)
    return _plan(juries, teams, allowed, repair, k)


def _require_unique(items: Sequence[Jury] | Sequence[Team], what: str) -> None:
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise AssignmentError(f"duplicate {what} ids")


def _fixed_pairs(existing, juries, teams, allowed) -> set[tuple[int, int]]:
    """Index pairs of the hand-made assignments; a conflicting or unknown one is refused."""
    jury_index = {jury.id: i for i, jury in enumerate(juries)}
    team_index = {team.id: i for i, team in enumerate(teams)}
    fixed = set()
    for jury_id, team_id in existing:
        if jury_id not in jury_index or team_id not in team_index:
            raise AssignmentError(f"existing pair ({jury_id}, {team_id}) names an unknown id")
        pair = (jury_index[jury_id], team_index[team_id])
        if not allowed[pair]:
            raise AssignmentError(
                f"existing pair ({jury_id}, {team_id}) is a conflict of interest"
            )
        fixed.add(pair)
    return fixed


def _reward(juries, teams, final: bool, seed: int) -> np.ndarray:
    """Affinity (round 1 only) plus a seeded tie-break smaller than any affinity step."""
    rng = np.random.default_rng(seed)
    tie_break = rng.uniform(0.0, TIE_BREAK_SPAN, size=(len(juries), len(teams)))
    if final:
        return tie_break
    return preference_matrix(juries, teams) + tie_break


def _solve(allowed, fixed, reward, k: int) -> set[tuple[int, int]]:
    n_juries, n_teams = allowed.shape
    fixed_load = np.zeros(n_juries, dtype=np.int64)
    fixed_cover = np.zeros(n_teams, dtype=np.int64)
    candidates = allowed.copy()
    for jury, team in fixed:
        fixed_load[jury] += 1
        fixed_cover[team] += 1
        candidates[jury, team] = False
    need = np.maximum(k - fixed_cover, 0)
    result = solve_balanced_flow(candidates, reward, need, fixed_load)
    return fixed | {(int(j), int(t)) for j, t in result.edges}


def _plan(juries, teams, allowed, repair, k: int) -> AssignmentPlan:
    loads = np.bincount([j for j, _ in repair.pairs], minlength=len(juries))
    cover = np.bincount([t for _, t in repair.pairs], minlength=len(teams))
    short = np.maximum(k - cover, 0)
    assignable = allowed.any(axis=1)
    spread = int(np.ptp(loads[assignable])) if assignable.any() else 0
    return AssignmentPlan(
        pairs=tuple(sorted((juries[j].id, teams[t].id) for j, t in repair.pairs)),
        loads={jury.id: int(loads[i]) for i, jury in enumerate(juries)},
        missing={teams[t].id: int(short[t]) for t in np.flatnonzero(short)},
        total_missing=int(short.sum()),
        unassignable_juries=tuple(juries[j].id for j in np.flatnonzero(~assignable)),
        components=count_components(repair.pairs, len(juries), len(teams)),
        load_spread=spread,
        swaps=repair.swaps,
        bridges=repair.bridges,
    )
