"""The organisers' review of submitted challenges: approve, or send back with a comment.

Each decision is audited and mailed to the challenge's contact person.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, OutboxMessage, User
from crunchtime.models.base import utcnow
from crunchtime.models.organisation import CHALLENGE_STATUSES
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.mail import deliver_mail, external_url, queue_mail

PER_PAGE = 50
COMMENT_MAX = 5000


def _require_organizer(user: User) -> None:
    if user.role != "organizer":
        raise Forbidden(_("Only organisers can review challenges."))


def review_queue(edition: Edition, status: str | None, page: int):
    """One page of the edition's challenges, those waiting for review first."""
    statement = (
        sa.select(Challenge)
        .options(selectinload(Challenge.organisation))
        .where(Challenge.edition_id == edition.id)
        .order_by(
            sa.case((Challenge.status == "submitted", 0), else_=1),
            Challenge.submitted_at.is_(None),
            Challenge.submitted_at,
            Challenge.code,
        )
    )
    if status in CHALLENGE_STATUSES:
        statement = statement.where(Challenge.status == status)
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def status_counts(edition: Edition) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Challenge.status, sa.func.count(Challenge.id))
        .where(Challenge.edition_id == edition.id)
        .group_by(Challenge.status)
    )
    counts = dict.fromkeys(CHALLENGE_STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


def challenge_for_review(challenge_id: int) -> Challenge:
    challenge = db.session.scalar(
        sa.select(Challenge)
        .options(selectinload(Challenge.organisation), selectinload(Challenge.skills),
                 selectinload(Challenge.attachments))
        .where(Challenge.id == challenge_id)
    )
    if challenge is None:
        raise NotFound(_("This challenge does not exist."))
    return challenge


def _require_reviewable(reviewer: User, challenge: Challenge) -> Edition:
    _require_organizer(reviewer)
    edition = require_current_edition()
    if challenge.edition_id != edition.id:
        raise Conflict(_("This challenge belongs to a past edition; it can no longer change."))
    require_phase(edition, "review_challenge")
    if challenge.status != "submitted":
        raise Conflict(_("Only a submitted challenge can be reviewed; this one is no longer "
                         "waiting for review."))
    return edition


def approve_challenge(reviewer: User, challenge: Challenge) -> Challenge:
    """Open the challenge to students (from the preferences phase on)."""
    edition = _require_reviewable(reviewer, challenge)
    challenge.status = "approved"
    challenge.reviewed_at = utcnow()
    challenge.review_comment = ""
    record_audit(reviewer, "challenge.approve", challenge, edition_id=edition.id,
                 code=challenge.code)
    message = _mail_contact(challenge, "approved")
    db.session.commit()
    deliver_mail([message] if message else [])
    return challenge


def send_back_challenge(reviewer: User, challenge: Challenge, comment: str) -> Challenge:
    """Return the challenge to its company with what to change; it can then resubmit."""
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput(_("Explain to the company what to change."), field="comment")
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(_("This text is too long: at most %(n)d characters.",
                             n=COMMENT_MAX), field="comment")
    edition = _require_reviewable(reviewer, challenge)
    challenge.status = "rejected"
    challenge.reviewed_at = utcnow()
    challenge.review_comment = comment
    record_audit(reviewer, "challenge.send_back", challenge, edition_id=edition.id,
                 code=challenge.code, comment=comment)
    message = _mail_contact(challenge, "sent_back")
    db.session.commit()
    deliver_mail([message] if message else [])
    return challenge


def _contact(challenge: Challenge) -> tuple[str, str]:
    """(address, locale) of the person to tell: the contact, else the author."""
    author = db.session.get(User, challenge.created_by_id) if challenge.created_by_id else None
    address = challenge.contact_email or (author.email if author else "")
    account = db.session.scalar(sa.select(User).where(User.email == address)) if address else None
    locale = (account or author).locale if (account or author) else None
    return address, locale or "fr"


def _mail_contact(challenge: Challenge, decision: str) -> OutboxMessage | None:
    address, locale = _contact(challenge)
    if not address:
        return None
    link = external_url("company.view_challenge", challenge_id=challenge.id)
    with force_locale(locale):
        if decision == "approved":
            subject = _("Your challenge “%(title)s” is approved", title=challenge.title)
        else:
            subject = _("Your challenge “%(title)s” needs changes", title=challenge.title)
        body = render_template(f"mail/challenge_{decision}.txt", challenge=challenge, link=link)
    return queue_mail(address, subject, body, kind=f"challenge_{decision}")
