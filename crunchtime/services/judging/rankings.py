"""A round's three rankings (raw, z-score, calibrated) computed from the replayed ledger."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, JudgingRound, Team
from crunchtime.scoring import ESTIMATORS, CriterionScale, Ranking, rank_teams
from crunchtime.services.accounts.jury_profiles import jury_names
from crunchtime.services.judging.ledger.queries import last_seq, round_scores
from crunchtime.services.judging.rounds import round_team_ids
from crunchtime.services.judging.words import translated_scoring_errors

DEFAULT_TOP_K = 10
DEFAULT_DRAWS = 1000


@dataclass(frozen=True)
class TeamInfo:
    id: int
    code: str
    name: str
    challenge_id: int
    challenge_code: str
    challenge_title: str


@dataclass(frozen=True)
class RoundRankings:
    """The rankings of one round as of `upto_seq` (None: the whole ledger)."""

    judging_round: JudgingRound
    rankings: dict[str, Ranking]
    teams: dict[int, TeamInfo]
    public: str
    upto_seq: int | None
    last_seq: int
    top_k: int
    juries: dict[int, str] | None = None

    @property
    def public_ranking(self) -> Ranking:
        return self.rankings[self.public]


def team_infos(team_ids: Iterable[int]) -> dict[int, TeamInfo]:
    team_ids = list(team_ids)
    if not team_ids:
        return {}
    rows = db.session.execute(
        sa.select(Team, Challenge.code, Challenge.title)
        .join(Challenge, Challenge.id == Team.challenge_id).where(Team.id.in_(team_ids))
    )
    return {team.id: TeamInfo(team.id, team.code, team.display_name, team.challenge_id, code,
                              title) for team, code, title in rows}


def criterion_scales(judging_round: JudgingRound) -> dict[int, CriterionScale]:
    return {c.id: CriterionScale(weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max)
            for c in judging_round.criteria}


def round_rankings(judging_round: JudgingRound, *, upto_seq: int | None = None,
                   top_k: int = DEFAULT_TOP_K, draws: int = DEFAULT_DRAWS,
                   estimators: Iterable[str] = ESTIMATORS) -> RoundRankings:
    """Rank the round's teams by each estimator; unscored teams come last."""
    edition = db.session.get(Edition, judging_round.edition_id)
    team_ids = round_team_ids(judging_round)
    scores = round_scores(judging_round.id, upto_seq)
    estimators = list(estimators)
    if edition.leaderboard_estimator not in estimators:
        estimators.append(edition.leaderboard_estimator)
    with translated_scoring_errors():
        rankings = rank_teams(scores, criterion_scales(judging_round), teams=team_ids,
                              estimators=estimators, top_k=top_k, draws=draws,
                              seed=judging_round.id)
    teams = team_infos(set(team_ids) | {team for _jury, team, _criterion in scores})
    return RoundRankings(judging_round, rankings, teams, edition.leaderboard_estimator,
                         upto_seq, last_seq(judging_round.id), top_k, jury_names(edition))


def best_per_challenge(ranking: Ranking, teams: dict[int, TeamInfo],
                       places: int = 1) -> dict[int, list[int]]:
    """Challenge id → its best scored teams in the ranking's order (at most `places`)."""
    best: dict[int, list[int]] = {}
    for row in ranking.standings:
        if not row.scored:
            continue
        winners = best.setdefault(teams[row.team].challenge_id, [])
        if len(winners) < places:
            winners.append(row.team)
    return best


def display_score(estimator: str, estimate: float | None) -> float | None:
    """Out of 100 for the raw and calibrated rankings; in standard units for the z-score."""
    if estimate is None:
        return None
    return round(estimate, 2) if estimator == "zscore" else round(100 * estimate, 1)
