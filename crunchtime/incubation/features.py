"""From raw signals to features between 0 and 1, each relative to the edition where a raw
value would not compare across editions (scores and originality become percentiles)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from crunchtime.incubation.originality import nearest_neighbour_distances
from crunchtime.incubation.signals import RATING_MAX, RATING_MIN, SIGNALS, TeamSignals

PLAN_SHARE = 0.25  # what a written plan adds to a declared wish to continue


@dataclass(frozen=True)
class TeamFeatures:
    """One team's features (`values[signal]` in 0–1) and the ranks its reasons quote:
    top x % of the edition by calibrated score and by originality (None: not ranked)."""

    team_id: int
    values: dict[str, float]
    score_top_percent: int | None = None
    original_top_percent: int | None = None

    def vector(self) -> list[float]:
        return [self.values[name] for name in SIGNALS]


def percentiles(values: Mapping[int, float | None]) -> dict[int, float]:
    """Team → share of the ranked teams it is at least as good as (0 worst, 1 best); ties
    share their mean rank; teams without a value are left out."""
    known = {team: value for team, value in values.items() if value is not None}
    if not known:
        return {}
    if len(known) == 1:
        return dict.fromkeys(known, 1.0)
    ranks = rankdata(list(known.values()), method="average")
    return {team: float((rank - 1) / (len(known) - 1))
            for team, rank in zip(known, ranks, strict=True)}


def top_percent(values: Mapping[int, float | None]) -> dict[int, int]:
    """Team → the smallest x such that it is in the top x % (the best team: 100/n)."""
    known = {team: value for team, value in values.items() if value is not None}
    if not known:
        return {}
    ranks = rankdata([-value for value in known.values()], method="min")
    return {team: max(1, math.ceil(100 * rank / len(known)))
            for team, rank in zip(known, ranks, strict=True)}


def _certainties(teams: Sequence[TeamSignals]) -> dict[int, float]:
    widths = {t.team_id: t.interval_width for t in teams if t.scored}
    known = [width for width in widths.values() if width is not None]
    widest = max(known, default=0.0)
    return {team: (1.0 if widest == 0 else 1.0 - width / widest) if width is not None else 0.0
            for team, width in widths.items()}


def _own_values(team: TeamSignals) -> dict[str, float]:
    """The features that need no other team."""
    rating = team.mean_rating
    continuation = 0.0
    if team.wants_to_continue:
        continuation = 1.0 - PLAN_SHARE + (PLAN_SHARE if team.has_plan else 0.0)
    return {
        "nominations": min(1.0, team.nominations / max(team.juries, team.nominations, 1)),
        "nomination_ratings": 0.0 if rating is None
        else float(np.clip((rating - RATING_MIN) / (RATING_MAX - RATING_MIN), 0, 1)),
        "company_interest": 1.0 if team.interested else 0.0,
        "continuation": continuation,
        "completeness": team.parts_done / team.parts_total if team.parts_total else 0.0,
    }


def edition_features(teams: Sequence[TeamSignals],
                     references: tuple[str, ...] = ()) -> dict[int, TeamFeatures]:
    """Every team's features, the edition's teams being ranked against each other."""
    scores = {t.team_id: t.calibrated_score for t in teams}
    distances = nearest_neighbour_distances({t.team_id: t.text for t in teams}, references)
    score_ranks, original_ranks = percentiles(scores), percentiles(distances)
    score_tops, original_tops = top_percent(scores), top_percent(distances)
    certainty = _certainties(teams)
    features = {}
    for team in teams:
        values = {
            "jury_score": score_ranks.get(team.team_id, 0.0),
            "score_certainty": certainty.get(team.team_id, 0.0),
            "originality": original_ranks.get(team.team_id, 0.0),
            **_own_values(team),
        }
        features[team.team_id] = TeamFeatures(
            team.team_id, {name: values[name] for name in SIGNALS},
            score_tops.get(team.team_id), original_tops.get(team.team_id))
    return features
