"""Feedback to the teams once the results are out: a team's marks per criterion against its
round's distribution, and the juries' comments, named or anonymised as organisers chose.

Who reads a team's feedback: its students, the organisation that posted its challenge (it
set the problem, coaches the team through the week and reads its submission; organisers can
turn this off) and organisers, who preview it at any time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from crunchtime.errors import Conflict, Forbidden, NotFound, PhaseClosed
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Edition,
    JudgingRound,
    JuryProfile,
    RoundEntry,
    ScoreEvent,
    Team,
    User,
)
from crunchtime.scoring.distribution import Spread, position, spread_of, weighted_share
from crunchtime.services.audit import record_audit
from crunchtime.services.judging.ledger.queries import in_force, ledger_events, replay
from crunchtime.services.judging.results import teams_of_viewer

SETTINGS_KEY = "team_feedback"
COMMENT_MODES = ("hidden", "anonymous", "named")


@dataclass(frozen=True)
class FeedbackSettings:
    """Whether teams read their feedback now, how comments are signed, and whether the
    challenge's organisation reads it too."""

    open: bool = False
    comments: str = "anonymous"
    companies: bool = True


def feedback_settings(edition: Edition) -> FeedbackSettings:
    stored = (edition.settings or {}).get(SETTINGS_KEY) or {}
    comments = stored.get("comments", "anonymous")
    return FeedbackSettings(open=bool(stored.get("open", False)),
                            comments=comments if comments in COMMENT_MODES else "anonymous",
                            companies=bool(stored.get("companies", True)))


def results_published(edition: Edition) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(JudgingRound.id))
        .where(JudgingRound.edition_id == edition.id,
               JudgingRound.results_published_at.is_not(None))) > 0


def set_feedback_settings(actor, edition: Edition, *, open: bool, comments: str,
                          companies: bool) -> FeedbackSettings:
    """Save the organisers' choice (audited); feedback opens only after the results."""
    if comments not in COMMENT_MODES:
        raise Conflict(_("Choose how the juries' comments are shown."), field="comments")
    if open and not results_published(edition):
        raise Conflict(_("Publish the results before opening the feedback to the teams."),
                       field="open")
    chosen = FeedbackSettings(open=open, comments=comments, companies=companies)
    before = feedback_settings(edition)
    edition.settings = {**(edition.settings or {}),
                        SETTINGS_KEY: {"open": open, "comments": comments,
                                       "companies": companies}}
    record_audit(actor, "judging.feedback_settings", edition, edition_id=edition.id,
                 open=open, comments=comments, companies=companies,
                 was_open=before.open, was_comments=before.comments)
    db.session.commit()
    return chosen


@dataclass(frozen=True)
class CriterionFeedback:
    """A team's mean mark on one criterion and the round's spread of the teams' means."""

    label: str
    weight: float
    scale_min: float
    scale_max: float
    value: float | None
    juries: int
    spread: Spread | None

    def at(self, value: float) -> float:
        """Where `value` sits on this criterion's scale, in % (for the chart)."""
        return position(value, self.scale_min, self.scale_max)


@dataclass(frozen=True)
class JuryComment:
    author: str
    text: str


@dataclass(frozen=True)
class RoundFeedback:
    number: int
    name: str
    published: bool
    teams: int
    criteria: list[CriterionFeedback]
    overall: CriterionFeedback | None
    comments: list[JuryComment]

    @property
    def scored(self) -> bool:
        return any(c.value is not None for c in self.criteria)


@dataclass(frozen=True)
class TeamFeedback:
    team: Team
    challenge: Challenge
    organisation: str
    settings: FeedbackSettings
    rounds: list[RoundFeedback]
    published: bool


def _label(criterion) -> str:
    english = str(get_locale() or "fr").startswith("en")
    return criterion.label_en if english and criterion.label_en else criterion.label_fr


def _team_means(cells: dict) -> dict[int, dict[int, list[float]]]:
    """{team: {criterion: [each jury's mark]}} from the round's current cells."""
    marks: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (_jury, team, criterion), value in cells.items():
        marks[team][criterion].append(value)
    return marks


def _comments(events, team_id: int, mode: str) -> list[JuryComment]:
    """Each jury's comment on the team (its latest sheet's), in the order they scored it."""
    latest: dict[int, int] = {}
    first: dict[int, int] = {}
    for cell, event in in_force(events).items():
        jury = cell[0]
        latest[jury] = max(latest.get(jury, 0), event.seq)
        first[jury] = min(first.get(jury, event.seq), event.seq)
    if mode == "hidden" or not latest:
        return []
    texts = dict(db.session.execute(sa.select(ScoreEvent.seq, ScoreEvent.comment)
                                    .where(ScoreEvent.seq.in_(latest.values()))).all())
    names = {profile_id: user.full_name for profile_id, user in db.session.execute(
        sa.select(JuryProfile.id, User).join(User, User.id == JuryProfile.user_id)
        .where(JuryProfile.id.in_(latest)))}
    comments = []
    for number, jury in enumerate(sorted(latest, key=lambda jury: first[jury]), start=1):
        text = (texts.get(latest[jury]) or "").strip()
        if text:
            author = names.get(jury) if mode == "named" else None
            comments.append(JuryComment(author or _("Jury %(number)d", number=number), text))
    return comments


