"""Three rankings side by side: raw weighted mean, per-jury z-score, calibrated juries.

All three start from the same 0–1 weighted rubric score per (jury, team) and end in the same
standings (estimate, interval, P(in top k), deterministic tie-break). The calibrated model
(calibration.py) corrects each jury's severity and use of the scale and reads scores at a
scale's bounds as censored; "additive" (severity only, jury_effects.py) is kept for the
benchmark, which compares it with the calibrated model. On a disconnected
jury–team graph the jury-effect model is in effect fitted per component (severities centred
within each), so teams of different components are compared as if their juries were equally
severe on average: the ranking says so with FLAG_DISCONNECTED. Flags are codes for the pages
to translate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from crunchtime.scoring.calibration import CalibrationFit, CalibrationState, fit_calibration
from crunchtime.scoring.graph import count_components
from crunchtime.scoring.jury_effects import fit_jury_effects
from crunchtime.scoring.observations import (
    Cell,
    CriterionScale,
    Observations,
    RankingError,
    build_observations,
)
from crunchtime.scoring.standings import Estimate, TeamStanding, build_standings

ESTIMATORS = ("raw", "zscore", "calibrated")
BENCHMARK_ESTIMATORS = ("additive",)
FLAG_UNSCORED = "unscored_teams"
FLAG_DISCONNECTED = "disconnected_graph"
FLAG_SINGLE_JURY = "single_jury"
FLAG_NO_REPLICATION = "variance_not_estimable"

__all__ = ["ESTIMATORS", "CriterionScale", "Ranking", "RankingError", "TeamStanding",
           "rank_teams"]


@dataclass(frozen=True)
class Ranking:
    """One estimator's standings, per-jury severities (0–1 scale; empty for raw) and flags;
    the calibrated one also carries its juries' scales, its fit (to explain a team's position)
    and the state a refit can start from. Its explanations are worked out when first read:
    the live board, which refits at every batch of scores, never reads them."""

    estimator: str
    standings: tuple[TeamStanding, ...]
    severities: dict[int, float]
    components: int
    top_k: int
    flags: tuple[str, ...] = ()
    scales: dict[int, float] | None = None
    explain: Callable[[], dict[int, TeamExplanation]] | None = field(
        default=None, compare=False, repr=False)
    state: CalibrationState | None = field(default=None, compare=False, repr=False)

    @cached_property
    def explanations(self) -> dict[int, TeamExplanation] | None:
        """Per scored team, why it stands where it does (calibrated only, else None)."""
        return self.explain() if self.explain is not None else None

    def order(self) -> list[int]:
        """Team ids, best first."""
        return [row.team for row in self.standings]


@dataclass(frozen=True)
class JuryCorrection:
    """What one jury gave a team (0–1, rubric mean) and the value once its severity, scale
    and any score at a bound are accounted for."""

    jury: int
    observed: float
    corrected: float
    severity: float
    scale: float

    @property
    def correction(self) -> float:
        return self.corrected - self.observed


@dataclass(frozen=True)
class TeamExplanation:
    """A team's position in one line: its raw mean and the correction of each of its juries."""

    team: int
    raw_mean: float
    estimate: float
    juries: tuple[JuryCorrection, ...]


def rank_teams(
    scores: Mapping[Cell, float],
    criteria: Mapping[int, CriterionScale],
    *,
    teams: Iterable[int] = (),
    estimators: Iterable[str] = ESTIMATORS,
    top_k: int = 10,
    level: float = 0.95,
    draws: int = 2000,
    seed: int = 0,
    warm: CalibrationState | None = None,
) -> dict[str, Ranking]:
    """Rank every team (those in `teams` without scores come last, flagged) by each estimator.

    `draws` Monte-Carlo draws give P(in top k); with draws=0 it is 1 for the first k, else 0.
    `warm`, the `state` of an earlier calibrated ranking, makes its refit start from there.
    """
    if top_k < 1:
        raise RankingError("top_k must be at least 1")
    if not 0 < level < 1:
        raise RankingError("level must be between 0 and 1")
    obs = build_observations(scores, criteria, teams)
    components = count_components(
        np.column_stack((obs.jury, obs.team)), len(obs.jury_ids), len(obs.team_ids)
    )
    rankings = {}
    for name in estimators:
        if name not in ESTIMATORS + BENCHMARK_ESTIMATORS:
            raise RankingError(f"unknown estimator {name!r}")
        fit = None
        if name == "calibrated":
            estimate, severities, fit = _calibrated(obs, warm)
        else:
            estimate, severities = ESTIMATOR_FUNCTIONS[name](obs)
        flags = _flags(obs, components, estimate)
        standings = build_standings(
            obs, estimate, top_k=top_k, level=level, draws=draws, seed=seed
        )
        extra = {} if fit is None else {
            "scales": {obs.jury_ids[j]: float(fit.scale[j]) for j in range(len(obs.jury_ids))},
            "explain": lambda obs=obs, fit=fit: _explanations(obs, fit), "state": fit.state}
        rankings[name] = Ranking(name, standings, severities, components, top_k, flags,
                                 **extra)
    return rankings


