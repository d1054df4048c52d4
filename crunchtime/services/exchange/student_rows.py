"""The database side of the students import: what already exists for the file's e-mails,
what the file changes, and the bulk statements that write it (a few queries per 500 rows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.imports import RowProblem, StudentRow
from crunchtime.imports.students import MAX_GROUP_SIZE
from crunchtime.models import Preference, StudentProfile, User
from crunchtime.models.student import student_skill

CHUNK = 500


def chunked(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: str
    first_name: str
    last_name: str
    has_password: bool


@dataclass
class Profile:
    """A student's profile in the edition, with its skills and ranked challenges (ids)."""

    id: int
    user_id: int
    programme_id: int | None
    year: int | None
    interests: str
    group: str | None
    completed_at: datetime | None
    deleted: bool
    skill_ids: set[int] = field(default_factory=set)
    choice_ids: list[int] = field(default_factory=list)


@dataclass
class Known:
    """What the database holds for the file's e-mails: accounts by e-mail, profiles by user."""

    accounts: dict[str, Account]
    profiles: dict[int, Profile]

    def profile_of(self, email: str) -> Profile | None:
        account = self.accounts.get(email)
        return self.profiles.get(account.id) if account else None


def load_known(edition_id: int, emails: Iterable[str]) -> Known:
    """Accounts, profiles, skills and preferences of these e-mails, by chunks of 500."""
    accounts: dict[str, Account] = {}
    for chunk in chunked(sorted(set(emails))):
        rows = db.session.execute(
            sa.select(User.id, User.email, User.role, User.first_name, User.last_name,
                      User.password_hash.is_not(None)).where(User.email.in_(chunk))
        )
        accounts.update({row.email: Account(*row) for row in rows})
    students = [a.id for a in accounts.values() if a.role == "student"]
    profiles: dict[int, Profile] = {}
    for chunk in chunked(students):
        rows = db.session.execute(
            sa.select(StudentProfile.id, StudentProfile.user_id, StudentProfile.programme_id,
                      StudentProfile.year_of_study, StudentProfile.interests,
                      StudentProfile.friend_group_key, StudentProfile.completed_at,
                      StudentProfile.deleted_at.is_not(None))
            .where(StudentProfile.edition_id == edition_id, StudentProfile.user_id.in_(chunk))
        )
        profiles.update({row.user_id: Profile(*row) for row in rows})
    _load_links(list(profiles.values()))
    return Known(accounts, profiles)


def _load_links(profiles: list[Profile]) -> None:
    by_id = {profile.id: profile for profile in profiles}
    for chunk in chunked(list(by_id)):
        for profile_id, skill_id in db.session.execute(
            sa.select(student_skill.c.profile_id, student_skill.c.skill_id)
            .where(student_skill.c.profile_id.in_(chunk))
        ):
            by_id[profile_id].skill_ids.add(skill_id)
        for profile_id, challenge_id in db.session.execute(
            sa.select(Preference.student_id, Preference.challenge_id)
            .where(Preference.student_id.in_(chunk))
            .order_by(Preference.student_id, Preference.rank)
        ):
            by_id[profile_id].choice_ids.append(challenge_id)


def database_problems(
    rows: list[StudentRow], known: Known, edition_id: int
) -> list[RowProblem]:
    """Rows the database refuses: another role's e-mail, a deleted student, a full group."""
    problems = []
    for row in rows:
        account = known.accounts.get(row.email)
        if account is not None and account.role != "student":
            problems.append(RowProblem(row.line, "email", "email_not_student",
                                       {"value": row.email, "role": account.role}))
        profile = known.profile_of(row.email)
        if profile is not None and profile.deleted:
            problems.append(RowProblem(row.line, "email", "student_deleted", {}))
    return problems + _full_groups(rows, known, edition_id)


def _full_groups(rows: list[StudentRow], known: Known, edition_id: int) -> list[RowProblem]:
    """Groups the file's members and the app's other members would together overflow."""
    in_file: dict[str, list[StudentRow]] = defaultdict(list)
    for row in rows:
        if row.group:
            in_file[row.group].append(row)
    file_users = {known.accounts[row.email].id for row in rows if row.email in known.accounts}
    others: dict[str, int] = defaultdict(int)
    for chunk in chunked(sorted(in_file)):
        for key, user_id in db.session.execute(
            sa.select(StudentProfile.friend_group_key, StudentProfile.user_id).where(
                StudentProfile.edition_id == edition_id,
                StudentProfile.friend_group_key.in_(chunk),
            )
        ):
            others[key] += user_id not in file_users
    return [
        RowProblem(row.line, "group", "group_full_in_app",
                   {"group": key, "size": len(members) + others[key], "max": MAX_GROUP_SIZE})
        for key, members in in_file.items()
        if len(members) <= MAX_GROUP_SIZE < len(members) + others[key]
        for row in members
    ]
