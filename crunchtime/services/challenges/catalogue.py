"""The students' catalogue of approved challenges, and who may download an attachment.

Read-only: a page of the catalogue costs the same few queries whatever the number of
challenges (one count, one page, one batch of skills; the filters, one query each).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from crunchtime.errors import NotFound
from crunchtime.extensions import db
from crunchtime.models import Challenge, ChallengeAttachment, Edition, Organisation, Skill, User
from crunchtime.models.organisation import challenge_skill
from crunchtime.phases import phase_index
from crunchtime.services.challenges.drafts import deny_access
from crunchtime.services.editions.current import current_edition
from crunchtime.text import fold

OPENS_WITH_PHASE = "preferences"
PER_PAGE = 20
ALWAYS_BROWSING = ("organizer", "jury")


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    skill_id: int | None = None
    organisation_id: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.query.strip() or self.skill_id or self.organisation_id)


def catalogue_is_open(edition: Edition) -> bool:
    """Students see the catalogue from the preferences phase on."""
    return phase_index(edition.phase) >= phase_index(OPENS_WITH_PHASE)


def can_browse(user: User, edition: Edition) -> bool:
    return user.role in ALWAYS_BROWSING or (user.role == "student" and catalogue_is_open(edition))


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_conditions(query: str) -> list:
    """Every word of the folded query must appear in the folded search text."""
    return [Challenge.search_text.like(_like_pattern(word), escape="\\")
            for word in fold(query).split()[:10]]


def _visible(edition: Edition):
    return sa.select(Challenge).where(
        Challenge.edition_id == edition.id, Challenge.status == "approved"
    )


def catalogue_page(edition: Edition, filters: CatalogueFilters, page: int):
    statement = (
        _visible(edition)
        .options(joinedload(Challenge.organisation), selectinload(Challenge.skills))
        .where(*search_conditions(filters.query))
        .order_by(Challenge.code)
    )
    if filters.skill_id:
        statement = statement.where(Challenge.id.in_(
            sa.select(challenge_skill.c.challenge_id)
            .where(challenge_skill.c.skill_id == filters.skill_id)
        ))
    if filters.organisation_id:
        statement = statement.where(Challenge.organisation_id == filters.organisation_id)
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def filter_choices(edition: Edition) -> tuple[list[Skill], list[Organisation]]:
    """Skills and organisations that at least one visible challenge has."""
    visible = _visible(edition).with_only_columns(Challenge.id)
    skills = db.session.scalars(
        sa.select(Skill).where(Skill.id.in_(
            sa.select(challenge_skill.c.skill_id)
            .where(challenge_skill.c.challenge_id.in_(visible))
        ))
    )
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(
            visible.with_only_columns(Challenge.organisation_id)
        ))
    )
    return (sorted(skills, key=lambda skill: fold(skill.name)),
            sorted(organisations, key=lambda organisation: fold(organisation.name)))


def catalogue_challenge(edition: Edition, code: str) -> Challenge:
    challenge = db.session.scalar(
        _visible(edition)
        .options(joinedload(Challenge.organisation), selectinload(Challenge.skills),
                 selectinload(Challenge.attachments))
        .where(Challenge.code == code.strip().upper())
    )
    if challenge is None:
        raise NotFound(_("No open challenge has the code %(code)s.", code=code[:8]))
    return challenge


def attachment_for(user: User, attachment_id: int) -> ChallengeAttachment:
    """The attachment if `user` may download it: its organisation and organisers always;
    students and juries when its challenge is in the catalogue they can browse."""
    row = db.session.execute(
        sa.select(ChallengeAttachment, Challenge)
        .join(Challenge, ChallengeAttachment.challenge_id == Challenge.id)
        .where(ChallengeAttachment.id == attachment_id)
    ).first()
    if row is None:
        raise NotFound(_("This attachment does not exist."))
    attachment, challenge = row
    if user.role == "organizer":
        return attachment
    if user.role == "company":
        if challenge.organisation_id != user.organisation_id:
            deny_access(user, challenge, "attachment")
        return attachment
    edition = current_edition()
    visible = (edition is not None and challenge.edition_id == edition.id
               and challenge.status == "approved" and can_browse(user, edition))
    if not visible:
        raise NotFound(_("This attachment does not exist."))
    return attachment