def _flags(obs: Observations, components: int, estimate: Estimate) -> tuple[str, ...]:
    flags = []
    if np.any(obs.per_team() == 0):
        flags.append(FLAG_UNSCORED)
    if components > 1:
        flags.append(FLAG_DISCONNECTED)
    if len(obs.jury_ids) == 1:
        flags.append(FLAG_SINGLE_JURY)
    if estimate.std is None and len(obs.value):
        flags.append(FLAG_NO_REPLICATION)
    return tuple(flags)


def _team_means(obs: Observations, values: np.ndarray) -> Estimate:
    """Per-team mean of `values`, with a pooled within-team variance for its uncertainty."""
    counts = obs.per_team()
    scored = counts > 0
    means = np.full(len(counts), np.nan)
    means[scored] = obs.per_team(values)[scored] / counts[scored]
    residual = values - means[obs.team]
    dof = float(len(values) - np.count_nonzero(scored))
    if dof < 0.5:
        return Estimate(means, None, dof)
    variance = float(residual @ residual) / dof
    return Estimate(means, np.sqrt(variance / counts[scored]), dof)


def _raw_mean(obs: Observations):
    return _team_means(obs, obs.value), {}


def _zscore(obs: Observations):
    """Each jury's scores centred on its mean and divided by its spread (0 if it has none)."""
    n_juries = len(obs.jury_ids)
    counts = np.bincount(obs.jury, minlength=n_juries)
    means = np.bincount(obs.jury, weights=obs.value, minlength=n_juries) / np.maximum(counts, 1)
    deviation = obs.value - means[obs.jury]
    squares = np.bincount(obs.jury, weights=deviation**2, minlength=n_juries)
    spread = np.sqrt(squares / np.maximum(counts - 1, 1))
    usable = (counts[obs.jury] > 1) & (spread[obs.jury] > 0)
    z = np.where(usable, deviation / np.where(usable, spread[obs.jury], 1.0), 0.0)
    grand = float(obs.value.mean()) if len(obs.value) else 0.0
    severities = {obs.jury_ids[j]: float(means[j] - grand) for j in range(n_juries)}
    return _team_means(obs, z), severities


def _jury_effects(obs: Observations):
    """Ridge fit over the scored teams; severities centred within each component."""
    counts = obs.per_team()
    scored = np.flatnonzero(counts > 0)
    if len(scored) == 0:
        return Estimate(np.full(len(counts), np.nan), None, 0.0), {}
    compact = np.full(len(counts), -1)
    compact[scored] = np.arange(len(scored))
    fit = fit_jury_effects(
        obs.jury, compact[obs.team], obs.value, len(obs.jury_ids), len(scored)
    )
    values = np.full(len(counts), np.nan)
    values[scored] = fit.quality
    severities = {obs.jury_ids[j]: float(fit.severity[j]) for j in range(len(obs.jury_ids))}
    return Estimate(values, fit.quality_std, fit.residual_dof, fit.draw_qualities), severities


def _calibrated(obs: Observations, warm: CalibrationState | None):
    """Scales, severities and censoring (calibration.py) over the scored teams."""
    counts = obs.per_team()
    if not np.any(counts > 0):
        return Estimate(np.full(len(counts), np.nan), None, 0.0), {}, None
    fit = fit_calibration(obs, warm=warm)
    values = np.full(len(counts), np.nan)
    values[fit.teams] = fit.effects.quality
    severities = {obs.jury_ids[j]: float(fit.severity[j]) for j in range(len(obs.jury_ids))}
    effects = fit.effects
    return (Estimate(values, effects.quality_std, effects.residual_dof, effects.draw_qualities),
            severities, fit)


def _explanations(obs: Observations, fit: CalibrationFit) -> dict[int, TeamExplanation]:
    """Per scored team: raw mean, calibrated estimate, and each jury's observed → corrected."""
    rows_of: dict[int, list[int]] = {}
    for row, team in enumerate(obs.team):
        rows_of.setdefault(int(team), []).append(row)
    estimate = dict(zip(fit.teams.tolist(), fit.effects.quality.tolist(), strict=True))
    explanations = {}
    for team, rows in rows_of.items():
        juries = tuple(sorted(
            (JuryCorrection(obs.jury_ids[obs.jury[row]], float(fit.observed[row]),
                            float(fit.corrected[row]), float(fit.severity[obs.jury[row]]),
                            float(fit.scale[obs.jury[row]])) for row in rows),
            key=lambda correction: correction.jury))
        explanations[obs.team_ids[team]] = TeamExplanation(
            obs.team_ids[team], float(np.mean([fit.observed[row] for row in rows])),
            estimate[team], juries)
    return explanations


ESTIMATOR_FUNCTIONS = {"raw": _raw_mean, "zscore": _zscore, "additive": _jury_effects}
