"""The attendance export for credits (`crunchtime export attendance FILE`, and the
organisers' download): one row per student of the edition, with their team, their
attendance and their team's final result once published."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import (
    Award,
    Challenge,
    Edition,
    Membership,
    Programme,
    StudentProfile,
    Team,
    User,
)
from crunchtime.services.presence.attendance import attendance_of

ATTENDANCE_COLUMNS = ["email", "first_name", "last_name", "programme", "team", "challenge",
                      "sessions", "sessions_present", "absences_justified",
                      "absences_unjustified", "result"]


def _results(edition: Edition) -> dict[int, str]:
    """Per team, its published places: "overall #2; C017 #1" (none before publication)."""
    places = defaultdict(list)
    rows = db.session.execute(
        sa.select(Award.team_id, Award.place, Challenge.code)
        .outerjoin(Challenge, Challenge.id == Award.challenge_id)
        .where(Award.edition_id == edition.id)
        .order_by(Award.challenge_id.is_not(None), Challenge.code, Award.place))
    for team_id, place, challenge in rows:
        places[team_id].append(f"{challenge or 'overall'} #{place}")
    return {team_id: "; ".join(items) for team_id, items in places.items()}


def attendance_rows(edition: Edition) -> Iterator[list]:
    attendance = attendance_of(edition)
    results = _results(edition)
    rows = db.session.execute(
        sa.select(User.id, User.email, User.first_name, User.last_name, Programme.name,
                  Team.id, Team.code, Challenge.code)
        .select_from(StudentProfile)
        .join(User, User.id == StudentProfile.user_id)
        .outerjoin(Programme, Programme.id == StudentProfile.programme_id)
        .outerjoin(Membership, sa.and_(Membership.student_id == StudentProfile.id,
                                       Membership.edition_id == edition.id))
        .outerjoin(Team, Team.id == Membership.team_id)
        .outerjoin(Challenge, Challenge.id == Team.challenge_id)
        .where(StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None))
        .order_by(User.email))
    for user_id, email, first, last, programme, team_id, team, challenge in rows:
        counts = attendance[user_id]
        yield [email, first, last, programme or "", team or "", challenge or "",
               counts.sessions, counts.present, counts.justified, counts.unjustified,
               results.get(team_id, "")]
