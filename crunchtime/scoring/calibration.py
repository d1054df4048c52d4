"""The calibrated model: each jury has its own severity and its own use of the scale, and a
score at the top or the bottom of a scale says "at least" or "at most", not "exactly".

On 0–1 values centred on the grand mean m, a jury–team row is y = a_j + b_j·(q_t − m) + e:
a_j the jury's severity (shrunk towards 0), b_j its scale (shrunk towards 1, so that a jury
with three teams cannot distort them; kept within SCALE_BOUNDS). A criterion score at the top
of its scale only says that the jury's latent value was above the last half step, at the
bottom below the first: each is replaced by its expectation under the current fit (a
truncated normal), using what the pair's other criteria say of that jury's view of that team
(halo) — so that ten out of ten from a generous jury no longer pulls a team down. Criteria of
one jury–team pair are averaged into the row before the fit, so a halo (the same value on
every criterion) counts once and does not overstate certainty.

The scales and the censored expectations are found by alternating least squares; the team
qualities, their intervals and joint draws then come from the additive model
(jury_effects.py) on the rows brought back to an average jury's scale, weighted by b_j².
A fit carries its state; a refit warm-started from it converges in a few steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import log_ndtr

from crunchtime.scoring.jury_effects import RIDGE_BOUNDS, JuryEffectFit, fit_jury_effects
from crunchtime.scoring.observations import Observations

SCALE_BOUNDS = (0.2, 5.0)
MAX_STEPS = 150
# A warm refit (the live board's, after each batch of scores) takes at most this many steps:
# the next batch starts from where it stopped, so a slow fit keeps converging across batches
# without making any one refit slow.
WARM_MAX_STEPS = 30
TOLERANCE = 1e-5  # of the qualities' range: far below what reorders two teams
RIDGE_TOLERANCE = 1e-3  # change of a typical shrinkage factor n / (n + λ) in one step
MIN_SEVERITY_VARIANCE = 1e-6
MIN_SCALE_VARIANCE = 1e-4
MIN_CELL_VARIANCE = 1e-6
HALF_LOG_TWO_PI = 0.5 * np.log(2 * np.pi)


@dataclass(frozen=True)
class CalibrationState:
    """What a warm start needs, keyed by ids so that new juries and teams can join."""

    jury_ids: tuple[int, ...]
    team_ids: tuple[int, ...]
    severity: np.ndarray
    scale: np.ndarray
    quality: np.ndarray
    severity_ridge: float
    scale_ridge: float
    quality_ridge: float
    ridge: float


@dataclass(frozen=True)
class CalibrationFit:
    """Per scored team (compact order `teams`): quality and its posterior; per jury: severity
    and scale; per row: the value observed and the value corrected (the team's quality as
    that jury saw it: each team's quality is the mean of its corrected rows, weighted by b²)."""

    teams: np.ndarray              # indices into obs.team_ids of the scored teams
    effects: JuryEffectFit         # qualities, std, draws on an average jury's scale
    severity: np.ndarray           # per jury, 0–1 on an average jury's scale; sums to 0
    scale: np.ndarray              # b_j: 0.5, half the spread of an average jury
    observed: np.ndarray           # per row: the rubric's weighted mean, as scored
    corrected: np.ndarray          # per row: the team's value as this jury saw it, corrected
    steps: int
    state: CalibrationState


def fit_calibration(obs: Observations, *, warm: CalibrationState | None = None
                    ) -> CalibrationFit:
    """Fit scales, severities and censored expectations, then the qualities. Every row of
    `obs` counts; teams without a row are left out (`teams` lists those fitted)."""
    counts = obs.per_team()
    teams = np.flatnonzero(counts > 0)
    compact = np.full(len(counts), -1)
    compact[teams] = np.arange(len(teams))
    team = compact[obs.team]
    jury = obs.jury
    n_juries, n_teams = len(obs.jury_ids), len(teams)
    cells = obs.cells
    centre = float(obs.value.mean()) if len(obs.value) else 0.5

    severity, scale, quality, severity_ridge, scale_ridge, quality_ridge, start_ridge = _start(
        obs, teams, team, centre, warm)
    censored = cells.at_top | cells.at_bottom
    pairs = _team_pairs(jury, team, n_juries, n_teams)
    observed_rows = obs.value - centre

    def rows_for(severity, scale, quality):
        if not censored.any():
            return observed_rows
        return _expected_rows(obs, severity[jury] + scale[jury] * quality[team], centre)

    def step(theta: np.ndarray) -> tuple[np.ndarray, float]:
        """One round of E-step, scales, severities and qualities, variance components."""
        severity, scale, quality, ridges = _unpack(theta, n_juries, n_teams)
        rows = rows_for(severity, scale, quality)
        _severity, scale = _jury_terms(rows, jury, quality[team], n_juries, *ridges[:2])
        scale = np.clip(scale / np.exp(np.mean(np.log(scale))), *SCALE_BOUNDS)
        severity, quality = _joint_terms(rows, jury, team, pairs, scale, n_juries, n_teams,
                                         ridges[0], ridges[2])
        residual = rows - severity[jury] - scale[jury] * quality[team]
        ridges, moved = _ridges(residual, jury, team, quality, severity, scale, n_juries,
                                ridges)
        return _pack(severity, scale, quality, ridges), moved

    theta = _pack(severity, scale, quality, (severity_ridge, scale_ridge, quality_ridge))
    steps = 0
    limit = MAX_STEPS if warm is None else WARM_MAX_STEPS
    while steps < limit:
        theta, steps, converged = _accelerated(step, theta, steps, n_juries, n_teams)
        if converged:
            break
    severity, scale, quality, ridges = _unpack(theta, n_juries, n_teams)
    severity_ridge, scale_ridge, quality_ridge = ridges
    rows = rows_for(severity, scale, quality)

    on_average_scale = rows / scale[jury] + centre
    effects = fit_jury_effects(jury, team, on_average_scale, n_juries, n_teams,
                               weights=scale[jury] ** 2, start_ridge=start_ridge)
    state = CalibrationState(
        jury_ids=obs.jury_ids, team_ids=tuple(obs.team_ids[t] for t in teams),
        severity=severity, scale=scale, quality=quality, severity_ridge=severity_ridge,
        scale_ridge=scale_ridge, quality_ridge=quality_ridge, ridge=effects.ridge)
    return CalibrationFit(teams, effects, effects.severity, scale, obs.value.copy(),
                          on_average_scale - effects.severity[jury], steps, state)


def _pack(severity, scale, quality, ridges) -> np.ndarray:
    return np.concatenate([severity, np.log(scale), quality, np.log(ridges)])


def _unpack(theta: np.ndarray, n_juries: int, n_teams: int):
    severity = theta[:n_juries]
    scale = np.clip(np.exp(theta[n_juries:2 * n_juries]), *SCALE_BOUNDS)
    quality = theta[2 * n_juries:2 * n_juries + n_teams]
    ridges = tuple(float(np.clip(np.exp(value), *RIDGE_BOUNDS))
                   for value in theta[2 * n_juries + n_teams:])
    return severity, scale, quality, ridges


def _accelerated(step, theta: np.ndarray, steps: int, n_juries: int, n_teams: int):
    """One SQUAREM cycle (Varadhan & Roland's S3 scheme) of the fixed-point map `step`: two
    plain steps give the direction, an extrapolation along it, a plain step from there to
    stabilise. EM on variance components and censored values crawls; this does not.
    Returns (θ, steps taken so far, converged)."""
    first, _ = step(theta)
    second, _ = step(first)
    change, curve = first - theta, second - 2 * first + theta
    length = float(np.linalg.norm(curve))
    alpha = min(-float(np.linalg.norm(change)) / length, -1.0) if length > 0 else -1.0
    leap = theta - 2 * alpha * change + alpha**2 * curve
    if not np.all(np.isfinite(leap)):
        leap = second
    landed, moved = step(leap)
    if not np.all(np.isfinite(landed)):
        landed, moved = step(second)
    quality = slice(2 * n_juries, 2 * n_juries + n_teams)
    spread = max(float(np.ptp(landed[quality])) if n_teams else 0.0, 1e-9)
    converged = (np.max(np.abs(landed[quality] - leap[quality]), initial=0.0)
                 < TOLERANCE * spread and moved < RIDGE_TOLERANCE)
    return landed, steps + 3, converged


def _start(obs: Observations, teams, team, centre: float, warm: CalibrationState | None):
    """Severity, scale and quality to start from: the warm state's where ids match, else
    each team's raw mean and a neutral jury."""
    n_juries = len(obs.jury_ids)
    raw = np.bincount(team, weights=obs.value - centre, minlength=len(teams)) / np.maximum(
        np.bincount(team, minlength=len(teams)), 1)
    severity, scale, quality = np.zeros(n_juries), np.ones(n_juries), raw
    ridges = (1.0, 0.1, 0.1, 1.0)
    if warm is not None:
        jury_at = {jury: index for index, jury in enumerate(warm.jury_ids)}
        team_at = {team_id: index for index, team_id in enumerate(warm.team_ids)}
        for index, jury in enumerate(obs.jury_ids):
            if jury in jury_at:
                severity[index] = warm.severity[jury_at[jury]]
                scale[index] = warm.scale[jury_at[jury]]
        quality = raw.copy()
        for index, t in enumerate(teams):
            if obs.team_ids[t] in team_at:
                quality[index] = warm.quality[team_at[obs.team_ids[t]]]
        ridges = (warm.severity_ridge, warm.scale_ridge, warm.quality_ridge, warm.ridge)
    return severity, scale, quality, *ridges


def _expected_rows(obs: Observations, predicted: np.ndarray, centre: float) -> np.ndarray:
    """Each row's weighted mean with every score at a bound replaced by its expectation
    beyond the bound's half step, given the fit and the pair's other criteria (halo)."""
    cells = obs.cells
    free = ~(cells.at_top | cells.at_bottom)
    n_rows = len(predicted)
    mean = predicted[cells.row] + centre
    residual = np.where(free, cells.value - mean, 0.0)
    n_free = np.bincount(cells.row, weights=free.astype(float), minlength=n_rows)
    row_residual = np.bincount(cells.row, weights=residual, minlength=n_rows) / np.maximum(
        n_free, 1)
    within = _within_variance(cells, free, n_free)
    seen = n_free > 0
    between = MIN_CELL_VARIANCE
    if seen.any():
        between = max(float(np.mean(row_residual[seen] ** 2 - within / n_free[seen])),
                      MIN_CELL_VARIANCE)
    shrink = n_free / (n_free + within / between)
    halo = shrink * row_residual
    spread = np.sqrt(within + between * (1 - shrink))[cells.row]
    centre_of_cell = mean + halo[cells.row]
    value = cells.value.copy()
    top = cells.at_top
    if top.any():
        alpha = (1 - cells.half_step[top] - centre_of_cell[top]) / spread[top]
        value[top] = centre_of_cell[top] + spread[top] * _mills(alpha)
        value[top] = np.maximum(value[top], cells.value[top])
    bottom = cells.at_bottom
    if bottom.any():
        beta = (cells.half_step[bottom] - centre_of_cell[bottom]) / spread[bottom]
        value[bottom] = centre_of_cell[bottom] - spread[bottom] * _mills(-beta)
        value[bottom] = np.minimum(value[bottom], cells.value[bottom])
    return np.bincount(cells.row, weights=cells.share * value, minlength=n_rows) - centre


def _mills(alpha: np.ndarray) -> np.ndarray:
    """φ(α) / (1 − Φ(α)), the mean excess of a standard normal beyond α, computed stably."""
    log_density = -0.5 * alpha**2 - HALF_LOG_TWO_PI
    return np.exp(log_density - log_ndtr(-alpha))


def _within_variance(cells, free, n_free) -> float:
    """Variance of a pair's criterion scores around the pair's own level (free scores only)."""
    pair_mean = np.bincount(cells.row, weights=np.where(free, cells.value, 0.0),
                            minlength=len(n_free)) / np.maximum(n_free, 1)
    squares = np.where(free, (cells.value - pair_mean[cells.row]) ** 2, 0.0)
    dof = float(free.sum() - np.count_nonzero(n_free))
    if dof < 1:
        return MIN_CELL_VARIANCE
    return max(float(squares.sum()) / dof, MIN_CELL_VARIANCE)


def _jury_terms(rows, jury, quality, n_juries: int, severity_ridge: float,
                scale_ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """Per jury, ridge regression of its rows on the teams' qualities: the intercept shrunk
    to 0 (severity), the slope to 1 (scale)."""
    count = np.bincount(jury, minlength=n_juries).astype(float)
    sum_q = np.bincount(jury, weights=quality, minlength=n_juries)
    sum_qq = np.bincount(jury, weights=quality**2, minlength=n_juries)
    sum_y = np.bincount(jury, weights=rows, minlength=n_juries)
    sum_qy = np.bincount(jury, weights=quality * rows, minlength=n_juries)
    a11, a12, a22 = count + severity_ridge, sum_q, sum_qq + scale_ridge
    b1, b2 = sum_y, sum_qy + scale_ridge
    determinant = a11 * a22 - a12**2
    severity = (a22 * b1 - a12 * b2) / determinant
    scale = np.clip((a11 * b2 - a12 * b1) / determinant, *SCALE_BOUNDS)
    return severity, scale


@dataclass(frozen=True)
class _TeamPairs:
    """Every two rows of the same team (each row with itself too), as `first`, `second` row
    indices and the juries-sized matrix `cell` (jury of first × juries + jury of second) they
    add to: the Schur complement over teams is a sum over these pairs, a few per team, instead
    of a dense teams × juries product at every step of the fit."""

    first: np.ndarray
    second: np.ndarray
    cell: np.ndarray


def _team_pairs(jury: np.ndarray, team: np.ndarray, n_juries: int, n_teams: int) -> _TeamPairs:
    order = np.argsort(team, kind="stable")
    counts = np.bincount(team, minlength=n_teams)
    starts = np.cumsum(counts) - counts
    ordered_team = team[order]
    repeats = counts[ordered_team]
    first = np.repeat(order, repeats)
    offsets = np.arange(len(first)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    second = order[np.repeat(starts[ordered_team], repeats) + offsets]
    return _TeamPairs(first, second, jury[first] * n_juries + jury[second])


def _joint_terms(rows, jury, team, pairs: _TeamPairs, scale, n_juries: int, n_teams: int,
                 ridge: float, quality_ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """Severities and qualities together given the scales: rows / b_j = a_j / b_j + q_t,
    weighted by b_j², severities shrunk to 0 and qualities to the mean (the population of
    teams: what bounds a team every jury gave the top score); qualities eliminated (Schur
    complement), one juries-sized linear solve."""
    weight = scale[jury] ** 2
    weighted = weight * (rows / scale[jury])
    per_team = np.bincount(team, weights=weight, minlength=n_teams) + quality_ridge
    per_jury = np.bincount(jury, weights=weight, minlength=n_juries)
    team_sums = np.bincount(team, weights=weighted, minlength=n_teams)
    jury_sums = np.bincount(jury, weights=weighted, minlength=n_juries)
    through_teams = np.bincount(
        pairs.cell, weights=weight[pairs.first] * weight[pairs.second]
        / per_team[team[pairs.first]], minlength=n_juries * n_juries).reshape(n_juries, n_juries)
    schur = np.diag(per_jury + ridge) - through_teams
    team_means = team_sums / per_team
    shift = np.linalg.solve(schur, jury_sums - np.bincount(jury, weights=weight * team_means[team],
                                                           minlength=n_juries))
    quality = (team_sums - np.bincount(team, weights=weight * shift[jury], minlength=n_teams)
               ) / per_team
    return shift * scale, quality


def _ridges(residual, jury, team, quality, severity, scale, n_juries: int,
            ridges: tuple[float, float, float]) -> tuple[tuple[float, float, float], float]:
    """EM-like update of λ = σ²/τ² for severities, scales and qualities (τ² is the spread of
    the estimates plus their approximate, diagonal, posterior variance), and how much a
    typical shrinkage factor n / (n + λ) moved: a λ far above or below its data's n no
    longer changes anything, however slowly EM still walks it."""
    severity_ridge, scale_ridge, quality_ridge = ridges
    count = np.bincount(jury, minlength=n_juries).astype(float)
    per_team = np.bincount(team, weights=scale[jury] ** 2, minlength=len(quality))
    seen = quality[team]
    sum_q = np.bincount(jury, weights=seen, minlength=n_juries)
    sum_qq = np.bincount(jury, weights=seen**2, minlength=n_juries)
    spread_q = np.maximum(sum_qq - sum_q**2 / np.maximum(count, 1), 0.0)
    effective = (np.sum(count / (count + severity_ridge))
                 + np.sum(spread_q / (spread_q + scale_ridge))
                 + np.sum(per_team / (per_team + quality_ridge)))
    dof = len(residual) - effective
    if dof < 1:
        return ridges, 0.0
    variance = max(float(residual @ residual) / dof, MIN_CELL_VARIANCE)
    severity_variance = max(float(np.mean(severity**2 + variance / (count + severity_ridge))),
                            MIN_SEVERITY_VARIANCE)
    scale_variance = max(float(np.mean((scale - 1) ** 2 + variance / (spread_q + scale_ridge))),
                         MIN_SCALE_VARIANCE)
    quality_variance = max(float(np.mean(quality**2 + variance / (per_team + quality_ridge))),
                           MIN_SEVERITY_VARIANCE)
    updated = tuple(float(np.clip(variance / spread, *RIDGE_BOUNDS))
                    for spread in (severity_variance, scale_variance, quality_variance))
    typical = (float(np.mean(count)), float(np.mean(spread_q)), float(np.mean(per_team)))
    moved = max(abs(n / (n + new) - n / (n + old))
                for n, new, old in zip(typical, updated, ridges, strict=True))
    return updated, moved
