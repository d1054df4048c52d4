"""The additive jury-effect model: value = team quality + jury severity + noise.

Fitted by ridge-penalised least squares on the design (one row per jury–team score).
Only severities are penalised, so within each connected component they sum to zero and
qualities sit on an average jury's scale. The ridge λ = σ²/τ² comes from EM on the two
variance components unless given. Qualities are eliminated through their diagonal block
(Schur complement S = C − B'D⁻¹B + λI); S − λI does not depend on λ, so it is diagonalised
once and every EM step is a few juries-sized vector operations on its eigenvalues.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_EM_STEPS = 50
RIDGE_BOUNDS = (1e-2, 1e4)


@dataclass(frozen=True)
class _System:
    """Normal equations [[D, B], [B', C + λI]] with D, C diagonal (scores per team, per jury)."""

    per_team: np.ndarray
    per_jury: np.ndarray
    cross: np.ndarray         # teams × juries: the weight of each jury's row for each team
    team_sums: np.ndarray
    jury_sums: np.ndarray
    jury: np.ndarray
    team: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    eigenvalues: np.ndarray   # of S − λI = C − B'D⁻¹B (juries × juries, symmetric)
    eigenvectors: np.ndarray
    reduced_sums: np.ndarray  # the right-hand side of S·severity: jury sums − B'D⁻¹ team sums


@dataclass(frozen=True)
class _Solution:
    """The fit at one ridge: severities, qualities, and S⁻¹ through its eigenvalues."""

    severity: np.ndarray
    quality: np.ndarray
    inverse_eigenvalues: np.ndarray  # 1 / (eigenvalue + λ)

    def inverse_trace(self) -> float:
        return float(self.inverse_eigenvalues.sum())

    def inverse_diagonal(self, system: _System) -> np.ndarray:
        return (system.eigenvectors**2) @ self.inverse_eigenvalues

    def inverse(self, system: _System) -> np.ndarray:
        return (system.eigenvectors * self.inverse_eigenvalues) @ system.eigenvectors.T


@dataclass(frozen=True)
class JuryEffectFit:
    """Qualities per team index and severities per jury index, with what the posterior needs."""

    quality: np.ndarray
    severity: np.ndarray
    quality_std: np.ndarray | None
    residual_variance: float | None
    residual_dof: float
    ridge: float
    schur_inverse: np.ndarray
    system: _System

    def draw_qualities(self, rng: np.random.Generator, draws: int) -> np.ndarray:
        """Posterior draws (draws × teams): severities first, then qualities given them."""
        sd = np.sqrt(self.residual_variance or 0.0)
        lower = np.linalg.cholesky(self.schur_inverse)
        severity = self.severity + sd * rng.standard_normal((draws, len(self.severity))) @ lower.T
        given = (self.system.team_sums - (self.system.cross @ severity.T).T) / self.system.per_team
        noise = rng.standard_normal((draws, len(self.quality)))
        return given + sd * noise / np.sqrt(self.system.per_team)


def fit_jury_effects(
    jury: np.ndarray, team: np.ndarray, values: np.ndarray, n_juries: int, n_teams: int,
    *, ridge: float | None = None, weights: np.ndarray | None = None,
    start_ridge: float = 1.0,
) -> JuryEffectFit:
    """Fit the model; every team index in 0..n_teams-1 must have at least one row.

    `weights` (one per row, default 1) make it weighted least squares: a row of weight w
    counts as a score of variance σ²/w. EM on λ starts from `start_ridge` unless `ridge` is
    given (a previous fit's λ makes a refit converge in a step or two)."""
    system = _system(jury, team, values, n_juries, n_teams,
                     np.ones(len(values)) if weights is None else weights)
    strength = start_ridge if ridge is None else ridge
    for _ in range(MAX_EM_STEPS if ridge is None else 0):
        updated = _em_ridge(system, strength)
        if updated is None or abs(np.log(updated / strength)) < 1e-4:
            break
        strength = updated
    solution = _solve(system, strength)
    inverse = solution.inverse(system)
    variance, dof = _residual_variance(system, solution, strength)
    std = None
    if variance is not None:
        std = np.sqrt(variance * _quality_variance_factor(system, inverse))
    return JuryEffectFit(solution.quality, solution.severity, std, variance, dof, strength,
                         inverse, system)


def _system(jury, team, values, n_juries: int, n_teams: int, weights: np.ndarray) -> _System:
    cross = np.bincount(team * n_juries + jury, weights=weights,
                        minlength=n_teams * n_juries).reshape(n_teams, n_juries)
    per_team = np.bincount(team, weights=weights, minlength=n_teams).astype(float)
    per_jury = np.bincount(jury, weights=weights, minlength=n_juries).astype(float)
    team_sums = np.bincount(team, weights=weights * values, minlength=n_teams)
    jury_sums = np.bincount(jury, weights=weights * values, minlength=n_juries)
    scaled = cross / per_team[:, None]
    reduced = np.diag(per_jury) - cross.T @ scaled
    eigenvalues, eigenvectors = np.linalg.eigh((reduced + reduced.T) / 2)
    return _System(
        per_team=per_team, per_jury=per_jury, cross=cross, team_sums=team_sums,
        jury_sums=jury_sums, jury=jury, team=team, values=values, weights=weights,
        eigenvalues=eigenvalues, eigenvectors=eigenvectors,
        reduced_sums=jury_sums - scaled.T @ team_sums,
    )


def _solve(system: _System, ridge: float) -> _Solution:
    """Severities and qualities at ridge λ: severity = S⁻¹·reduced sums, S = V(E + λ)V'."""
    inverse_eigenvalues = 1.0 / (system.eigenvalues + ridge)
    vectors = system.eigenvectors
    severity = vectors @ (inverse_eigenvalues * (vectors.T @ system.reduced_sums))
    quality = (system.team_sums - system.cross @ severity) / system.per_team
    return _Solution(severity, quality, inverse_eigenvalues)


def _residual_variance(system: _System, solution: _Solution, ridge: float):
    """σ² = RSS / (n − effective parameters); None when no residual freedom is left."""
    effective = (len(solution.quality) + len(solution.severity)
                 - ridge * solution.inverse_trace())
    dof = float(len(system.values) - effective)
    if dof < 0.5:
        return None, dof
    residual = (system.values - solution.quality[system.team]
                - solution.severity[system.jury])
    return float(system.weights * residual @ residual) / dof, dof


def _quality_variance_factor(system: _System, inverse: np.ndarray) -> np.ndarray:
    """diag(D⁻¹ + D⁻¹B S⁻¹ B'D⁻¹): each quality's posterior variance in units of σ²."""
    scaled = system.cross / system.per_team[:, None]
    through_juries = np.einsum("tj,tj->t", scaled @ inverse, scaled)
    return 1.0 / system.per_team + through_juries


def _em_ridge(system: _System, ridge: float) -> float | None:
    """One EM step on λ = σ²/τ²; None when σ² cannot be estimated."""
    solution = _solve(system, ridge)
    variance, _ = _residual_variance(system, solution, ridge)
    if variance is None:
        return None
    posterior = variance * solution.inverse_diagonal(system)
    spread = float(np.mean(solution.severity**2 + posterior))
    return float(np.clip(variance / max(spread, 1e-12), *RIDGE_BOUNDS))
