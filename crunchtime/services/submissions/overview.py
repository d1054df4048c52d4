"""Organisers' view of every team's submission: status, last change, files; filters, the
CSV export and a challenge's deliverables as one streamed ZIP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.i18n import PARIS
from crunchtime.models import (
    Challenge,
    Edition,
    Organisation,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
)
from crunchtime.services.submissions.deadlines import now
from crunchtime.services.submissions.words import STATUS_LABELS
from crunchtime.teamwork import status as rules
from crunchtime.text import fold


@dataclass(frozen=True)
class SubmissionRow:
    team: Team
    challenge: Challenge
    organisation: str
    status: str
    version: int
    updated_at: datetime | None
    submitted_at: datetime | None
    title: str
    file_count: int
    total_bytes: int
    deadline: datetime | None


@dataclass(frozen=True)
class SubmissionFilters:
    challenge_id: int | None = None
    status: str | None = None
    query: str = ""


def _live_sizes(edition: Edition) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(SubmissionFile.id, SubmissionFile.size)
        .join(Submission, SubmissionFile.submission_id == Submission.id)
        .join(Team, Submission.team_id == Team.id)
        .where(Team.edition_id == edition.id, SubmissionFile.deleted_at.is_(None))).all())


def _team_rows(edition: Edition, challenge_id: int | None):
    current = sa.and_(SubmissionVersion.submission_id == Submission.id,
                      SubmissionVersion.number == Submission.version)
    statement = (
        sa.select(Team, Challenge, Organisation.name, Submission, SubmissionVersion.title,
                  SubmissionVersion.file_ids)
        .join(Challenge, Team.challenge_id == Challenge.id)
        .join(Organisation, Challenge.organisation_id == Organisation.id)
        .outerjoin(Submission, Submission.team_id == Team.id)
        .outerjoin(SubmissionVersion, current)
        .where(Team.edition_id == edition.id)
        .order_by(Challenge.code, Team.code))
    if challenge_id:
        statement = statement.where(Team.challenge_id == challenge_id)
    return db.session.execute(statement).all()


def _matches(row: SubmissionRow, filters: SubmissionFilters) -> bool:
    if filters.status and row.status != filters.status:
        return False
    words = fold(filters.query).split()
    haystack = fold(" ".join((row.team.code, row.team.name or "", row.title,
                              row.challenge.code, row.challenge.title, row.organisation)))
    return all(word in haystack for word in words)


def submission_rows(edition: Edition, filters: SubmissionFilters = SubmissionFilters(),
                    moment: datetime | None = None) -> list[SubmissionRow]:
    """One row per team of the edition (two queries whatever the number of teams)."""
    moment = moment or now()
    sizes = _live_sizes(edition)
    rows = []
    for team, challenge, organisation, submission, title, file_ids in _team_rows(
            edition, filters.challenge_id):
        version = submission.version if submission else 0
        submitted_at = submission.submitted_at if submission else None
        live = [sizes[file_id] for file_id in (file_ids or []) if file_id in sizes]
        rows.append(SubmissionRow(
            team, challenge, organisation,
            rules.submission_status(version, submitted_at, edition.submission_deadline,
                                    team.deadline_extension_until, moment),
            version, submission.updated_at if submission else None, submitted_at,
            title or "", len(live), sum(live),
            rules.team_deadline(edition.submission_deadline, team.deadline_extension_until)))
    return [row for row in rows if _matches(row, filters)]


CSV_COLUMNS = ("team", "team_name", "challenge", "organisation", "status", "version",
               "last_change", "handed_in", "files", "size_bytes", "deadline", "title")


def _paris(moment: datetime | None) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") if moment else ""


def csv_rows(rows: list[SubmissionRow]) -> Iterator[list]:
    """The rows as the CSV export writes them (times in Paris, statuses in words)."""
    for row in rows:
        yield [row.team.code, row.team.name or "", row.challenge.code, row.organisation,
               str(STATUS_LABELS[row.status]), row.version, _paris(row.updated_at),
               _paris(row.submitted_at), row.file_count, row.total_bytes,
               _paris(row.deadline), row.title]



def challenges_with_teams(edition: Edition) -> list[Challenge]:
    """The edition's challenges that host at least one team, by code."""
    return list(db.session.scalars(
        sa.select(Challenge).where(Challenge.id.in_(
            sa.select(Team.challenge_id).where(Team.edition_id == edition.id)))
        .order_by(Challenge.code)))
