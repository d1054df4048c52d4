"""From criterion scores to one number per (jury, team): the rubric's weighted mean on 0–1."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

Cell = tuple[int, int, int]


class RankingError(ValueError):
    """Scores that cannot be ranked as given (unknown criterion, value off its scale)."""


@dataclass(frozen=True)
class CriterionScale:
    """A rubric criterion: its weight and the scale its values live on."""

    weight: float = 1.0
    scale_min: float = 0.0
    scale_max: float = 10.0

    def normalise(self, value: float) -> float:
        return (value - self.scale_min) / (self.scale_max - self.scale_min)


@dataclass(frozen=True)
class Observations:
    """One row per (jury, team) scored: indices into `jury_ids` / `team_ids`, the 0–1 value,
    and how many criterion scores it summarises."""

    jury: np.ndarray
    team: np.ndarray
    value: np.ndarray
    n_criteria: np.ndarray
    jury_ids: tuple[int, ...]
    team_ids: tuple[int, ...]

    def per_team(self, values: np.ndarray | None = None) -> np.ndarray:
        """Sum over each team's rows of `values` (row count when None)."""
        weights = np.ones(len(self.team)) if values is None else values
        return np.bincount(self.team, weights=weights, minlength=len(self.team_ids))

    def criterion_counts(self) -> np.ndarray:
        return self.per_team(self.n_criteria.astype(float)).astype(np.int64)


def build_observations(
    scores: Mapping[Cell, float],
    criteria: Mapping[int, CriterionScale],
    teams: Iterable[int] = (),
) -> Observations:
    """Weighted mean per (jury, team) over the criteria that jury scored, each scaled to 0–1."""
    totals: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for (jury, team, criterion), value in sorted(scores.items()):
        scale = criteria.get(criterion)
        if scale is None:
            raise RankingError(f"score for unknown criterion {criterion}")
        if not scale.scale_min <= value <= scale.scale_max:
            raise RankingError(f"value {value} off the scale of criterion {criterion}")
        total = totals[(jury, team)]
        total[0] += scale.weight * scale.normalise(value)
        total[1] += scale.weight
        total[2] += 1
    jury_ids = tuple(sorted({jury for jury, _ in totals}))
    team_ids = tuple(sorted(set(teams) | {team for _, team in totals}))
    jury_index = {jury: i for i, jury in enumerate(jury_ids)}
    team_index = {team: i for i, team in enumerate(team_ids)}
    keys = sorted(totals)
    return Observations(
        jury=np.array([jury_index[j] for j, _ in keys], dtype=np.int64),
        team=np.array([team_index[t] for _, t in keys], dtype=np.int64),
        value=np.array([totals[key][0] / totals[key][1] for key in keys]),
        n_criteria=np.array([totals[key][2] for key in keys], dtype=np.int64),
        jury_ids=jury_ids,
        team_ids=team_ids,
    )
