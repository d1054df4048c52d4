"""A company's view of the teams on its own challenges: their stages (to coach them), their
submissions read-only once companies may read them, and its private "interested" marks."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Edition,
    Interest,
    Submission,
    SubmissionVersion,
    Team,
    User,
)
from crunchtime.services.audit import record_audit
from crunchtime.services.teams.space import load_team

NOTE_MAX = 2000


@dataclass(frozen=True)
class CompanyTeamRow:
    team: Team
    challenge: Challenge
    title: str
    interest: Interest | None


def company_organisation_id(user: User) -> int:
    if user.role != "company" or user.organisation_id is None:
        raise Forbidden(_("Only members of a partner organisation can see this page."))
    return user.organisation_id


def company_team_rows(user: User, edition: Edition) -> list[CompanyTeamRow]:
    """The teams on the organisation's challenges of this edition (one query)."""
    organisation_id = company_organisation_id(user)
    current = sa.and_(SubmissionVersion.submission_id == Submission.id,
                      SubmissionVersion.number == Submission.version)
    rows = db.session.execute(
        sa.select(Team, Challenge, SubmissionVersion.title, Interest)
        .join(Challenge, Team.challenge_id == Challenge.id)
        .outerjoin(Submission, Submission.team_id == Team.id)
        .outerjoin(SubmissionVersion, current)
        .outerjoin(Interest, sa.and_(Interest.team_id == Team.id,
                                     Interest.organisation_id == organisation_id))
        .where(Team.edition_id == edition.id, Challenge.organisation_id == organisation_id)
        .order_by(Challenge.code, Team.code)).all()
    return [CompanyTeamRow(team, challenge, title or "", interest)
            for team, challenge, title, interest in rows]


def company_team(user: User, team_id: int) -> Team:
    """The team if it works on one of the organisation's challenges (403 otherwise)."""
    organisation_id = company_organisation_id(user)
    team = load_team(team_id)
    if team.challenge.organisation_id != organisation_id:
        raise Forbidden(_("This team works on another organisation's challenge."))
    return team


def interest_in(user: User, team: Team) -> Interest | None:
    return db.session.scalar(sa.select(Interest).where(
        Interest.team_id == team.id, Interest.organisation_id == user.organisation_id))


def mark_interest(user: User, team_id: int, note: str) -> Interest:
    """Say the organisation is interested in the team (for incubation), with a note only
    the organisation reads; marking again updates the note."""
    team = company_team(user, team_id)
    note = (note or "").strip().replace("\r\n", "\n")
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("At most %(n)d characters.", n=NOTE_MAX), field="note")
    interest = interest_in(user, team)
    if interest is None:
        interest = Interest(organisation_id=user.organisation_id, team_id=team.id)
        db.session.add(interest)
    interest.user_id = user.id
    interest.note = note
    db.session.flush()
    record_audit(user, "interest.mark", team, edition_id=team.edition_id, code=team.code,
                 organisation_id=user.organisation_id)
    db.session.commit()
    return interest


def remove_interest(user: User, team_id: int) -> None:
    team = company_team(user, team_id)
    interest = interest_in(user, team)
    if interest is not None:
        db.session.delete(interest)
        record_audit(user, "interest.remove", team, edition_id=team.edition_id,
                     code=team.code, organisation_id=user.organisation_id)
        db.session.commit()
