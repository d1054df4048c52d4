"""Read-only queries behind the organisers' pages (one query per list, no N+1)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crunchtime.extensions import db
from crunchtime.models import (
    AuditEvent,
    Challenge,
    Edition,
    JuryProfile,
    Organisation,
    Preference,
    StudentProfile,
    User,
)

PER_PAGE = 50


def edition_counts(edition: Edition) -> dict[str, int]:
    """The figures on the organisers' dashboard, in one round trip."""
    def count(statement):
        return statement.scalar_subquery()

    students = sa.select(sa.func.count(StudentProfile.id)).where(
        StudentProfile.edition_id == edition.id
    )
    completed = students.where(StudentProfile.completed_at.is_not(None))
    ranked = sa.select(sa.func.count(sa.distinct(Preference.student_id))).join(
        StudentProfile, Preference.student_id == StudentProfile.id
    ).where(StudentProfile.edition_id == edition.id)
    challenges = sa.select(sa.func.count(Challenge.id)).where(Challenge.edition_id == edition.id)
    approved = challenges.where(Challenge.status == "approved")
    organisations = sa.select(sa.func.count(sa.distinct(Challenge.organisation_id))).where(
        Challenge.edition_id == edition.id
    )
    juries = sa.select(sa.func.count(JuryProfile.id)).where(JuryProfile.edition_id == edition.id)
    companies = sa.select(sa.func.count(User.id)).where(User.role == "company")
    row = db.session.execute(
        sa.select(
            count(students).label("students"),
            count(completed).label("profiles_complete"),
            count(ranked).label("students_ranked"),
            count(challenges).label("challenges"),
            count(approved).label("challenges_approved"),
            count(organisations).label("organisations"),
            count(juries).label("juries"),
            count(companies).label("company_accounts"),
        )
    ).one()
    return dict(row._mapping)


def all_editions() -> list[Edition]:
    return list(db.session.scalars(sa.select(Edition).order_by(Edition.year.desc(), Edition.id)))


def phase_history(edition: Edition, limit: int = 20) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .options(selectinload(AuditEvent.actor))
            .where(AuditEvent.edition_id == edition.id, AuditEvent.action == "edition.phase")
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def juries_page(edition: Edition, page: int):
    """The jury members of `edition` (those of past editions are not listed, as in the CSV)."""
    return db.paginate(
        sa.select(User)
        .join(JuryProfile, JuryProfile.user_id == User.id)
        .options(selectinload(User.organisation))
        .where(User.role == "jury", JuryProfile.edition_id == edition.id)
        .order_by(User.last_name, User.first_name, User.id),
        page=page, per_page=PER_PAGE, error_out=False,
    )


def organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def audit_page(page: int):
    return db.paginate(
        sa.select(AuditEvent).options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc()),
        page=page, per_page=PER_PAGE, error_out=False,
    )
