"""Balanced teams within each challenge: a valid split, then swaps that spread programmes
and years and cover the challenge's wanted skills.

Diversity of a team = distinct programmes + distinct years among its members. A friend
group sits in one team, so programme p can appear in at most u_p teams, u_p being the number
of units (groups or single students) with a member of p: no split of a challenge into t
teams beats sum_p min(u_p, t) + sum_y min(u_y, t), its per-challenge upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from crunchtime.matching.split import Members, split_members

SKILL_WEIGHT = 0.5
MAX_SWAPS = 200


@dataclass(frozen=True)
class Traits:
    """Per student: programme and year indices, skills; per challenge: wanted skills."""

    programme: np.ndarray
    year: np.ndarray
    skills: sp.csr_matrix
    wanted: sp.csr_matrix


@dataclass(frozen=True)
class TeamBounds:
    size_min: int
    size_max: int
    cap: int | None


def challenge_members(column_of_student, unit_of_student, traits, teams, teams_wanted, j):
    """The students on challenge j, as a `Members` for the splitter."""
    students = np.flatnonzero(column_of_student == j)
    return students, Members(
        unit=unit_of_student[students],
        programme=traits.programme[students],
        teams_wanted=int(teams_wanted[j]),
        teams=int(max(teams[j], 1)),
    )


def form_teams(
    column_of_student: np.ndarray,
    unit_of_student: np.ndarray,
    teams: np.ndarray,
    teams_wanted: np.ndarray,
    traits: Traits,
    bounds: TeamBounds,
    seed: int = 0,
) -> np.ndarray:
    """Team label (0.. within its challenge) per student, or -1 where no split exists."""
    labels = np.full(len(column_of_student), -1, dtype=np.int64)
    for j in np.unique(column_of_student):
        students, members = challenge_members(
            column_of_student, unit_of_student, traits, teams, teams_wanted, j)
        split = split_members(members, bounds.size_min, bounds.size_max, bounds.cap, seed + j)
        if split is None:
            continue
        wanted = traits.wanted[j].toarray().ravel() > 0
        covered = traits.skills[students][:, wanted].toarray() > 0
        labels[students] = improve_split(split, members, traits.year[students], covered,
                                         bounds.cap)
    return labels


def diversity(labels: np.ndarray, programme: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Distinct programmes + distinct years, per team label."""
    teams = labels.max(initial=-1) + 1
    return _distinct(labels, programme, teams) + _distinct(labels, year, teams)


def diversity_bound(programme: np.ndarray, year: np.ndarray, unit: np.ndarray, teams: int) -> int:
    """The per-challenge upper bound of the summed team diversity (module docstring)."""
    total = 0
    for values in (programme, year):
        carriers = np.unique(np.column_stack([values, unit]), axis=0)[:, 0]
        total += int(np.minimum(np.bincount(carriers), teams).sum())
    return total


def _distinct(labels: np.ndarray, values: np.ndarray, teams: int) -> np.ndarray:
    present = np.zeros((teams, values.max(initial=0) + 1), dtype=bool)
    present[labels, values] = True
    return present.sum(axis=1)


def improve_split(
    labels: np.ndarray, members: Members, year: np.ndarray, covered: np.ndarray, cap: int | None
) -> np.ndarray:
    """Best-improvement swaps of single students between teams (groups stay put)."""
    state = _SwapState(labels.copy(), members, year, covered)
    movable = np.bincount(members.unit)[members.unit] == 1
    for _ in range(MAX_SWAPS):
        first, second = np.nonzero(np.triu(movable[:, None] & movable[None, :], 1)
                                   & (state.labels[:, None] != state.labels[None, :]))
        if len(first) == 0:
            break
        gain = state.gains(first, second, cap)
        best = int(np.argmax(gain))
        if gain[best] <= 1e-9:
            break
        state.swap(first[best], second[best])
    return state.labels


class _SwapState:
    """Per-team counts of programmes, years and wanted skills, updated on each swap."""

    def __init__(self, labels, members: Members, year, covered) -> None:
        self.labels = labels
        self.traits = [members.programme, year]
        teams = labels.max() + 1
        self.counts = []
        for values in self.traits:
            counts = np.zeros((teams, values.max() + 1), dtype=np.int64)
            np.add.at(counts, (labels, values), 1)
            self.counts.append(counts)
        self.covered = covered.astype(np.int64)
        self.skills = np.zeros((teams, covered.shape[1]), dtype=np.int64)
        np.add.at(self.skills, labels, self.covered)

    def gains(self, first: np.ndarray, second: np.ndarray, cap: int | None) -> np.ndarray:
        """Score change of swapping each pair (first[i], second[i]); -inf if over the cap."""
        a, b = self.labels[first], self.labels[second]
        gain = np.zeros(len(first))
        for index, (values, counts) in enumerate(zip(self.traits, self.counts, strict=True)):
            vi, vj = values[first], values[second]
            changed = vi != vj
            gain += changed * ((counts[a, vj] == 0) * 1.0 - (counts[a, vi] == 1)
                               + (counts[b, vi] == 0) - (counts[b, vj] == 1))
            if index == 0 and cap is not None:
                over = changed & ((counts[a, vj] + 1 > cap) | (counts[b, vi] + 1 > cap))
                gain[over] = -np.inf
        diff = self.covered[second] - self.covered[first]
        after_a, after_b = self.skills[a] + diff, self.skills[b] - diff
        gain += SKILL_WEIGHT * (((after_a > 0).sum(1) - (self.skills[a] > 0).sum(1))
                                + ((after_b > 0).sum(1) - (self.skills[b] > 0).sum(1)))
        return gain

    def swap(self, i: int, j: int) -> None:
        """Exchange students i and j between their teams, keeping the counts current."""
        a, b = self.labels[i], self.labels[j]
        for values, counts in zip(self.traits, self.counts, strict=True):
            counts[a, values[i]] -= 1
            counts[b, values[i]] += 1
            counts[b, values[j]] -= 1
            counts[a, values[j]] += 1
        delta = self.covered[j] - self.covered[i]
        self.skills[a] += delta
        self.skills[b] -= delta
        self.labels[i], self.labels[j] = b, a
