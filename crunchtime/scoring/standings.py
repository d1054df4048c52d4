"""From per-team estimates and their uncertainty to ordered standings with P(in top k)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from crunchtime.scoring.observations import Observations

TIE_DECIMALS = 9


@dataclass(frozen=True)
class TeamStanding:
    """One team's line: rank 1 is best; estimate and interval are None for an unscored team.
    n_scores counts criterion scores, n_juries the juries who gave them."""

    team: int
    rank: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_scores: int
    n_juries: int
    p_top_k: float
    scored: bool


Sampler = Callable[[np.random.Generator, int], np.ndarray]


@dataclass(frozen=True)
class Estimate:
    """An estimator's output: a value per team (NaN if unscored), the standard error of each
    scored team in team order (None if not estimable), its degrees of freedom, and how to
    draw the scored teams jointly (independent normals when no sampler is given)."""

    values: np.ndarray
    std: np.ndarray | None
    dof: float
    sampler: Sampler | None = None

    def draw(self, rng: np.random.Generator, draws: int) -> np.ndarray:
        """Draws × scored teams from the estimate's sampling distribution."""
        if self.sampler is not None:
            return self.sampler(rng, draws)
        mean = self.values[~np.isnan(self.values)]
        return mean + self.std * rng.standard_normal((draws, len(mean)))


def build_standings(
    obs: Observations, estimate: Estimate, *, top_k: int, level: float, draws: int, seed: int
) -> tuple[TeamStanding, ...]:
    """Standings ordered by estimate, then number of scores, then team id; unscored last."""
    n_scores = obs.criterion_counts().tolist()  # plain numbers: ~300 teams, scalar reads
    n_juries = obs.per_team().astype(np.int64)
    scored = np.flatnonzero(n_juries > 0)
    juries_of = n_juries.tolist()
    values = estimate.values.tolist()
    team_ids = obs.team_ids
    order = sorted(scored.tolist(),
                   key=lambda t: (-round(values[t], TIE_DECIMALS), -n_scores[t], team_ids[t]))
    half_width = _half_widths(estimate, level)
    widths = None if half_width is None else half_width.tolist()
    p_top = _top_k_probability(estimate, scored, order, top_k, draws, seed).tolist()
    rows = [
        TeamStanding(
            team=team_ids[t], rank=rank, estimate=values[t],
            ci_low=None if widths is None else values[t] - widths[t],
            ci_high=None if widths is None else values[t] + widths[t],
            n_scores=n_scores[t], n_juries=juries_of[t], p_top_k=p_top[t], scored=True,
        )
        for rank, t in enumerate(order, start=1)
    ]
    unscored = np.flatnonzero(n_juries == 0).tolist()
    rows += [
        TeamStanding(team_ids[t], len(order) + i, None, None, None, 0, 0, 0.0, False)
        for i, t in enumerate(unscored, start=1)
    ]
    return tuple(rows)


def _half_widths(estimate: Estimate, level: float) -> np.ndarray | None:
    """Half-width of the two-sided interval per team index (scored teams in order)."""
    if estimate.std is None:
        return None
    quantile = stats.t.ppf((1 + level) / 2, max(estimate.dof, 1.0))
    widths = np.zeros(len(estimate.values))
    widths[~np.isnan(estimate.values)] = quantile * estimate.std
    return widths


def _top_k_probability(estimate: Estimate, scored, order, top_k: int, draws: int, seed: int):
    """Monte-Carlo share of posterior draws in which each team is among the best top_k."""
    probability = np.zeros(len(estimate.values))
    if top_k >= len(scored):
        probability[scored] = 1.0
        return probability
    if estimate.std is None or draws <= 0:
        probability[order[:top_k]] = 1.0
        return probability
    samples = estimate.draw(np.random.default_rng(seed), draws)
    best = np.argpartition(-samples, top_k - 1, axis=1)[:, :top_k]
    probability[scored] = np.bincount(best.ravel(), minlength=len(scored)) / draws
    return probability
