"""Challenges as a company drafts them: create, edit, submit for review (attachments:
`challenge_attachments`).

A company user acts for its organisation only; its challenges can change while they are
drafts or sent back, and are locked once submitted or approved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, Organisation, Skill, User
from crunchtime.models.base import utcnow
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.text import fold, search_text, squash_spaces

EDITABLE_STATUSES = ("draft", "rejected")
CODE = re.compile(r"C(\d{3})")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TEXT_MAX = 10_000
TEAMS_MIN, TEAMS_MAX = 1, 10
REQUIRED_TO_SUBMIT = {
    "problem": _l("problem statement"),
    "deliverable": _l("expected deliverable"),
    "contact_name": _l("contact person"),
    "contact_email": _l("contact e-mail address"),
}


@dataclass
class ChallengeFields:
    """What a company writes; drafts may leave all but the title and teams empty."""

    title: str
    problem: str = ""
    context: str = ""
    deliverable: str = ""
    skill_ids: Sequence[int] = field(default_factory=tuple)
    teams_wanted: int | None = 1
    contact_name: str = ""
    contact_email: str = ""


def company_organisation(user: User) -> Organisation:
    if user.role != "company" or user.organisation_id is None:
        raise Forbidden(_("Only members of a partner organisation can post challenges."))
    return user.organisation


def is_editable(challenge: Challenge) -> bool:
    return challenge.status in EDITABLE_STATUSES


def refresh_search_text(challenge: Challenge) -> None:
    """Keep the catalogue's folded search column in step with what it is built from."""
    challenge.search_text = search_text(
        challenge.title, challenge.organisation.name if challenge.organisation else "",
        challenge.problem, challenge.context, *(skill.name for skill in challenge.skills),
    )


def next_challenge_code(taken: Iterable[str]) -> str:
    """The code after the highest C-number in use (or the first gap once C999 is taken)."""
    numbers = {int(match.group(1)) for code in taken if (match := CODE.fullmatch(code))}
    after_highest = max(numbers, default=0) + 1
    if after_highest <= 999:
        return f"C{after_highest:03d}"
    free = next((n for n in range(1, 1000) if n not in numbers), None)
    if free is None:
        raise Conflict(_("This edition has no challenge code left."))
    return f"C{free:03d}"


def edition_skills(edition: Edition) -> list[Skill]:
    """The edition's skill vocabulary in alphabetical order ("Énergie" among the E)."""
    skills = db.session.scalars(sa.select(Skill).where(Skill.edition_id == edition.id))
    return sorted(skills, key=lambda skill: fold(skill.name))


def company_challenges(user: User, edition: Edition) -> list[Challenge]:
    """The organisation's challenges of the edition, newest code first."""
    organisation = company_organisation(user)
    return list(db.session.scalars(
        sa.select(Challenge)
        .options(selectinload(Challenge.attachments))
        .where(Challenge.edition_id == edition.id,
               Challenge.organisation_id == organisation.id)
        .order_by(Challenge.code.desc())
    ))


def deny_access(user: User, challenge: Challenge, purpose: str):
    """Record who tried to reach another organisation's challenge, then refuse (403)."""
    record_audit(
        user, "access.denied", challenge, edition_id=challenge.edition_id, purpose=purpose,
        organisation_id=user.organisation_id,
        challenge_organisation_id=challenge.organisation_id,
        path=request.path if has_request_context() else "",
    )
    db.session.commit()
    raise Forbidden(_("This challenge belongs to another organisation."))


def load_company_challenge(user: User, challenge_id: int, purpose: str) -> Challenge:
    """The challenge if it is the user's organisation's; 404 if unknown, 403 + audit if not."""
    organisation = company_organisation(user)
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound(_("This challenge does not exist."))
    if challenge.organisation_id != organisation.id:
        deny_access(user, challenge, purpose)
    return challenge


