"""The organisers' review of flagged teams: the queue, a team's evidence, the decisions
(audited; a shortlisted team is told by e-mail) and the shortlist for the committee."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from crunchtime.errors import InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Criterion,
    Edition,
    IncubationFlag,
    IncubationNomination,
    Interest,
    JuryProfile,
    Organisation,
    ScoreEvent,
    Submission,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.models.incubation import FLAG_STATUSES
from crunchtime.realtime.publish import publish
from crunchtime.realtime.rooms import ORGANIZERS
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_phase
from crunchtime.services.incubation.flags import require_writable
from crunchtime.services.judging.ledger.queries import (
    ScoreLine,
    in_force,
    ledger_events,
    score_lines,
)
from crunchtime.services.judging.rounds import edition_rounds
from crunchtime.services.mail import deliver_mail, external_url, queue_mail
from crunchtime.services.teams.space import teammates

NOTE_MAX = 2000
ORDERS = ("score", "model")
SHORTLIST_STATUSES = ("shortlisted", "incubated")


@dataclass(frozen=True)
class QueueRow:
    flag: IncubationFlag
    team: Team
    challenge: Challenge
    organisation: str
    title: str
    pitch: str


def _flag_rows(edition: Edition):
    current = sa.and_(SubmissionVersion.submission_id == Submission.id,
                      SubmissionVersion.number == Submission.version)
    return (sa.select(IncubationFlag, Team, Challenge, Organisation.name, SubmissionVersion.title,
                      SubmissionVersion.pitch)
            .join(Team, Team.id == IncubationFlag.team_id)
            .join(Challenge, Challenge.id == Team.challenge_id)
            .join(Organisation, Organisation.id == Challenge.organisation_id)
            .outerjoin(Submission, Submission.team_id == Team.id)
            .outerjoin(SubmissionVersion, current)
            .where(Team.edition_id == edition.id))


def review_queue(edition: Edition, challenge_id: int | None = None,
                 status: str | None = None, order: str = "score",
                 flag_id: int | None = None) -> list[QueueRow]:
    """The flagged teams, best first by transparent score (or by the model's probability)."""
    query = _flag_rows(edition)
    if flag_id is not None:
        query = query.where(IncubationFlag.id == flag_id)
    if challenge_id:
        query = query.where(Team.challenge_id == challenge_id)
    if status in FLAG_STATUSES:
        query = query.where(IncubationFlag.status == status)
    if order == "model":
        query = query.order_by(sa.func.coalesce(IncubationFlag.model_probability, -1).desc())
    query = query.order_by(IncubationFlag.score.desc(), Team.code)
    return [QueueRow(flag, team, challenge, organisation, title or "", pitch or "")
            for flag, team, challenge, organisation, title, pitch
            in db.session.execute(query)]


def status_counts(edition: Edition) -> dict[str, int]:
    counts = dict(db.session.execute(
        sa.select(IncubationFlag.status, sa.func.count()).join(Team)
        .where(Team.edition_id == edition.id).group_by(IncubationFlag.status)).all())
    return {status: counts.get(status, 0) for status in FLAG_STATUSES}


def get_flag(edition: Edition, flag_id: int) -> IncubationFlag:
    flag = db.session.get(IncubationFlag, flag_id)
    if flag is None or db.session.get(Team, flag.team_id).edition_id != edition.id:
        raise NotFound(_("This team is not flagged for incubation in this edition."))
    return flag


@dataclass(frozen=True)
class Evidence:
    row: QueueRow
    members: list
    version: SubmissionVersion | None
    nominations: list[tuple[str, IncubationNomination]]
    interests: list[tuple[str, Interest]]


def evidence(edition: Edition, flag_id: int) -> Evidence:
    """What the review of one team rests on (scores and comments come from score_lines)."""
    rows = review_queue(edition, flag_id=flag_id)
    if not rows:
        raise NotFound(_("This team is not flagged for incubation in this edition."))
    row = rows[0]
    flag = row.flag
    submission = db.session.scalar(sa.select(Submission).where(Submission.team_id == flag.team_id))
    version = db.session.scalar(sa.select(SubmissionVersion).where(
        SubmissionVersion.submission_id == submission.id,
        SubmissionVersion.number == submission.version)) if submission else None
    jury_user = aliased(User)
    nominations = db.session.execute(
        sa.select(jury_user, IncubationNomination)
        .join(JuryProfile, JuryProfile.id == IncubationNomination.jury_id)
        .join(jury_user, jury_user.id == JuryProfile.user_id)
        .where(IncubationNomination.team_id == flag.team_id,
               IncubationNomination.withdrawn.is_(False))).all()
    interests = db.session.execute(
        sa.select(Organisation.name, Interest).join(Organisation)
        .where(Interest.team_id == flag.team_id).order_by(Organisation.name)).all()
    return Evidence(row, teammates(row.team), version,
                    [(user.full_name, nomination) for user, nomination in nominations],
                    [(name, interest) for name, interest in interests])


def _notify_shortlist(team: Team) -> list:
    link = external_url("team.space", team_id=team.id)
    messages = []
    for mate in teammates(team):
        user = db.session.get(User, mate.user_id)
        with force_locale(user.locale or "fr"):
            subject = _("Crunch Time: your project is shortlisted for incubation")
            body = render_template("mail/incubation_shortlist.txt", user=user, team=team,
                                   link=link)
        messages.append(queue_mail(user.email, subject, body, kind="incubation"))
    return messages


def decide(actor, edition: Edition, flag_id: int, status: str, note: str = "") -> IncubationFlag:
    """Shortlist, decline (with a reason), mark incubated, or put back to review."""
    require_phase(edition, "review_incubation")
    require_writable(edition)
    flag = get_flag(edition, flag_id)
    note = (note or "").strip().replace("\r\n", "\n")
    if status not in FLAG_STATUSES:
        raise InvalidInput(_("Unknown decision."), field="status")
    if status == "declined" and not note:
        raise InvalidInput(_("Give the reason for declining: the committee and the team "
                             "will want to know."), field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="note")
    previous = flag.status
    team = db.session.get(Team, flag.team_id)
    flag.status, flag.note = status, note
    flag.decided_by_id = getattr(actor, "id", None) if status != "flagged" else None
    flag.decided_at = utcnow() if status != "flagged" else None
    newly_shortlisted = status == "shortlisted" and previous != "shortlisted"
    messages = _notify_shortlist(team) if newly_shortlisted else []
    record_audit(actor, "incubation.decide", flag, edition_id=edition.id, team=team.code,
                 status=status, previous=previous, note=note)
    db.session.commit()
    deliver_mail(messages)
    publish("cockpit", {"changed": ["incubation"]}, room=ORGANIZERS)
    return flag


SHORTLIST_COLUMNS = ["team", "team_name", "challenge", "organisation", "status", "score",
                     "model_probability", "title", "pitch", "reasons", "members", "note"]


def shortlist(edition: Edition) -> list[QueueRow]:
    return [row for row in review_queue(edition) if row.flag.status in SHORTLIST_STATUSES]


def scores_by_team(edition: Edition) -> dict[str, list[ScoreLine]]:
    """Every score in force, with the jury's comment, by team code."""
    found: dict[str, list[ScoreLine]] = {}
    for line in score_lines(edition_rounds(edition)):
        found.setdefault(line.team_code, []).append(line)
    return found


def team_scores(edition: Edition, team_id: int) -> list[TeamScore]:
    """One team's scores in force: (jury, criterion, value, comment), by round then jury."""
    seqs = [event.seq for judging_round in edition_rounds(edition)
            for event in in_force(ledger_events(judging_round.id, team_id=team_id)).values()]
    if not seqs:
        return []
    jury_user = aliased(User)
    rows = db.session.execute(
        sa.select(jury_user.first_name, jury_user.last_name, Criterion.label_fr,
                  ScoreEvent.value, ScoreEvent.comment)
        .join(JuryProfile, JuryProfile.id == ScoreEvent.jury_id)
        .join(jury_user, jury_user.id == JuryProfile.user_id)
        .join(Criterion, Criterion.id == ScoreEvent.criterion_id)
        .where(ScoreEvent.seq.in_(seqs))
        .order_by(ScoreEvent.round_id, jury_user.last_name, jury_user.first_name,
                  Criterion.position)).all()
    return [TeamScore(f"{first} {last}".strip(), label, value, comment or "")
            for first, last, label, value, comment in rows]


@dataclass(frozen=True)
class TeamScore:
    jury_name: str
    criterion_label: str
    value: float
    comment: str
