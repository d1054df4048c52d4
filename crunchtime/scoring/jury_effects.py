"""The additive jury-effect model: value = team quality + jury severity + noise.

Fitted by ridge-penalised least squares on a sparse design (one row per jury–team score).
Only severities are penalised, so within each connected component they sum to zero and
qualities sit on an average jury's scale. The ridge λ = σ²/τ² comes from EM on the two
variance components unless given. Qualities are eliminated through their diagonal block
(Schur complement), so the dense algebra is one juries × juries Cholesky per step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.sparse import csr_matrix

MAX_EM_STEPS = 50
RIDGE_BOUNDS = (1e-2, 1e4)


@dataclass(frozen=True)
class _System:
    """Normal equations [[D, B], [B', C + λI]] with D, C diagonal (scores per team, per jury)."""

    per_team: np.ndarray
    per_jury: np.ndarray
    cross: csr_matrix
    team_sums: np.ndarray
    jury_sums: np.ndarray
    jury: np.ndarray
    team: np.ndarray
    values: np.ndarray


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
    *, ridge: float | None = None,
) -> JuryEffectFit:
    """Fit the model; every team index in 0..n_teams-1 must have at least one row."""
    system = _system(jury, team, values, n_juries, n_teams)
    strength = 1.0 if ridge is None else ridge
    for _ in range(MAX_EM_STEPS if ridge is None else 0):
        updated = _em_ridge(system, strength)
        if updated is None or abs(np.log(updated / strength)) < 1e-4:
            break
        strength = updated
    inverse, quality, severity = _solve(system, strength)
    variance, dof = _residual_variance(system, inverse, quality, severity, strength)
    std = None
    if variance is not None:
        std = np.sqrt(variance * _quality_variance_factor(system, inverse))
    return JuryEffectFit(quality, severity, std, variance, dof, strength, inverse, system)


def _system(jury, team, values, n_juries: int, n_teams: int) -> _System:
    cross = csr_matrix((np.ones(len(values)), (team, jury)), shape=(n_teams, n_juries))
    return _System(
        per_team=np.bincount(team, minlength=n_teams).astype(float),
        per_jury=np.bincount(jury, minlength=n_juries).astype(float),
        cross=cross,
        team_sums=np.bincount(team, weights=values, minlength=n_teams),
        jury_sums=np.bincount(jury, weights=values, minlength=n_juries),
        jury=jury, team=team, values=values,
    )


def _solve(system: _System, ridge: float):
    """S⁻¹ for the Schur complement S = C + λI − B'D⁻¹B, then severities and qualities."""
    scaled = csr_matrix(system.cross.multiply(1.0 / system.per_team[:, None]))
    schur = np.diag(system.per_jury + ridge) - (system.cross.T @ scaled).toarray()
    inverse = cho_solve(cho_factor(schur), np.eye(len(schur)))
    severity = inverse @ (system.jury_sums - scaled.T @ system.team_sums)
    quality = (system.team_sums - system.cross @ severity) / system.per_team
    return inverse, quality, severity


def _residual_variance(system: _System, inverse, quality, severity, ridge: float):
    """σ² = RSS / (n − effective parameters); None when no residual freedom is left."""
    effective = len(quality) + len(severity) - ridge * np.trace(inverse)
    dof = float(len(system.values) - effective)
    if dof < 0.5:
        return None, dof
    residual = system.values - quality[system.team] - severity[system.jury]
    return float(residual @ residual) / dof, dof


def _quality_variance_factor(system: _System, inverse: np.ndarray) -> np.ndarray:
    """diag(D⁻¹ + D⁻¹B S⁻¹ B'D⁻¹): each quality's posterior variance in units of σ²."""
    scaled = (system.cross.multiply(1.0 / system.per_team[:, None])).toarray()
    through_juries = np.einsum("tj,tj->t", scaled @ inverse, scaled)
    return 1.0 / system.per_team + through_juries


def _em_ridge(system: _System, ridge: float) -> float | None:
    """One EM step on λ = σ²/τ²; None when σ² cannot be estimated."""
    inverse, quality, severity = _solve(system, ridge)
    variance, _ = _residual_variance(system, inverse, quality, severity, ridge)
    if variance is None:
        return None
    posterior = variance * np.diag(inverse)
    spread = float(np.mean(severity**2 + posterior))
    return float(np.clip(variance / max(spread, 1e-12), *RIDGE_BOUNDS))
