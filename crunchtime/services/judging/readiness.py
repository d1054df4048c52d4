"""How complete a round's judging is, in plain figures: what organisers read, and must
acknowledge when something is missing, before an irreversible step (closing a round,
publishing the results, moving the edition past judging)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Edition,
    JudgingRound,
    JuryAssignment,
    MatchingRun,
    RoundEntry,
    Team,
)
from crunchtime.services.judging.ledger.queries import round_scores


@dataclass(frozen=True)
class RoundReadiness:
    """A round's judging in counts. A team is fully judged when each jury assigned to it (and
    not told the team was absent) has scored every criterion."""

    round_id: int
    number: int
    name: str
    status: str
    juries_per_team: int
    criteria: int
    teams: int
    teams_fully_judged: int
    teams_absent: int
    teams_without_jury: int
    teams_unscored: int
    teams_single_jury: int
    expected_scores: int
    recorded_scores: int
    juries: int
    juries_unfinished: int

    @property
    def missing_scores(self) -> int:
        return max(self.expected_scores - self.recorded_scores, 0)

    @property
    def teams_not_fully_judged(self) -> int:
        return self.teams - self.teams_fully_judged - self.teams_absent

    @property
    def single_jury_matters(self) -> bool:
        """One jury's score is a gap only where the round asks for more than one jury."""
        return self.juries_per_team > 1 and self.teams_single_jury > 0

    @property
    def complete(self) -> bool:
        return (self.teams > 0 and self.missing_scores == 0
                and self.teams_not_fully_judged == 0 and not self.single_jury_matters)


def _pairs(judging_round: JudgingRound) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The round's (jury, team) assignments: those to score, and those skipped as absent."""
    active, absent = set(), set()
    for jury, team, status in db.session.execute(
            sa.select(JuryAssignment.jury_id, JuryAssignment.team_id, JuryAssignment.status)
            .where(JuryAssignment.round_id == judging_round.id)):
        (absent if status == "absent" else active).add((jury, team))
    return active, absent


def round_readiness(judging_round: JudgingRound) -> RoundReadiness:
    """Replay the round's ledger once and count what is scored against what is expected."""
    criteria = {criterion.id for criterion in judging_round.criteria}
    teams = set(db.session.scalars(sa.select(RoundEntry.team_id)
                                   .where(RoundEntry.round_id == judging_round.id)))
    active, absent = _pairs(judging_round)
    scored: dict[tuple[int, int], int] = defaultdict(int)
    juries_of_team: dict[int, set[int]] = defaultdict(set)
    for jury, team, criterion in round_scores(judging_round.id):
        if criterion in criteria:
            scored[jury, team] += 1
            juries_of_team[team].add(jury)
    complete_pairs = {pair for pair in active if criteria and scored[pair] >= len(criteria)}
    active_by_team: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for pair in active:
        active_by_team[pair[1]].add(pair)
    assigned_teams = set(active_by_team)
    absent_teams = {team for _jury, team in absent} - assigned_teams
    return RoundReadiness(
        round_id=judging_round.id, number=judging_round.number, name=judging_round.name,
        status=judging_round.status, juries_per_team=judging_round.juries_per_team,
        criteria=len(criteria), teams=len(teams),
        teams_fully_judged=sum(1 for team in teams & assigned_teams
                               if active_by_team[team] <= complete_pairs),
        teams_absent=len(teams & absent_teams),
        teams_without_jury=len(teams - assigned_teams - absent_teams),
        teams_unscored=sum(1 for team in teams - absent_teams if not juries_of_team[team]),
        teams_single_jury=sum(1 for team in teams if len(juries_of_team[team]) == 1),
        expected_scores=len(active) * len(criteria),
        recorded_scores=sum(min(scored[pair], len(criteria)) for pair in active),
        juries=len({jury for jury, _team in active}),
        juries_unfinished=len({jury for jury, _team in active - complete_pairs}),
    )


def open_rounds(edition: Edition) -> list[RoundReadiness]:
    """The edition's rounds still open for scoring, each with its figures."""
    rounds = db.session.scalars(
        sa.select(JudgingRound).where(JudgingRound.edition_id == edition.id,
                                      JudgingRound.status == "open")
        .order_by(JudgingRound.number))
    return [round_readiness(judging_round) for judging_round in rounds]


@dataclass(frozen=True)
class RoundSetup:
    """Who takes part in a round, for the round page: the teams come from the published
    matching, and assigning the juries enters them."""

    matching_published: bool
    edition_teams: int


def round_setup(edition: Edition) -> RoundSetup:
    published = db.session.scalar(
        sa.select(sa.func.count(MatchingRun.id))
        .where(MatchingRun.edition_id == edition.id, MatchingRun.status == "published"))
    teams = db.session.scalar(sa.select(sa.func.count(Team.id))
                              .where(Team.edition_id == edition.id))
    return RoundSetup(bool(published), teams or 0)
