"""Invitations: accounts created for someone (an imported student, a jury, a company's contact)
who sets their password through a signed link sent by e-mail."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crunchtime.errors import Forbidden
from crunchtime.extensions import db
from crunchtime.models import JuryProfile, Organisation, OutboxMessage, User
from crunchtime.models.base import utcnow
from crunchtime.services.accounts.links import account_link_mail, send_account_link
from crunchtime.services.accounts.registration import commit_new_account, new_user
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition
from crunchtime.services.mail import deliver_mail

__all__ = ["account_link_mail", "commit_invitation", "invitation_mail", "invite_jury",
           "new_invited_account", "queue_invitation", "send_account_link"]


def invitation_mail(user: User, template: str, subject) -> tuple[str, str]:
    """(subject, body) of an invitation to set the password of an account created without
    one (link valid 14 days, works once), for callers that queue many mails at once."""
    return account_link_mail(user, "invite", "auth.accept_invitation", template, subject)


def new_invited_account(
    email: str, role: str, first_name: str, last_name: str, locale: str | None = None,
    **fields,
) -> User:
    """An account without password (it cannot log in until its invitation is accepted),
    added to the session; Conflict when the e-mail address is taken, whatever its case. Its
    address counts as verified: an organiser chose it, and only its owner gets the link."""
    fields.setdefault("email_verified_at", utcnow())
    user = new_user(email, role, first_name, last_name, locale, **fields)
    db.session.add(user)
    return user


def queue_invitation(user: User, template: str, subject) -> OutboxMessage:
    """Queue the mail carrying the link that sets the password of an invited account."""
    commit_new_account(db.session.flush)  # the link signs the account's id
    return send_account_link(user, "invite", "auth.accept_invitation", template, subject)


def commit_invitation(message: OutboxMessage) -> None:
    """Commit the new account (a concurrent one with the same e-mail becomes a Conflict),
    then send its invitation."""
    commit_new_account()
    deliver_mail([message])


def invite_jury(
    actor: User, email: str, first_name: str, last_name: str, expertise: str = "",
    organisation: Organisation | None = None, locale: str | None = None,
) -> User:
    """Create a jury account without password and mail it a link to set one."""
    if actor.role != "organizer":
        raise Forbidden(_("Only organisers can invite juries."))
    edition = require_current_edition()
    user = new_invited_account(email, "jury", first_name, last_name, locale,
                               organisation=organisation)
    db.session.add(JuryProfile(user=user, edition_id=edition.id, expertise=expertise.strip(),
                               invited_by_id=actor.id))
    message = queue_invitation(user, "mail/jury_invitation.txt",
                               _l("You are invited to the Crunch Time jury"))
    record_audit(actor, "jury.invite", user, edition_id=edition.id, email=user.email)
    commit_invitation(message)
    return user
