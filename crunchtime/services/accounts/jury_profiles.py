"""A jury account's profile in the current edition: what its scores and conflicts hang on."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from crunchtime.errors import Forbidden
from crunchtime.extensions import db
from crunchtime.models import Edition, JuryProfile, User
from crunchtime.services.editions.current import require_current_edition


def jury_profile(user: User, edition: Edition | None = None) -> JuryProfile:
    """The jury's profile in `edition` (default: the current one); Forbidden without one."""
    edition = edition or require_current_edition()
    profile = None
    if getattr(user, "role", None) == "jury":
        profile = db.session.scalar(sa.select(JuryProfile).where(
            JuryProfile.user_id == user.id, JuryProfile.edition_id == edition.id))
    if profile is None:
        raise Forbidden(_("You are not a jury member of this edition."))
    return profile


@dataclass(frozen=True)
class JuryAccount:
    """What checking a jury's request needs of its account, read in bulk."""

    user_id: int
    active: bool
    session_token: str | None
    role: str
    locale: str | None
    profile_id: int | None  # its jury profile in the edition, if any


def jury_accounts(user_ids: set[int], edition: Edition | None) -> dict[int, JuryAccount]:
    """These accounts (missing: deleted) with their jury profile in `edition`: one query."""
    if not user_ids:
        return {}
    profile = sa.and_(JuryProfile.user_id == User.id,
                      JuryProfile.edition_id == (edition.id if edition else None))
    rows = db.session.execute(
        sa.select(User.id, User.active, User.session_token, User.role, User.locale,
                  JuryProfile.id).outerjoin(JuryProfile, profile).where(User.id.in_(user_ids)))
    return {row[0]: JuryAccount(*row) for row in rows}


def jury_names(edition: Edition) -> dict[int, str]:
    """Jury profile id → the member's name, for the organisers' pages."""
    rows = db.session.execute(
        sa.select(JuryProfile.id, User.first_name, User.last_name, User.email)
        .join(User, User.id == JuryProfile.user_id)
        .where(JuryProfile.edition_id == edition.id)
    )
    return {profile_id: f"{first} {last}".strip() or email
            for profile_id, first, last, email in rows}
