"""Who mentors: company contacts (for their own challenges' teams) and organisers unless they
switch it off, juries once they (or an organiser) switch it on; each with expertise tags."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, JuryProfile, MentorProfile, User
from crunchtime.models.base import utcnow
from crunchtime.realtime.publish import disconnect_users
from crunchtime.realtime.rooms import mentors_room
from crunchtime.services.audit import record_audit
from crunchtime.services.mentoring.tags import parse_tags

MENTOR_ROLES = ("company", "jury", "organizer")


@dataclass(frozen=True)
class Mentor:
    """A mentor as the queue sees them: whose teams they help (None: every team)."""

    user: User
    tags: list[str]
    challenge_ids: list[int] | None


def profile_of(user: User, edition: Edition | None) -> MentorProfile | None:
    if edition is None:
        return None
    return db.session.scalar(sa.select(MentorProfile).where(
        MentorProfile.user_id == user.id, MentorProfile.edition_id == edition.id))


def _is_edition_jury(user: User, edition: Edition) -> bool:
    return db.session.scalar(sa.select(JuryProfile.id).where(
        JuryProfile.user_id == user.id, JuryProfile.edition_id == edition.id)) is not None


def _challenge_ids(user: User, edition: Edition) -> list[int]:
    if user.organisation_id is None:
        return []
    return list(db.session.scalars(sa.select(Challenge.id).where(
        Challenge.edition_id == edition.id, Challenge.organisation_id == user.organisation_id)
        .order_by(Challenge.id)))


def default_active(user: User) -> bool:
    """Company contacts and organisers mentor unless they say otherwise; juries only when
    marked."""
    return user.role in ("company", "organizer")


def mentor_of(user: User, edition: Edition | None) -> Mentor | None:
    """The account as a mentor of this edition, or None if it does not mentor."""
    if edition is None or getattr(user, "role", None) not in MENTOR_ROLES:
        return None
    profile = profile_of(user, edition)
    active = profile.active if profile is not None else default_active(user)
    if not active or (user.role == "jury" and not _is_edition_jury(user, edition)):
        return None
    tags = list(profile.tags) if profile is not None else []
    if user.role == "company":
        return Mentor(user, tags, _challenge_ids(user, edition))
    return Mentor(user, tags, None)


def require_mentor(user: User, edition: Edition) -> Mentor:
    mentor = mentor_of(user, edition)
    if mentor is None:
        raise Forbidden(_("You are not a mentor of this edition: switch mentoring on in your "
                          "mentor profile first."))
    return mentor


def mentor_rooms(user: User, edition: Edition | None) -> list[str]:
    """The live rooms of a mentor's queue, decided from the account alone."""
    mentor = mentor_of(user, edition)
    if mentor is None:
        return []
    if mentor.challenge_ids is None:
        return [mentors_room()]
    return [mentors_room(challenge_id) for challenge_id in mentor.challenge_ids]


def _upsert(user: User, edition: Edition) -> MentorProfile:
    profile = profile_of(user, edition)
    if profile is None:
        profile = MentorProfile(user_id=user.id, edition_id=edition.id, tags=[],
                                active=default_active(user))
        db.session.add(profile)
    return profile


def save_mentor_profile(user: User, edition: Edition, tags_text: str,
                        active: bool) -> MentorProfile:
    """A mentor sets their expertise and whether they mentor this week."""
    if user.role not in MENTOR_ROLES:
        raise Forbidden(_("Only company contacts, juries and organisers mentor teams."))
    if user.role == "jury" and active and not _is_edition_jury(user, edition):
        raise InvalidInput(_("You are not a jury of this edition."), field="active")
    tags = parse_tags(tags_text)
    profile = _upsert(user, edition)
    rooms_change = profile.active != active
    profile.tags, profile.active, profile.updated_at = tags, active, utcnow()
    db.session.commit()
    if rooms_change:  # the live connections rejoin with the rooms the switch now gives
        disconnect_users([user.id])
    return profile


def set_jury_mentoring(actor: User, edition: Edition, jury_user_id: int,
                       active: bool) -> MentorProfile:
    """An organiser marks a jury of the edition as a mentor (or no longer)."""
    jury = db.session.get(User, jury_user_id)
    if jury is None or jury.role != "jury" or not _is_edition_jury(jury, edition):
        raise NotFound(_("This jury is not part of the edition."))
    profile = _upsert(jury, edition)
    changed = profile.active != active
    profile.active, profile.updated_at = active, utcnow()
    record_audit(actor, "mentoring.jury_mentor", jury, edition_id=edition.id, active=active)
    db.session.commit()
    if changed:
        disconnect_users([jury.id])
    return profile


@dataclass(frozen=True)
class JuryMentoring:
    user: User
    mentors: bool
    tags: list[str]


def edition_juries(edition: Edition) -> list[JuryMentoring]:
    """The edition's juries with their mentoring switch and tags, by name."""
    rows = db.session.execute(
        sa.select(User, MentorProfile)
        .join(JuryProfile, sa.and_(JuryProfile.user_id == User.id,
                                   JuryProfile.edition_id == edition.id))
        .outerjoin(MentorProfile, sa.and_(MentorProfile.user_id == User.id,
                                          MentorProfile.edition_id == edition.id))
        .order_by(User.last_name, User.first_name, User.id)).all()
    return [JuryMentoring(user, bool(profile and profile.active),
                          list(profile.tags) if profile else []) for user, profile in rows]


def known_tags(edition: Edition) -> list[str]:
    """Every tag a mentor of the edition gave: what teams are offered to pick from."""
    tags = set()
    for profile_tags in db.session.scalars(sa.select(MentorProfile.tags).where(
            MentorProfile.edition_id == edition.id, MentorProfile.active.is_(True))):
        tags.update(profile_tags or [])
    return sorted(tags)
