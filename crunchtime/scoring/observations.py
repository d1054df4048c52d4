"""From criterion scores to one number per (jury, team): the rubric's weighted mean on 0–1,
keeping each criterion score (its 0–1 value, its share of the pair's weight, whether it sits at
the top or the bottom of its scale) for the models that treat scores at the bounds apart."""

from __future__ import annotations

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
class CellScores:
    """One entry per criterion score: its (jury, team) row, 0–1 value, share of its row's
    weight, half a scale step on 0–1, and whether it is the scale's top or bottom value."""

    row: np.ndarray
    value: np.ndarray
    share: np.ndarray
    half_step: np.ndarray
    at_top: np.ndarray
    at_bottom: np.ndarray


@dataclass(frozen=True)
class Observations:
    """One row per (jury, team) scored: indices into `jury_ids` / `team_ids`, the 0–1 value,
    and how many criterion scores it summarises; `cells` keeps the criterion scores."""

    jury: np.ndarray
    team: np.ndarray
    value: np.ndarray
    n_criteria: np.ndarray
    jury_ids: tuple[int, ...]
    team_ids: tuple[int, ...]
    cells: CellScores | None = None

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
    """Weighted mean per (jury, team) over the criteria that jury scored, each scaled to 0–1.
    Sums run in (jury, team, criterion) order, the same floating-point result as a loop."""
    cells = np.array(list(scores), dtype=np.int64).reshape(-1, 3)
    values = np.fromiter(scores.values(), dtype=float, count=len(scores))
    order = np.lexsort((cells[:, 2], cells[:, 1], cells[:, 0]))
    cells, values = cells[order], values[order]
    known = sorted(criteria)
    scale_of = np.searchsorted(known, cells[:, 2]) if known else np.zeros(len(cells), int)
    unknown = (scale_of >= len(known)) | (
        np.asarray(known, dtype=np.int64)[np.minimum(scale_of, len(known) - 1)] != cells[:, 2]
        if known else np.ones(len(cells), bool))
    if unknown.any():
        raise RankingError(f"score for unknown criterion {int(cells[unknown.argmax(), 2])}")
    weight, low, high = (np.array([getattr(criteria[c], name) for c in known], dtype=float)
                         [scale_of] for name in ("weight", "scale_min", "scale_max"))
    off = (values < low) | (values > high)
    if off.any():
        at = off.argmax()
        raise RankingError(f"value {values[at]} off the scale of criterion {int(cells[at, 2])}")
    jury_ids, jury_of = np.unique(cells[:, 0], return_inverse=True)
    scored_teams = np.unique(cells[:, 1])
    team_ids = tuple(sorted(set(teams) | {int(team) for team in scored_teams}))
    team_of = np.searchsorted(np.asarray(team_ids, dtype=np.int64), cells[:, 1])
    pair = jury_of.astype(np.int64) * max(len(team_ids), 1) + team_of
    pairs, row_of = np.unique(pair, return_inverse=True)
    normalised = (values - low) / (high - low)
    weighted = np.bincount(row_of, weights=weight * normalised, minlength=len(pairs))
    weights = np.bincount(row_of, weights=weight, minlength=len(pairs))
    cells = CellScores(
        row=row_of.astype(np.int64), value=normalised,
        share=weight / weights[row_of] if len(pairs) else np.zeros(0),
        half_step=0.5 / (high - low), at_top=values >= high, at_bottom=values <= low,
    )
    return Observations(
        jury=(pairs // max(len(team_ids), 1)).astype(np.int64),
        team=(pairs % max(len(team_ids), 1)).astype(np.int64),
        value=weighted / weights if len(pairs) else np.zeros(0),
        n_criteria=np.bincount(row_of, minlength=len(pairs)).astype(np.int64),
        jury_ids=tuple(int(jury) for jury in jury_ids),
        team_ids=team_ids,
        cells=cells,
    )
