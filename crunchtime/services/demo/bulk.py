"""Bulk writers for each part of a cohort: one executemany INSERT per table, ids read back.

ORM-per-row inserts take a minute for 1,700 students; these take about a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crunchtime.database import insert_rows
from crunchtime.demo.records import Cohort
from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Criterion,
    JudgingRound,
    JuryProfile,
    Organisation,
    Preference,
    StudentProfile,
    User,
)
from crunchtime.models.organisation import challenge_skill
from crunchtime.models.student import student_skill
from crunchtime.models.user import new_session_token
from crunchtime.text import search_text


@dataclass(frozen=True)
class BulkLoad:
    """What every row of one load shares; bulk inserts skip Python defaults, so rows carry them."""

    edition_id: int
    now: datetime
    password_hash: str

    def user(self, email: str, role: str, first_name: str, last_name: str, **extra) -> dict:
        return {
            "email": email.lower(),
            "role": role,
            "first_name": first_name[:80],
            "last_name": last_name[:80],
            "password_hash": self.password_hash,
            "active": True,
            "session_token": new_session_token(),
            "created_at": self.now,
            # Demo accounts are verified: their logins work at once.
            "email_verified_at": self.now,
            "organisation_id": None,
            **extra,
        }


def insert_names(model, edition_id: int, names: tuple[str, ...]) -> dict[str, int]:
    """Rows of an edition vocabulary (programmes, skills); ids by name."""
    rows = [{"edition_id": edition_id, "name": name} for name in names]
    return {name: row_id for row_id, name in insert_rows(model, rows, model.id, model.name)}


def insert_users(rows: list[dict]) -> dict[str, int]:
    """Accounts from `BulkLoad.user` rows; ids by e-mail."""
    return {email: user_id for user_id, email in insert_rows(User, rows, User.id, User.email)}


def insert_organisations(cohort: Cohort, now: datetime) -> dict[str, int]:
    """Ids by name, reusing organisations that already exist under the same name."""
    names = [o.name for o in cohort.organisations]
    ids = dict(
        db.session.execute(
            sa.select(Organisation.name, Organisation.id).where(Organisation.name.in_(names))
        ).all()
    )
    missing = [
        {"name": o.name, "kind": o.kind, "sector": o.sector, "city": o.city, "created_at": now}
        for o in cohort.organisations
        if o.name not in ids
    ]
    inserted = insert_rows(Organisation, missing, Organisation.id, Organisation.name)
    ids.update({name: row_id for row_id, name in inserted})
    return ids


def insert_challenges(
    cohort: Cohort,
    load: BulkLoad,
    organisation_ids: dict[str, int],
    contacts: dict[str, tuple[str, int]],
    skill_ids: dict[str, int],
) -> dict[str, int]:
    """Approved challenges with their skills; `contacts` maps an organisation to its account."""
    rows = [
        {
            "edition_id": load.edition_id,
            "organisation_id": organisation_ids[c.organisation],
            "code": c.code,
            "title": c.title,
            "problem": c.problem,
            "context": c.context,
            "deliverable": c.deliverable,
            "teams_wanted": c.teams_wanted,
            "status": "approved",
            "review_comment": "",
            "contact_name": c.organisation[:160],
            "contact_email": contacts[c.organisation][0],
            "created_by_id": contacts[c.organisation][1],
            "submitted_at": load.now,
            "reviewed_at": load.now,
            "created_at": load.now,
            "search_text": search_text(c.title, c.organisation, c.problem, c.context, *c.skills),
        }
        for c in cohort.challenges
    ]
    inserted = insert_rows(Challenge, rows, Challenge.id, Challenge.code)
    challenge_ids = {code: row_id for row_id, code in inserted}
    insert_rows(
        challenge_skill,
        [
            {"challenge_id": challenge_ids[c.code], "skill_id": skill_ids[skill]}
            for c in cohort.challenges
            for skill in c.skills
        ],
    )
    return challenge_ids


def insert_students(
    cohort: Cohort,
    load: BulkLoad,
    programme_ids: dict[str, int],
    skill_ids: dict[str, int],
    challenge_ids: dict[str, int],
) -> None:
    """Registered, profiled students with their skills and ranked choices."""
    user_ids = insert_users(
        [load.user(s.email, "student", s.first_name, s.last_name) for s in cohort.students]
    )
    profiles = [
        {
            "user_id": user_ids[s.email],
            "edition_id": load.edition_id,
            "programme_id": programme_ids[s.programme],
            "year_of_study": s.year,
            "interests": s.interests,
            "friend_group_key": s.group,
            "consent_at": load.now,
            "completed_at": load.now,
            "created_at": load.now,
        }
        for s in cohort.students
    ]
    inserted = insert_rows(StudentProfile, profiles, StudentProfile.id, StudentProfile.user_id)
    profile_by_user = {user_id: profile_id for profile_id, user_id in inserted}
    profile_ids = [profile_by_user[user_ids[s.email]] for s in cohort.students]
    pairs = list(zip(profile_ids, cohort.students, strict=True))
    insert_rows(
        student_skill,
        [{"profile_id": p, "skill_id": skill_ids[k]} for p, s in pairs for k in s.skills],
    )
    preferences = [
        {"student_id": p, "challenge_id": challenge_ids[code], "rank": rank,
         "created_at": load.now}
        for p, s in pairs
        for rank, code in enumerate(s.choices, start=1)
    ]
    insert_rows(Preference, preferences)


def insert_juries(cohort: Cohort, load: BulkLoad, organisation_ids: dict[str, int]) -> None:
    """Jury accounts (attached to their organisation, if any) and their profiles."""
    user_ids = insert_users(
        [
            load.user(
                j.email, "jury", j.first_name, j.last_name,
                organisation_id=organisation_ids[j.organisation] if j.organisation else None,
            )
            for j in cohort.juries
        ],
    )
    insert_rows(
        JuryProfile,
        [
            {"user_id": user_ids[j.email], "edition_id": load.edition_id,
             "expertise": j.expertise, "created_at": load.now}
            for j in cohort.juries
        ],
    )


def insert_rubric(cohort: Cohort, load: BulkLoad) -> None:
    """The first judging round (one per challenge) and its rubric."""
    [(round_id,)] = insert_rows(
        JudgingRound,
        [{"edition_id": load.edition_id, "number": 1, "title": "", "kind": "per_challenge",
          "status": "draft", "juries_per_team": 3, "exclude_own_organisation": True,
          "created_at": load.now}],
        JudgingRound.id,
    )
    insert_rows(
        Criterion,
        [
            {"edition_id": load.edition_id, "round_id": round_id, "key": c.key,
             "position": position, "label_fr": c.label_fr, "label_en": c.label_en,
             "levels": {}, "weight": c.weight, "scale_min": c.scale_min,
             "scale_max": c.scale_max}
            for position, c in enumerate(cohort.criteria)
        ],
    )
