"""A synthetic judging with planted truth, to check (test, benchmark, demo) that calibration
recovers what the juries' severities hide."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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


def synthetic_judging(
    *, teams: int = 300, juries: int = 100, challenges: int = 60, organisations: int = 40,
    seed: int = 0, severity_sd: float = 0.7, noise_range: tuple[float, float] = (0.3, 0.9),
) -> SyntheticJudging:
    """Teams of N(0, 1) quality spread over challenges; juries with N(0, sd) severity and
    their own noise, 60 % of them from a challenge's organisation; 5 % declare a conflict."""
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
    return SyntheticJudging(
        juries=jury_rows, teams=tuple(team_rows), conflicts=conflicts, criteria=dict(CRITERIA),
        quality={team.id: float(q) for team, q in zip(team_rows, rng.normal(0, 1, teams),
                                                       strict=True)},
        severity={j.id: float(b) for j, b in zip(jury_rows, rng.normal(0, severity_sd, juries),
                                                  strict=True)},
        noise={j.id: float(s) for j, s in zip(jury_rows, rng.uniform(*noise_range, juries),
                                               strict=True)},
    )


def simulate_scores(
    judging: SyntheticJudging, pairs: Iterable[tuple[int, int]], *, seed: int = 0
) -> dict[Cell, float]:
    """Each assigned jury scores each criterion: quality + severity + noise, on the scale's
    integer steps (rounded and clipped, as a phone slider would)."""
    rng = np.random.default_rng(seed)
    scores: dict[Cell, float] = {}
    for jury, team in sorted(pairs):
        for criterion, scale in judging.criteria.items():
            latent = (judging.quality[team] + judging.severity[jury]
                      + rng.normal(0, judging.noise[jury]))
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
