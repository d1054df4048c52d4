"""Writing a checked students file: new accounts and profiles inserted, changed ones updated,
by chunks of rows with a handful of statements each (never one query per student).

An empty optional cell (skills, interests, choices, group) keeps what the student entered in
the app: re-importing the registrar's file never wipes a ranking or a friend group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from crunchtime.imports import StudentRow
from crunchtime.models import Preference, StudentProfile, User
from crunchtime.models.student import student_skill
from crunchtime.models.user import new_session_token
from crunchtime.services.exchange.bulk_writes import (
    delete_where_in,
    insert_rows,
    update_rows,
    vocabulary_key,
)
from crunchtime.services.exchange.student_rows import Known, Profile, chunked

WRITE_CHUNK = 250


@dataclass(frozen=True)
class Vocabulary:
    """Ids the rows refer to: programmes and skills by `vocabulary_key`, challenges by code."""

    programmes: dict[str, int]
    skills: dict[str, int]
    challenges: dict[str, int]

    def skill_ids(self, names: tuple[str, ...]) -> set[int]:
        return {self.skills[vocabulary_key(name)] for name in names}

    def choice_ids(self, codes: tuple[str, ...]) -> list[int]:
        return [self.challenges[code] for code in codes]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _UpdateBatch:
    """The statements' rows for the students of one chunk who already have a profile."""

    accounts: list[dict] = field(default_factory=list)
    profiles: list[dict] = field(default_factory=list)
    skills: dict[int, set[int]] = field(default_factory=dict)
    choices: dict[int, list[int]] = field(default_factory=dict)
    changed: int = 0

    def __len__(self) -> int:
        return len(self.accounts) + len(self.profiles) + len(self.skills) + len(self.choices)


@dataclass
class StudentWriter:
    """Writes rows for one edition at time `now`; collects the accounts to invite."""

    edition_id: int
    known: Known
    vocabulary: Vocabulary
    now: datetime

    def write(self, rows: list[StudentRow], progress: Callable | None) -> tuple[Counts, list[int]]:
        """Counts of created/updated/unchanged students and the user ids to invite."""
        counts, invite = Counts(), []
        for number, chunk in enumerate(chunked(rows, WRITE_CHUNK), start=1):
            new, known = [], []
            for row in chunk:
                (new if self.known.profile_of(row.email) is None else known).append(row)
            invite += self._create(new)
            updated = self._update(known)
            counts.created += len(new)
            counts.updated += updated
            counts.unchanged += len(known) - updated
            if progress is not None:
                progress(min(len(rows), number * WRITE_CHUNK), len(rows))
        return counts, invite

    def _create(self, rows: list[StudentRow]) -> list[int]:
        """Accounts (if new) and profiles; returns the accounts to invite (those without a
        password: new ones, and earlier editions' students who never set one)."""
        accounts = self.known.accounts
        new_accounts = [self._account(row) for row in rows if row.email not in accounts]
        owners = {email: user_id for user_id, email in insert_rows(
            User, new_accounts, User.id, User.email)}
        owners.update({row.email: accounts[row.email].id for row in rows if row.email in accounts})
        inserted = insert_rows(
            StudentProfile, [self._profile(row, owners[row.email]) for row in rows],
            StudentProfile.id, StudentProfile.user_id,
        )
        profile_of_user = {user_id: profile_id for profile_id, user_id in inserted}
        pairs = [(profile_of_user[owners[row.email]], row) for row in rows]
        self._insert_links(
            {profile_id: self.vocabulary.skill_ids(row.skills) for profile_id, row in pairs},
            {profile_id: self.vocabulary.choice_ids(row.choices) for profile_id, row in pairs},
        )
        return [
            owners[row.email] for row in rows
            if row.email not in accounts or not accounts[row.email].has_password
        ]

    def _account(self, row: StudentRow) -> dict:
        return {
            "email": row.email, "role": "student", "first_name": row.first_name,
            "last_name": row.last_name, "password_hash": None, "locale": None, "active": True,
            "session_token": new_session_token(), "organisation_id": None,
            "created_at": self.now,
        }

    def _profile(self, row: StudentRow, user_id: int) -> dict:
        return {
            "user_id": user_id, "edition_id": self.edition_id,
            "programme_id": self.vocabulary.programmes[vocabulary_key(row.programme)],
            "year_of_study": row.year, "interests": row.interests,
            "friend_group_key": row.group, "consent_at": None, "completed_at": None,
            "deleted_at": None, "created_at": self.now,
        }

    def _update(self, rows: list[StudentRow]) -> int:
        """Apply what changed for students who have a profile; returns how many changed."""
        batch = _UpdateBatch()
        for row in rows:
            account = self.known.accounts[row.email]
            profile = self.known.profiles[account.id]
            before = len(batch)
            if (account.first_name, account.last_name) != (row.first_name, row.last_name):
                batch.accounts.append(
                    {"id": account.id, "first_name": row.first_name, "last_name": row.last_name}
                )
            wanted = self._wanted_profile(row, profile)
            if wanted != self._current_profile(profile):
                batch.profiles.append(wanted)
            skill_ids = self.vocabulary.skill_ids(row.skills)
            if row.skills and skill_ids != profile.skill_ids:
                batch.skills[profile.id] = skill_ids
            choice_ids = self.vocabulary.choice_ids(row.choices)
            if row.choices and choice_ids != profile.choice_ids:
                batch.choices[profile.id] = choice_ids
            batch.changed += len(batch) > before
        update_rows(User, batch.accounts)
        update_rows(StudentProfile, batch.profiles)
        delete_where_in(student_skill, student_skill.c.profile_id, list(batch.skills))
        delete_where_in(Preference.__table__, Preference.student_id, list(batch.choices))
        self._insert_links(batch.skills, batch.choices)
        return batch.changed

    def _wanted_profile(self, row: StudentRow, profile: Profile) -> dict:
        return {
            "id": profile.id,
            "programme_id": self.vocabulary.programmes[vocabulary_key(row.programme)],
            "year_of_study": row.year,
            "interests": row.interests or profile.interests,
            "friend_group_key": row.group or profile.group,
            "completed_at": profile.completed_at,
        }

    @staticmethod
    def _current_profile(profile: Profile) -> dict:
        return {
            "id": profile.id, "programme_id": profile.programme_id,
            "year_of_study": profile.year, "interests": profile.interests,
            "friend_group_key": profile.group, "completed_at": profile.completed_at,
        }

    def _insert_links(self, skills: dict[int, set[int]], choices: dict[int, list[int]]) -> None:
        # RETURNING makes SQLAlchemy batch the rows into multi-row INSERTs on every database
        # (psycopg's plain executemany sends them one by one).
        insert_rows(student_skill, [
            {"profile_id": profile_id, "skill_id": skill_id}
            for profile_id, skill_ids in skills.items() for skill_id in sorted(skill_ids)
        ], student_skill.c.profile_id)
        insert_rows(Preference, [
            {"student_id": profile_id, "challenge_id": challenge_id, "rank": rank,
             "created_at": self.now}
            for profile_id, challenge_ids in choices.items()
            for rank, challenge_id in enumerate(challenge_ids, start=1)
        ], Preference.id)
