"""The organisers' lists of people: filtered, paginated, exported, without N+1 queries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crunchtime.extensions import db
from crunchtime.models import (
    Edition,
    JuryProfile,
    Organisation,
    Preference,
    Programme,
    StudentProfile,
    User,
)

PER_PAGE = 50


@dataclass(frozen=True)
class StudentFilters:
    programme_id: int | None = None
    year: int | None = None
    complete: bool | None = None
    ranked: bool | None = None
    in_group: bool | None = None
    query: str = ""


def _ranked_students():
    return sa.select(Preference.student_id).distinct()


def students_query(edition: Edition, filters: StudentFilters):
    statement = (
        sa.select(StudentProfile)
        .join(User, StudentProfile.user_id == User.id)
        .where(StudentProfile.edition_id == edition.id)
        .options(selectinload(StudentProfile.user), selectinload(StudentProfile.programme),
                 selectinload(StudentProfile.skills), selectinload(StudentProfile.preferences)
                 .selectinload(Preference.challenge))
        .order_by(User.last_name, User.first_name, User.id)
    )
    if filters.programme_id:
        statement = statement.where(StudentProfile.programme_id == filters.programme_id)
    if filters.year:
        statement = statement.where(StudentProfile.year_of_study == filters.year)
    if filters.complete is not None:
        done = StudentProfile.completed_at.is_not(None)
        statement = statement.where(done if filters.complete else sa.not_(done))
    if filters.ranked is not None:
        ranked = StudentProfile.id.in_(_ranked_students())
        statement = statement.where(ranked if filters.ranked else sa.not_(ranked))
    if filters.in_group is not None:
        grouped = StudentProfile.friend_group_key.is_not(None)
        statement = statement.where(grouped if filters.in_group else sa.not_(grouped))
    if filters.query:
        pattern = f"%{filters.query.strip().lower()}%"
        statement = statement.where(sa.or_(
            sa.func.lower(User.first_name).like(pattern),
            sa.func.lower(User.last_name).like(pattern),
            User.email.like(pattern),
        ))
    return statement


def students_page(edition: Edition, filters: StudentFilters, page: int):
    return db.paginate(students_query(edition, filters), page=page, per_page=PER_PAGE,
                       error_out=False)


def student_rows(edition: Edition, filters: StudentFilters):
    """Every matching student as export rows, streamed in chunks."""
    statement = students_query(edition, filters).execution_options(yield_per=500)
    for profile in db.session.scalars(statement):
        yield [
            profile.user.email, profile.user.first_name, profile.user.last_name,
            profile.programme.name if profile.programme else "",
            profile.year_of_study or "",
            ";".join(skill.name for skill in profile.skills),
            profile.interests,
            ";".join(p.challenge.code for p in profile.preferences),
            profile.friend_group_key or "",
            "yes" if profile.is_complete else "no",
        ]


STUDENT_COLUMNS = ["email", "first_name", "last_name", "programme", "year", "skills",
                   "interests", "choices", "group", "profile_complete"]


def edition_programmes(edition: Edition) -> list[Programme]:
    return list(db.session.scalars(
        sa.select(Programme).where(Programme.edition_id == edition.id).order_by(Programme.name)))


def _company_accounts_query():
    return (
        sa.select(User).join(Organisation, User.organisation_id == Organisation.id)
        .where(User.role == "company")
        .options(selectinload(User.organisation))
        .order_by(sa.func.lower(Organisation.name), Organisation.id, User.last_name, User.id)
    )


def company_accounts() -> list[User]:
    return list(db.session.scalars(_company_accounts_query()))


def companies_page(page: int):
    return db.paginate(_company_accounts_query(), page=page, per_page=PER_PAGE,
                       error_out=False)


COMPANY_COLUMNS = ["organisation", "kind", "email", "first_name", "last_name", "active"]


def company_rows():
    for user in company_accounts():
        yield [user.organisation.name, user.organisation.kind, user.email, user.first_name,
               user.last_name, "yes" if user.has_password else "invited"]


JURY_COLUMNS = ["email", "first_name", "last_name", "organisation", "expertise", "status"]


def jury_rows(edition: Edition):
    profiles = db.session.scalars(
        sa.select(JuryProfile).where(JuryProfile.edition_id == edition.id)
        .options(selectinload(JuryProfile.user).selectinload(User.organisation))
    )
    for profile in profiles:
        user = profile.user
        yield [user.email, user.first_name, user.last_name,
               user.organisation.name if user.organisation else "", profile.expertise,
               "active" if user.has_password else "invited"]
