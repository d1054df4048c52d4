"""The organisers' cockpit: every figure of the edition's week, in a constant number of
queries whatever the number of students (a test holds it to that)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import (
    Announcement,
    DeletionRequest,
    Edition,
    IncubationFlag,
    JudgingRound,
    JuryAssignment,
    Preference,
    StudentProfile,
    Submission,
    Team,
)
from crunchtime.models.base import utcnow
from crunchtime.models.incubation import FLAG_STATUSES
from crunchtime.models.preference import MAX_RANK
from crunchtime.services.challenges.preferences import ChallengeDemand, challenge_demand
from crunchtime.services.editions.overview import edition_counts
from crunchtime.teamwork import status as rules


@dataclass(frozen=True)
class RoundProgress:
    name: str
    assignments: int
    scored: int


@dataclass(frozen=True)
class Cockpit:
    counts: dict[str, int]
    registered: list[tuple[date, int]]
    completed: list[tuple[date, int]]
    choices: dict[int, int]
    demand: list[ChallengeDemand]
    submissions: dict[str, int]
    judging: list[RoundProgress]
    flags: dict[str, int]
    teams: int
    open_requests: int
    scheduled: int


def _day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def cumulative(moments: list[datetime]) -> list[tuple[date, int]]:
    """Per day (Paris time) with an event: how many events up to that day's end."""
    per_day = Counter(_day(moment) for moment in moments)
    total, series = 0, []
    for day in sorted(per_day):
        total += per_day[day]
        series.append((day, total))
    return series


def _registrations(edition: Edition) -> tuple[list, list]:
    rows = db.session.execute(sa.select(StudentProfile.created_at, StudentProfile.completed_at)
                              .where(StudentProfile.edition_id == edition.id)).all()
    return (cumulative([row.created_at for row in rows if row.created_at]),
            cumulative([row.completed_at for row in rows if row.completed_at]))


def _choices(edition: Edition, students: int) -> dict[int, int]:
    """Students by number of challenges ranked (0 to 5)."""
    per_student = (sa.select(sa.func.count(Preference.id).label("n"))
                   .join(StudentProfile, StudentProfile.id == Preference.student_id)
                   .where(StudentProfile.edition_id == edition.id)
                   .group_by(Preference.student_id).subquery())
    counts = dict(db.session.execute(sa.select(per_student.c.n, sa.func.count())
                                     .group_by(per_student.c.n)).all())
    counts[0] = students - sum(counts.values())
    return {n: counts.get(n, 0) for n in range(MAX_RANK + 1)}


def _submissions(edition: Edition, moment: datetime) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Team.deadline_extension_until, Submission.version, Submission.submitted_at)
        .outerjoin(Submission, Submission.team_id == Team.id)
        .where(Team.edition_id == edition.id)).all()
    counts = Counter(rules.submission_status(
        row.version or 0, row.submitted_at, edition.submission_deadline,
        row.deadline_extension_until, moment) for row in rows)
    return {status: counts.get(status, 0) for status in rules.SUBMISSION_STATUSES}


def _judging(edition: Edition) -> list[RoundProgress]:
    scored = sa.func.count(JuryAssignment.id).filter(JuryAssignment.status == "scored")
    rows = db.session.execute(
        sa.select(JudgingRound.title, JudgingRound.number, sa.func.count(JuryAssignment.id),
                  scored)
        .outerjoin(JuryAssignment, JuryAssignment.round_id == JudgingRound.id)
        .where(JudgingRound.edition_id == edition.id)
        .group_by(JudgingRound.id, JudgingRound.number, JudgingRound.title)
        .order_by(JudgingRound.number)).all()
    return [RoundProgress(JudgingRound.shown_name(title, number), total, done)
            for title, number, total, done in rows]


def _flags(edition: Edition) -> dict[str, int]:
    counts = dict(db.session.execute(
        sa.select(IncubationFlag.status, sa.func.count()).join(Team)
        .where(Team.edition_id == edition.id).group_by(IncubationFlag.status)).all())
    return {status: counts.get(status, 0) for status in FLAG_STATUSES}


def _pending(edition: Edition) -> tuple[int, int]:
    requests = sa.select(sa.func.count(DeletionRequest.id)).where(
        DeletionRequest.status.in_(("pending", "deferred"))).scalar_subquery()
    scheduled = sa.select(sa.func.count(Announcement.id)).where(
        Announcement.edition_id == edition.id,
        Announcement.published_at.is_(None)).scalar_subquery()
    return tuple(db.session.execute(sa.select(requests, scheduled)).one())


def cockpit(edition: Edition, moment: datetime | None = None) -> Cockpit:
    """Everything the cockpit draws, for the current state of the edition."""
    counts = edition_counts(edition)
    registered, completed = _registrations(edition)
    submissions = _submissions(edition, moment or utcnow())
    open_requests, scheduled = _pending(edition)
    return Cockpit(counts, registered, completed, _choices(edition, counts["students"]),
                   challenge_demand(edition), submissions, _judging(edition), _flags(edition),
                   sum(submissions.values()), open_requests, scheduled)
