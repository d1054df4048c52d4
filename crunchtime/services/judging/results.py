"""From round 1 to published results: the finalists, the final, the awards, the exports."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import (
    Award,
    Challenge,
    Edition,
    JudgingRound,
    JuryAssignment,
    Membership,
    Organisation,
    RoundEntry,
    ScoreEvent,
    StudentProfile,
    Team,
)
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import PUBLIC
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.services.judging.ledger.queries import score_lines
from crunchtime.services.judging.rankings import (
    RoundRankings,
    best_per_challenge,
    display_score,
    round_rankings,
)
from crunchtime.services.judging.readiness import RoundReadiness, round_readiness
from crunchtime.services.judging.rounds import (
    edition_rounds,
    final_round,
    first_round,
    new_round,
    round_team_ids,
)
from crunchtime.services.judging.words import publish_refusal
from crunchtime.services.privacy.requests import announce_released, release_deferred_requests

MIN_FINALISTS = 2
OVERALL_PLACES = 3


@dataclass(frozen=True)
class AwardLine:
    """One place to publish: per challenge (challenge_id set) or overall (None)."""

    challenge_id: int | None
    place: int
    team_id: int
    score: float | None
    juries: int = 0
    round_id: int | None = None


def _has_scores(judging_round: JudgingRound) -> bool:
    return db.session.scalar(sa.select(sa.func.count(ScoreEvent.seq))
                             .where(ScoreEvent.round_id == judging_round.id)) > 0


def _require_first_round(edition: Edition) -> JudgingRound:
    round_one = first_round(edition)
    if round_one is None:
        raise Conflict(_("This edition has no judging round yet."))
    return round_one


def select_finalists(actor, edition: Edition, team_ids: list[int]) -> JudgingRound:
    """Put these round-1 teams in the final (created on first use with round 1's rubric)."""
    require_phase(edition, "assign_juries")
    round_one = _require_first_round(edition)
    if round_one.status != "closed":
        raise Conflict(_("Close round 1 before choosing the finalists."))
    chosen = sorted(set(team_ids))
    if len(chosen) < MIN_FINALISTS:
        raise InvalidInput(_("Choose at least %(n)d finalists.", n=MIN_FINALISTS),
                           field="teams")
    if not set(chosen) <= set(round_team_ids(round_one)):
        raise InvalidInput(_("Finalists must come from round 1."), field="teams")
    final = final_round(edition) or new_round(edition, _("Final"), "final",
                                              round_one.juries_per_team)
    db.session.flush()
    if final.status != "draft" or _has_scores(final):
        raise Conflict(_("The final has already started: its finalists can no longer change."))
    current = set(round_team_ids(final))
    for team_id in current - set(chosen):
        db.session.execute(sa.delete(JuryAssignment).where(
            JuryAssignment.round_id == final.id, JuryAssignment.team_id == team_id))
        db.session.execute(sa.delete(RoundEntry).where(
            RoundEntry.round_id == final.id, RoundEntry.team_id == team_id))
    db.session.add_all(RoundEntry(round_id=final.id, team_id=team_id)
                       for team_id in chosen if team_id not in current)
    record_audit(actor, "judging.finalists", final, edition_id=edition.id, teams=chosen)
    db.session.commit()
    return final


def award_plan(edition: Edition, winners_per_challenge: int = 1,
               overall_places: int = OVERALL_PLACES) -> list[AwardLine]:
    """Places by the edition's public estimator: per challenge from round 1, overall from the
    final once it has scores (else from round 1)."""
    round_one = _require_first_round(edition)
    first = round_rankings(round_one, estimators=[edition.leaderboard_estimator], draws=0)
    lines = _challenge_lines(first, winners_per_challenge)
    final = final_round(edition)
    overall = first
    if final is not None and _has_scores(final):
        overall = round_rankings(final, estimators=[edition.leaderboard_estimator], draws=0)
    scored = [row for row in overall.public_ranking.standings if row.scored]
    lines += [AwardLine(None, place, row.team, display_score(overall.public, row.estimate),
                        row.n_juries, overall.judging_round.id)
              for place, row in enumerate(scored[:overall_places], start=1)]
    return lines


def _challenge_lines(rankings: RoundRankings, places: int) -> list[AwardLine]:
    ranking = rankings.public_ranking
    rows = {row.team: row for row in ranking.standings}
    return [
        AwardLine(challenge_id, place, team, display_score(rankings.public, rows[team].estimate),
                  rows[team].n_juries, rankings.judging_round.id)
        for challenge_id, winners in sorted(best_per_challenge(ranking, rankings.teams,
                                                               places).items())
        for place, team in enumerate(winners, start=1)
    ]


@dataclass(frozen=True)
class PublicationCheck:
    """What publishing now would publish, and how complete the judging behind it is."""

    lines: list[AwardLine]
    rounds: list[RoundReadiness]

    @property
    def single_jury_places(self) -> int:
        wanted = {r.round_id: r.juries_per_team for r in self.rounds}
        return sum(1 for line in self.lines
                   if line.juries == 1 and wanted.get(line.round_id, 1) > 1)

    @property
    def teams_not_fully_judged(self) -> int:
        return sum(r.teams_not_fully_judged for r in self.rounds)

    @property
    def complete(self) -> bool:
        return not self.single_jury_places and all(r.complete for r in self.rounds)


def publication_check(edition: Edition) -> PublicationCheck:
    """The award plan with the figures of the rounds it comes from (round 1, and the final
    once it has scores)."""
    lines = award_plan(edition)
    used = {line.round_id for line in lines} | {_require_first_round(edition).id}
    rounds = [round_readiness(r) for r in edition_rounds(edition) if r.id in used]
    return PublicationCheck(lines, rounds)


def publish_results(actor, edition: Edition, *, acknowledge_gaps: bool = False) -> list[Award]:
    """Replace the edition's awards with the current plan and show them to everyone; with
    scores missing or places resting on one jury, only once the organiser acknowledged it."""
    require_phase(edition, "publish_results")
    still_open = [r.name for r in edition_rounds(edition) if r.status == "open"]
    if still_open:
        raise Conflict(_("Close round “%(name)s” before publishing the results.",
                         name=still_open[0]))
    check = publication_check(edition)
    lines = check.lines
    if not lines:
        raise Conflict(_("No score has been recorded: there is nothing to publish."))
    if not check.complete and not acknowledge_gaps:
        raise Conflict(publish_refusal(), field="acknowledge")
    db.session.execute(sa.delete(Award).where(Award.edition_id == edition.id))
    awards = [Award(edition_id=edition.id, challenge_id=line.challenge_id, place=line.place,
                    team_id=line.team_id, score=line.score) for line in lines]
    db.session.add_all(awards)
    now = utcnow()
    for judging_round in edition_rounds(edition):
        if _has_scores(judging_round):
            judging_round.results_published_at = now
    record_audit(actor, "judging.publish_results", edition, edition_id=edition.id,
                 estimator=edition.leaderboard_estimator, complete=check.complete,
                 single_jury_places=check.single_jury_places,
                 awards=[[line.challenge_id, line.place, line.team_id] for line in lines])
    released = release_deferred_requests()  # published results free the requests they held
    db.session.commit()
    publish("results", {"edition": edition.id}, room=PUBLIC)
    announce_released(released)
    return awards


@dataclass(frozen=True)
class PublishedAward:
    place: int
    team_code: str
    team_name: str
    challenge_code: str
    challenge_title: str
    organisation: str
    score: float | None
    team_id: int


@dataclass(frozen=True)
class PublishedResults:
    overall: list[PublishedAward]
    per_challenge: list[PublishedAward]

    @property
    def empty(self) -> bool:
        return not self.overall and not self.per_challenge


def published_results(edition: Edition) -> PublishedResults:
    rows = db.session.execute(
        sa.select(Award, Team, Challenge, Organisation.name)
        .join(Team, Team.id == Award.team_id)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .join(Organisation, Organisation.id == Challenge.organisation_id)
        .where(Award.edition_id == edition.id)
        .order_by(Challenge.code, Award.place)
    )
    overall, per_challenge = [], []
    for award, team, challenge, organisation in rows:
        line = PublishedAward(award.place, team.code, team.display_name, challenge.code,
                              challenge.title, organisation, award.score, team.id)
        (per_challenge if award.challenge_id is not None else overall).append(line)
    return PublishedResults(sorted(overall, key=lambda line: line.place), per_challenge)


RESULT_COLUMNS = ["scope", "challenge", "place", "team", "team_name", "score"]


def result_rows(edition: Edition):
    results = published_results(edition)
    for line in results.overall:
        yield ["overall", "", line.place, line.team_code, line.team_name, line.score]
    for line in results.per_challenge:
        yield ["challenge", line.challenge_code, line.place, line.team_code, line.team_name,
               line.score]


SCORE_COLUMNS = ["round", "team", "team_name", "challenge", "jury", "jury_email", "criterion",
                 "criterion_label", "value", "comment", "seq", "recorded_at"]


def score_rows(edition: Edition):
    """Every score in force, per jury and per criterion, with the jury's comment."""
    for line in score_lines(edition_rounds(edition)):
        yield [line.round_number, line.team_code, line.team_name, line.challenge_code,
               line.jury_name, line.jury_email, line.criterion_key, line.criterion_label,
               line.value, line.comment, line.seq, line.recorded_at.isoformat()]


def teams_of_viewer(user, edition: Edition) -> set[int]:
    """The teams a results page highlights: a student's own, a company's challenges' teams."""
    if user.role == "student":
        query = (sa.select(Membership.team_id).join(StudentProfile)
                 .where(StudentProfile.user_id == user.id, Membership.edition_id == edition.id))
    elif user.role == "company" and user.organisation_id is not None:
        query = (sa.select(Team.id).join(Challenge)
                 .where(Team.edition_id == edition.id,
                        Challenge.organisation_id == user.organisation_id))
    else:
        return set()
    return set(db.session.scalars(query))
