"""Row factories for tests: each returns a committed model with sensible defaults."""

from __future__ import annotations

import itertools

import sqlalchemy as sa
from flask import current_app

from crunchtime.extensions import db
from crunchtime.models import (
    Challenge,
    Edition,
    JuryProfile,
    Membership,
    Organisation,
    StudentProfile,
    Team,
    User,
)
from crunchtime.models.base import utcnow
from crunchtime.security.passwords import hash_password

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def _save(*rows):
    db.session.add_all(rows)
    db.session.commit()
    return rows[0]


def user(role: str, email: str | None = None, password: str | None = PASSWORD,
         verified: bool = True, **fields) -> User:
    """An account; `verified=False` for one whose address still waits for its link."""
    n = _next()
    fields.setdefault("first_name", f"Prénom{n}")
    fields.setdefault("last_name", f"Nom{n}")
    fields.setdefault("email_verified_at", utcnow() if verified else None)
    password_hash = (
        hash_password(password, current_app.config["PASSWORD_HASH_PROFILE"])
        if password is not None else None
    )
    return _save(
        User(email=email or f"{role}{n}@example.org", role=role, password_hash=password_hash,
             **fields)
    )


def edition(phase: str = "registration", current: bool = True, **fields) -> Edition:
    n = _next()
    if current:
        db.session.execute(sa.update(Edition).values(is_current=False))
    fields.setdefault("name", f"Crunch Time test {n}")
    fields.setdefault("year", 2026)
    return _save(Edition(phase=phase, is_current=current, **fields))


def organisation(name: str | None = None, kind: str = "company") -> Organisation:
    return _save(Organisation(name=name or f"Organisation {_next()}", kind=kind))


def student(edition_row: Edition, **fields) -> User:
    account = user("student", **fields)
    _save(StudentProfile(user_id=account.id, edition_id=edition_row.id))
    return account


def company_user(organisation_row: Organisation | None = None, **fields) -> User:
    return user("company", organisation=organisation_row or organisation(), **fields)


def jury(edition_row: Edition, **fields) -> User:
    account = user("jury", **fields)
    _save(JuryProfile(user_id=account.id, edition_id=edition_row.id))
    return account


def organizer(**fields) -> User:
    return user("organizer", **fields)


def challenge(edition_row: Edition, organisation_row: Organisation | None = None,
              **fields) -> Challenge:
    n = _next()
    fields.setdefault("code", f"C{n:03d}")
    fields.setdefault("title", f"Défi {n}")
    fields.setdefault("status", "approved")
    return _save(
        Challenge(edition_id=edition_row.id,
                  organisation=organisation_row or organisation(), **fields)
    )


def team(edition_row: Edition, challenge_row: Challenge | None = None, members=(),
         **fields) -> Team:
    """A team on a challenge, with these student accounts as members."""
    n = _next()
    fields.setdefault("code", f"T{n:03d}")
    challenge_row = challenge_row or challenge(edition_row)
    row = _save(Team(edition_id=edition_row.id, challenge_id=challenge_row.id, **fields))
    for member in members:
        profile = db.session.scalar(sa.select(StudentProfile).where(
            StudentProfile.user_id == member.id, StudentProfile.edition_id == edition_row.id))
        _save(Membership(team_id=row.id, student_id=profile.id, edition_id=edition_row.id))
    return row
