"""The retention rule: students of editions closed more than N years ago are anonymised
(`crunchtime purge --dry-run` shows who would be). Their projects stay, without names, for
the incubation model of the next years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from crunchtime.extensions import db
from crunchtime.models import AuditEvent, Edition, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.services.audit import record_audit
from crunchtime.services.privacy.anonymise import anonymise_profiles, anonymise_student, person_of

DEFAULT_RETENTION_YEARS = 3
DAYS_PER_YEAR = 365.25


def retention_years() -> int:
    """`RETENTION_YEARS` from the configuration, else 3 years."""
    return int(current_app.config.get("RETENTION_YEARS") or DEFAULT_RETENTION_YEARS)


def closed_at(edition: Edition) -> datetime:
    """When the edition was last closed (the audit log says), else the end of its year."""
    moment = db.session.scalar(
        sa.select(sa.func.max(AuditEvent.created_at)).where(
            AuditEvent.edition_id == edition.id, AuditEvent.action == "edition.phase",
            AuditEvent.details["new"].as_string() == "closed"))
    if moment is None:
        return datetime(edition.year, 12, 31, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class PurgeLine:
    edition: Edition
    closed_at: datetime
    students: int


def expired_editions(years: int, now: datetime | None = None) -> list[PurgeLine]:
    """Closed editions past the retention period that still hold named students."""
    now = now or utcnow()
    lines = []
    for edition in db.session.scalars(sa.select(Edition).where(Edition.phase == "closed")
                                      .order_by(Edition.year, Edition.id)):
        closed = closed_at(edition)
        if closed + timedelta(days=round(DAYS_PER_YEAR * years)) > now:
            continue
        students = db.session.scalar(sa.select(sa.func.count(StudentProfile.id)).where(
            StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None)))
        if students:
            lines.append(PurgeLine(edition, closed, students))
    return lines


def _anonymise_edition(edition: Edition, expired: set[int]) -> None:
    """Whole accounts when all their editions are expired; else only the old profiles."""
    rows = db.session.execute(
        sa.select(StudentProfile.id, User).join(User, User.id == StudentProfile.user_id)
        .where(StudentProfile.edition_id == edition.id,
               StudentProfile.deleted_at.is_(None))).all()
    for profile_id, user in rows:
        editions = set(db.session.scalars(sa.select(StudentProfile.edition_id)
                                          .where(StudentProfile.user_id == user.id)))
        if editions <= expired:
            anonymise_student(user)
        else:
            anonymise_profiles([profile_id], person_of(user))


def purge_expired(years: int | None = None, *, dry_run: bool = False,
                  now: datetime | None = None) -> list[PurgeLine]:
    """Anonymise the students of expired editions (nothing written on a dry run)."""
    years = retention_years() if years is None else years
    lines = expired_editions(years, now)
    if dry_run or not lines:
        return lines
    expired = {line.edition.id for line in lines}
    for line in lines:
        _anonymise_edition(line.edition, expired)
        record_audit(None, "privacy.purge", line.edition, edition_id=line.edition.id,
                     students=line.students, years=years)
    db.session.commit()
    return lines
