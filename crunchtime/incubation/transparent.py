"""The transparent score: each feature (0–1) times its weight (percent), added up (0–100).
Each signal's share of the score is kept, so the page can say what made it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crunchtime.incubation.features import TeamFeatures
from crunchtime.incubation.signals import SIGNALS


@dataclass(frozen=True)
class TransparentScore:
    team_id: int
    score: float
    contributions: dict[str, float]

    def leading(self) -> list[str]:
        """The signals that added points, the largest share first (ties by signal order)."""
        return sorted((name for name in SIGNALS if self.contributions[name] > 0),
                      key=lambda name: (-self.contributions[name], SIGNALS.index(name)))


def transparent_scores(features: Mapping[int, TeamFeatures],
                       weights: Mapping[str, float]) -> dict[int, TransparentScore]:
    """Team id → its score out of 100 with each signal's points; `weights` come checked
    (`check_weights`)."""
    scores = {}
    for team_id, team in features.items():
        contributions = {name: weights[name] * team.values[name] for name in SIGNALS}
        scores[team_id] = TransparentScore(team_id, round(sum(contributions.values()), 4),
                                           contributions)
    return scores


def ranked(scores: Mapping[int, TransparentScore]) -> list[TransparentScore]:
    """Best score first; equal scores by team id, so the order never flickers."""
    return sorted(scores.values(), key=lambda item: (-item.score, item.team_id))
