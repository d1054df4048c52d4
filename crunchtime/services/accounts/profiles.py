"""A student's profile for the current edition, and friend groups."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Conflict, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Edition, Programme, Skill, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.services.editions.current import require_current_edition, require_phase

MAX_GROUP_SIZE = 3
GROUP_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely
# 16 symbols of 32: 80 random bits, beyond guessing even without the join limit. Codes of
# 6 symbols made before stay valid (the join limit is what protects them).
GROUP_CODE_LENGTH = 16


def student_profile(user: User, edition: Edition | None = None) -> StudentProfile:
    """The student's profile in the edition (the current one by default)."""
    edition = edition or require_current_edition()
    profile = db.session.scalar(
        sa.select(StudentProfile).where(
            StudentProfile.user_id == user.id, StudentProfile.edition_id == edition.id
        )
    )
    if profile is None:
        raise NotFound(_("You are not registered for this edition. Contact the organisers."))
    return profile


def programmes(edition: Edition) -> list[Programme]:
    return list(db.session.scalars(
        sa.select(Programme).where(Programme.edition_id == edition.id).order_by(Programme.name)
    ))


def skills(edition: Edition) -> list[Skill]:
    return list(db.session.scalars(
        sa.select(Skill).where(Skill.edition_id == edition.id).order_by(Skill.name)
    ))


def update_profile(
    user: User, programme_id: int, year_of_study: int, skill_ids: list[int], interests: str,
    consent: bool,
) -> StudentProfile:
    """Save the profile; it is complete once programme, year and consent are given."""
    edition = require_current_edition()
    require_phase(edition, "edit_profile")
    profile = student_profile(user, edition)
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.edition_id != edition.id:
        raise InvalidInput(_("Choose a programme from the list."), field="programme")
    if not 1 <= year_of_study <= 8:
        raise InvalidInput(_("The year of study must be between 1 and 8."), field="year")
    chosen = list(db.session.scalars(
        sa.select(Skill).where(Skill.id.in_(skill_ids), Skill.edition_id == edition.id)
    ))
    if len(chosen) != len(set(skill_ids)):
        raise InvalidInput(_("Choose skills from the list."), field="skills")
    if not consent and profile.consent_at is None:
        raise InvalidInput(
            _("Accept the privacy notice: without it we cannot place you in a team."),
            field="consent",
        )
    profile.programme = programme
    profile.year_of_study = year_of_study
    profile.skills = chosen
    profile.interests = interests.strip()
    if profile.consent_at is None:
        profile.consent_at = utcnow()
    profile.completed_at = profile.completed_at or utcnow()
    db.session.commit()
    return profile


def group_members(profile: StudentProfile) -> list[StudentProfile]:
    if not profile.friend_group_key:
        return []
    return list(db.session.scalars(
        sa.select(StudentProfile)
        .where(StudentProfile.edition_id == profile.edition_id,
               StudentProfile.friend_group_key == profile.friend_group_key)
        .order_by(StudentProfile.id)
    ))


def _editable_profile(user: User) -> StudentProfile:
    edition = require_current_edition()
    require_phase(edition, "edit_profile")
    return student_profile(user, edition)


def create_group(user: User) -> str:
    """Start a friend group and return its code to share with up to two friends."""
    profile = _editable_profile(user)
    if profile.friend_group_key:
        raise Conflict(_("You are already in a group: leave it first."))
    while True:
        code = new_group_code()
        taken = db.session.scalar(sa.select(StudentProfile.id).where(
            StudentProfile.edition_id == profile.edition_id,
            StudentProfile.friend_group_key == code,
        ).limit(1))
        if taken is None:
            break
    profile.friend_group_key = code
    db.session.commit()
    return code


def new_group_code() -> str:
    return "".join(secrets.choice(GROUP_CODE_ALPHABET) for _ in range(GROUP_CODE_LENGTH))


def _typed_codes(code: str) -> list[str]:
    """The code as typed (upper case), then without the spaces or dashes a friend may add."""
    typed = code.strip().upper()
    return list(dict.fromkeys((typed, re.sub(r"[\s-]+", "", typed))))


def _group_of(edition_id: int, code: str) -> list[StudentProfile]:
    """The members of the group whose code this is, locked (empty: no such group)."""
    for key in _typed_codes(code):
        members = list(db.session.scalars(
            sa.select(StudentProfile)
            .where(StudentProfile.edition_id == edition_id,
                   StudentProfile.friend_group_key == key)
            .order_by(StudentProfile.id)
            .with_for_update()
        ))
        if members:
            return members
    return []


def join_group(user: User, code: str) -> StudentProfile:
    """Join a friend's group by its code. A wrong code is an InvalidInput (the view counts
    those against the guessing limit)."""
    profile = _editable_profile(user)
    typed = code.strip().upper()
    if profile.friend_group_key:
        raise Conflict(_("You are already in a group: leave it first."), field="code")
    members = _group_of(profile.edition_id, code)
    if not members:
        raise InvalidInput(_("No group has the code %(code)s. Check it with your friend.",
                             code=typed), field="code")
    if len(members) >= MAX_GROUP_SIZE:
        raise Conflict(_("This group is full: a group has at most %(n)d students.",
                         n=MAX_GROUP_SIZE), field="code")
    profile.friend_group_key = members[0].friend_group_key
    db.session.commit()
    return profile


def leave_group(user: User) -> None:
    profile = _editable_profile(user)
    if not profile.friend_group_key:
        raise Conflict(_("You are not in a group."))
    profile.friend_group_key = None
    db.session.commit()