def _round_feedback(judging_round: JudgingRound, team_id: int, mode: str) -> RoundFeedback:
    events = ledger_events(judging_round.id)
    cells = replay(events)
    marks = _team_means(cells)
    means = {team: {criterion: sum(values) / len(values) for criterion, values in row.items()}
             for team, row in marks.items()}
    criteria = list(judging_round.criteria)
    lines = [CriterionFeedback(
        _label(criterion), criterion.weight, criterion.scale_min, criterion.scale_max,
        means.get(team_id, {}).get(criterion.id),
        len(marks.get(team_id, {}).get(criterion.id, [])),
        spread_of([row[criterion.id] for row in means.values() if criterion.id in row]))
        for criterion in criteria]
    scales = {c.id: (c.weight, c.scale_min, c.scale_max) for c in criteria}
    overall_of = {team: weighted_share(row, scales) for team, row in means.items()}
    overall = CriterionFeedback(
        _("Weighted overall, out of 100"), 1, 0, 100, overall_of.get(team_id),
        len({jury for jury, team, _c in cells if team == team_id}),
        spread_of([share for share in overall_of.values() if share is not None]))
    team_events = [event for event in events if event.team == team_id]
    return RoundFeedback(judging_round.number, judging_round.name,
                         judging_round.results_published_at is not None, len(means), lines,
                         overall if overall.value is not None else None,
                         _comments(team_events, team_id, mode))


def team_feedback(team: Team, settings: FeedbackSettings, *, preview: bool = False
                  ) -> TeamFeedback:
    """The team's feedback in every round it entered; a preview also shows rounds whose
    results are not published yet (teams never see those)."""
    query = (sa.select(JudgingRound).join(RoundEntry, RoundEntry.round_id == JudgingRound.id)
             .where(RoundEntry.team_id == team.id).order_by(JudgingRound.number))
    if not preview:
        query = query.where(JudgingRound.results_published_at.is_not(None))
    rounds = [_round_feedback(r, team.id, settings.comments) for r in db.session.scalars(query)]
    edition = db.session.get(Edition, team.edition_id)
    challenge = team.challenge
    return TeamFeedback(team, challenge, challenge.organisation.name, settings,
                        [r for r in rounds if r.scored], results_published(edition))


def _team(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound(_("This team does not exist."))
    return team


def readable_feedback(user, team_id: int) -> TeamFeedback:
    """The feedback `user` may read: its own team's (students), its challenges' teams'
    (companies, when allowed); only once results are published and feedback is open."""
    team = _team(team_id)
    edition = db.session.get(Edition, team.edition_id)
    if team.id not in teams_of_viewer(user, edition):
        raise NotFound(_("This team does not exist."))
    settings = feedback_settings(edition)
    if user.role == "company" and not settings.companies:
        raise Forbidden(_("The organisers share the juries' feedback with the teams only."))
    if not results_published(edition):
        raise PhaseClosed(_("The juries' feedback is available once the results are "
                            "published."))
    if not settings.open:
        raise PhaseClosed(_("The organisers have not opened the juries' feedback yet."))
    return team_feedback(team, settings)


def preview_feedback(edition: Edition, team_id: int) -> TeamFeedback:
    """What the team will read, for organisers, whatever the settings and the phase."""
    team = _team(team_id)
    if team.edition_id != edition.id:
        raise NotFound(_("This team does not exist."))
    return team_feedback(team, feedback_settings(edition), preview=True)


def scored_teams(edition: Edition) -> list[Team]:
    """The edition's teams that have at least one score, for the organisers' preview."""
    scored = sa.select(ScoreEvent.team_id).distinct()
    return list(db.session.scalars(
        sa.select(Team).where(Team.edition_id == edition.id, Team.id.in_(scored))
        .order_by(Team.code)))


@dataclass(frozen=True)
class ViewerFeedback:
    """The teams whose feedback a student or a company may open, or why none yet."""

    teams: list[Team]
    refusal: str | None


def viewer_feedback(user, edition: Edition | None) -> ViewerFeedback:
    if edition is None:
        return ViewerFeedback([], _("There is no current edition."))
    ids = teams_of_viewer(user, edition)
    teams = list(db.session.scalars(sa.select(Team).where(Team.id.in_(ids))
                                    .order_by(Team.code))) if ids else []
    settings = feedback_settings(edition)
    refusal = None
    if not teams:
        refusal = (_("You are not in a team in this edition.") if user.role == "student"
                   else _("No team works on your organisation's challenges in this edition."))
    elif user.role == "company" and not settings.companies:
        refusal = _("The organisers share the juries' feedback with the teams only.")
    elif not results_published(edition):
        refusal = _("The juries' feedback is available once the results are published.")
    elif not settings.open:
        refusal = _("The organisers have not opened the juries' feedback yet.")
    return ViewerFeedback(teams, refusal)