def _clean_text(value: str | None, name: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise InvalidInput(_("This text is too long: at most %(n)d characters.", n=TEXT_MAX),
                           field=name)
    return value


def _clean(fields: ChallengeFields, edition: Edition) -> dict:
    """Checked, normalised column values (also guards callers that bypass the forms)."""
    title = squash_spaces(fields.title or "")
    if not title:
        raise InvalidInput(_("Give the challenge a title."), field="title")
    if len(title) > 200:
        raise InvalidInput(_("The title must have at most %(n)d characters.", n=200),
                           field="title")
    if fields.teams_wanted is None or not TEAMS_MIN <= fields.teams_wanted <= TEAMS_MAX:
        raise InvalidInput(
            _("The number of teams must be between %(low)d and %(high)d.",
              low=TEAMS_MIN, high=TEAMS_MAX), field="teams_wanted")
    email = (fields.contact_email or "").strip().lower()
    if email and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise InvalidInput(_("Enter a valid e-mail address for the contact person."),
                           field="contact_email")
    return {
        "title": title,
        "problem": _clean_text(fields.problem, "problem"),
        "context": _clean_text(fields.context, "context"),
        "deliverable": _clean_text(fields.deliverable, "deliverable"),
        "teams_wanted": fields.teams_wanted,
        "contact_name": squash_spaces(fields.contact_name or "")[:160],
        "contact_email": email,
        "skills": _skills(edition, fields.skill_ids),
    }


def _skills(edition: Edition, skill_ids: Sequence[int]) -> list[Skill]:
    wanted = set(skill_ids or ())
    if not wanted:
        return []
    skills = list(db.session.scalars(
        sa.select(Skill).where(Skill.edition_id == edition.id, Skill.id.in_(wanted))
        .order_by(Skill.name)
    ))
    if len(skills) != len(wanted):
        raise InvalidInput(_("Choose the skills from the edition's list."), field="skills")
    return skills


def require_changeable(challenge: Challenge) -> Edition:
    """The challenge's edition is the current one, posting is open, the challenge unlocked."""
    edition = require_current_edition()
    if challenge.edition_id != edition.id:
        raise Conflict(_("This challenge belongs to a past edition; it can no longer change."))
    require_phase(edition, "post_challenge")
    if not is_editable(challenge):
        raise Conflict(locked_message(challenge))
    return edition


def locked_message(challenge: Challenge) -> str:
    if challenge.status == "approved":
        return _("This challenge is approved: it can no longer be changed. Write to the "
                 "organisers if something must change.")
    return _("This challenge is waiting for the organisers' review: it cannot be changed "
             "until they approve it or send it back to you.")


def create_challenge(author: User, fields: ChallengeFields) -> Challenge:
    """A new draft of the author's organisation, with the next free code of the edition."""
    organisation = company_organisation(author)
    edition = require_current_edition()
    require_phase(edition, "post_challenge")
    for attempt in range(3):
        try:
            return _insert_challenge(author, organisation, edition, fields)
        except IntegrityError:
            db.session.rollback()  # another challenge took the code meanwhile: take the next
            if attempt == 2:
                raise
    raise Conflict(_("This edition has no challenge code left."))


def _insert_challenge(
    author: User, organisation: Organisation, edition: Edition, fields: ChallengeFields
) -> Challenge:
    values = _clean(fields, edition)
    taken = db.session.scalars(sa.select(Challenge.code).where(Challenge.edition_id == edition.id))
    challenge = Challenge(edition_id=edition.id, organisation=organisation,
                          code=next_challenge_code(taken), status="draft",
                          created_by_id=author.id, **values)
    refresh_search_text(challenge)
    db.session.add(challenge)
    db.session.flush()
    record_audit(author, "challenge.create", challenge, edition_id=edition.id,
                 code=challenge.code, title=challenge.title)
    db.session.commit()
    return challenge


def update_challenge(author: User, challenge: Challenge, fields: ChallengeFields) -> Challenge:
    company_organisation(author)
    edition = require_changeable(challenge)
    for name, value in _clean(fields, edition).items():
        setattr(challenge, name, value)
    refresh_search_text(challenge)
    record_audit(author, "challenge.update", challenge, edition_id=edition.id,
                 code=challenge.code, status=challenge.status)
    db.session.commit()
    return challenge


def missing_for_submission(challenge: Challenge) -> list[str]:
    return [str(label) for name, label in REQUIRED_TO_SUBMIT.items()
            if not getattr(challenge, name)]


def submit_challenge(author: User, challenge: Challenge) -> Challenge:
    """Send a complete draft (or a corrected one) to the organisers' review queue."""
    company_organisation(author)
    edition = require_changeable(challenge)
    missing = missing_for_submission(challenge)
    if missing:
        raise InvalidInput(_("Before submitting, complete: %(fields)s.",
                             fields=", ".join(missing)))
    resubmission = challenge.status == "rejected"
    challenge.status = "submitted"
    challenge.submitted_at = utcnow()
    record_audit(author, "challenge.submit", challenge, edition_id=edition.id,
                 code=challenge.code, resubmission=resubmission)
    db.session.commit()
    return challenge
