"""A synthetic judging with planted truth, to check (test, benchmark, demo) that calibration
recovers what the juries hide: severity and noise (the original family), and the families real
juries add — their own part of the scale (slope), piling up at the ceiling or the floor, one
value for every criterion of a team (halo), a few very harsh juries seeing few teams, and
unbalanced loads. Each is a parameter of the generator (`Family`), seeded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from crunchtime.scoring.eligibility import Conflict, Jury, Team
from crunchtime.scoring.observations import Cell, CriterionScale
from crunchtime.scoring.ranking import Ranking

THEMES = tuple(f"theme-{i:02d}" for i in range(12))
CRITERIA = {
    1: CriterionScale(weight=2.0, scale_min=0, scale_max=10),
    2: CriterionScale(weight=1.0, scale_min=0, scale_max=10),
    3: CriterionScale(weight=1.0, scale_min=1, scale_max=5),
    4: CriterionScale(weight=1.0, scale_min=0, scale_max=10),
}


FIVE_CRITERIA = {c: CriterionScale(weight=1.0, scale_min=0, scale_max=10) for c in range(1, 6)}


@dataclass(frozen=True)
class Family:
    """How the juries of a synthetic judging behave; the defaults are the original family.

    slope_range: each jury's use of the scale (latent = slope × (quality + noise) + severity),
    drawn uniformly in the range; generous / harsh: share of juries shifted up / down by the
    given amount on top of their severity (scores pile up at the ceiling / floor); halo_sd: a
    jury–team effect shared by all criteria, with criterion noise scaled by halo_noise;
    harsh_few: this many juries with severity harsh_shift, kept to few teams by unbalancing;
    unbalanced: share of the pairs moved to a tenth of the juries."""

    name: str = "severity"
    criteria: dict[int, CriterionScale] = field(default_factory=lambda: dict(CRITERIA))
    severity_sd: float = 0.7
    noise_range: tuple[float, float] = (0.3, 0.9)
    slope_range: tuple[float, float] = (1.0, 1.0)
    generous: float = 0.0
    generous_shift: float = 0.0
    harsh: float = 0.0
    harsh_shift: float = 0.0
    halo_sd: float = 0.0
    halo_noise: float = 1.0
    harsh_few: int = 0
    unbalanced: float = 0.0


FAMILIES = {
    family.name: family for family in (
        Family(),
        Family(name="scale", criteria=dict(FIVE_CRITERIA), slope_range=(0.3, 1.8)),
        Family(name="ceiling", criteria=dict(FIVE_CRITERIA), severity_sd=0.5,
               generous=1.0, generous_shift=1.8),
        Family(name="floor", criteria=dict(FIVE_CRITERIA), severity_sd=0.5,
               harsh=1.0, harsh_shift=-1.8),
        Family(name="halo", criteria=dict(FIVE_CRITERIA), halo_sd=0.8, halo_noise=0.2),
        Family(name="harsh_few", criteria=dict(FIVE_CRITERIA), harsh_few=5, harsh_shift=-3.0),
        Family(name="unbalanced", criteria=dict(FIVE_CRITERIA), unbalanced=0.35),
        Family(name="mixed", criteria=dict(FIVE_CRITERIA), slope_range=(0.5, 1.5),
               generous=0.3, generous_shift=1.5, harsh=0.1, harsh_shift=-1.5, halo_sd=0.5,
               halo_noise=0.5, unbalanced=0.2),
    )
}


@dataclass(frozen=True)
class SyntheticJudging:
    """Juries, teams and conflicts to assign, with the truth the scores are drawn from."""

    juries: tuple[Jury, ...]
    teams: tuple[Team, ...]
    conflicts: tuple[Conflict, ...]
    criteria: dict[int, CriterionScale]
    quality: dict[int, float]
    severity: dict[int, float]
    noise: dict[int, float]
    slope: dict[int, float] = field(default_factory=dict)
    family: Family = field(default_factory=Family)


def synthetic_judging(
    *, teams: int = 300, juries: int = 100, challenges: int = 60, organisations: int = 40,
    seed: int = 0, severity_sd: float | None = None,
    noise_range: tuple[float, float] | None = None, family: Family | str = "severity",
) -> SyntheticJudging:
    """Teams of N(0, 1) quality spread over challenges; juries with N(0, sd) severity and
    their own noise, 60 % of them from a challenge's organisation; 5 % declare a conflict.
    The family adds its slopes and shifts from a second generator, so the original family's
    draws are the same whatever the family."""
    family = FAMILIES[family] if isinstance(family, str) else family
    severity_sd = family.severity_sd if severity_sd is None else severity_sd
    noise_range = family.noise_range if noise_range is None else noise_range
    rng = np.random.default_rng(seed)
    challenge_org = rng.integers(0, organisations, size=challenges)
    challenge_tags = [frozenset(rng.choice(THEMES, 2, replace=False)) for _ in range(challenges)]
    team_rows = []
    for t in range(teams):
        c = t % challenges
        team_rows.append(Team(t + 1, challenge=c + 1, organisation=int(challenge_org[c]),
                              tags=challenge_tags[c], students=range(6 * t, 6 * t + 6)))
    jury_rows = tuple(
        Jury(1000 + j,
             organisation=int(rng.choice(challenge_org)) if rng.random() < 0.6 else None,
             tags=frozenset(rng.choice(THEMES, 3, replace=False)))
        for j in range(juries)
    )
    conflicts = tuple(
        Conflict(jury.id, "team", int(rng.integers(1, teams + 1)))
        for jury in jury_rows if rng.random() < 0.05
    )
    quality = rng.normal(0, 1, teams)
    severity = rng.normal(0, severity_sd, juries)
    noise = rng.uniform(*noise_range, juries)
    extra = np.random.default_rng([seed, 17])
    slope = extra.uniform(*family.slope_range, juries)
    shifted = extra.random(juries)
    severity = np.where(shifted < family.generous, severity + family.generous_shift, severity)
    severity = np.where(shifted > 1 - family.harsh, severity + family.harsh_shift, severity)
    severity[_harsh_few(family, juries)] += family.harsh_shift
    return SyntheticJudging(
        juries=jury_rows, teams=tuple(team_rows), conflicts=conflicts,
        criteria=dict(family.criteria),
        quality={team.id: float(q) for team, q in zip(team_rows, quality, strict=True)},
        severity={j.id: float(b) for j, b in zip(jury_rows, severity, strict=True)},
        noise={j.id: float(s) for j, s in zip(jury_rows, noise, strict=True)},
        slope={j.id: float(b) for j, b in zip(jury_rows, slope, strict=True)},
        family=family,
    )


def _harsh_few(family: Family, juries: int) -> np.ndarray:
    """Indices of the few very harsh juries: the last ones, away from the heavy first tenth."""
    return np.arange(juries - family.harsh_few, juries) if family.harsh_few else np.arange(0)


def family_pairs(
    judging: SyntheticJudging, pairs: Iterable[tuple[int, int]], *, seed: int = 0
) -> list[tuple[int, int]]:
    """The assigned pairs reshaped as the family says: the few harsh juries keep three teams
    each (the rest go to other juries), and a share of the pairs moves to a tenth of the
    juries (heavy loads there, light ones elsewhere). Every team keeps its number of juries."""
    family = judging.family
    pairs = sorted(pairs)
    if not family.harsh_few and not family.unbalanced:
        return pairs
    rng = np.random.default_rng([seed, 23])
    jury_ids = [jury.id for jury in judging.juries] or sorted({j for j, _t in pairs})
    harsh = {jury_ids[i] for i in _harsh_few(family, len(jury_ids))}
    heavy = jury_ids[:max(1, len(jury_ids) // 10)]
    others = [j for j in jury_ids if j not in harsh]
    juries_of: dict[int, set[int]] = {}
    for jury, team in pairs:
        juries_of.setdefault(team, set()).add(jury)
    kept: dict[int, int] = {}
    result = []
    for jury, team in pairs:
        target = jury
        if jury in harsh:
            kept[jury] = kept.get(jury, 0) + 1
            if kept[jury] > 3:
                target = _other(rng, others, juries_of[team])
        elif family.unbalanced and rng.random() < family.unbalanced:
            target = _other(rng, heavy, juries_of[team])
        if target is None:
            target = jury
        if target != jury:
            juries_of[team].discard(jury)
            juries_of[team].add(target)
        result.append((target, team))
    return sorted(result)


def _other(rng: np.random.Generator, candidates: list[int], taken: set[int]) -> int | None:
    free = [jury for jury in candidates if jury not in taken]
    return int(free[rng.integers(len(free))]) if free else None


def simulate_scores(
    judging: SyntheticJudging, pairs: Iterable[tuple[int, int]], *, seed: int = 0
) -> dict[Cell, float]:
    """Each assigned jury scores each criterion: slope × (quality + halo + noise) + severity,
    on the scale's integer steps (rounded and clipped, as a phone slider would)."""
    rng = np.random.default_rng(seed)
    halo_rng = np.random.default_rng([seed, 29])
    family = judging.family
    scores: dict[Cell, float] = {}
    for jury, team in sorted(pairs):
        slope = judging.slope.get(jury, 1.0)
        halo = halo_rng.normal(0, family.halo_sd) if family.halo_sd else 0.0
        for criterion, scale in judging.criteria.items():
            noise = rng.normal(0, judging.noise[jury] * family.halo_noise)
            if slope == 1 and not halo:  # the original family's sum, in its order
                latent = judging.quality[team] + judging.severity[jury] + noise
            else:
                latent = slope * (judging.quality[team] + halo + noise) + judging.severity[jury]
            middle = (scale.scale_min + scale.scale_max) / 2
            value = middle + latent * (scale.scale_max - scale.scale_min) / 5.5
            scores[(jury, team, criterion)] = float(
                np.clip(np.rint(value), scale.scale_min, scale.scale_max)
            )
    return scores


def spearman_to_truth(ranking: Ranking, quality: Mapping[int, float]) -> float:
    """Rank correlation between the scored teams' estimates and their planted quality."""
    rows = [row for row in ranking.standings if row.scored]
    estimate = [row.estimate for row in rows]
    truth = [quality[row.team] for row in rows]
    return float(stats.spearmanr(estimate, truth).statistic)


def top_recall(ranking: Ranking, quality: Mapping[int, float], n: int = 10) -> float:
    """Share of the truly best n teams that the ranking puts in its first n."""
    true_best = sorted(quality, key=lambda team: (-quality[team], team))[:n]
    return len(set(true_best) & set(ranking.order()[:n])) / n
