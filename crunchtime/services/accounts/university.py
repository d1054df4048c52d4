"""Signing in with a university account (CAS or OpenID Connect): which Crunch Time account
the provider's person opens, and the organisers' choice to keep students off passwords.

An identity is found by the provider's subject first (remembered at the first sign-in), else
by e-mail address, whatever its case: an imported student or an invited jury signs in without
ever setting a password. An unknown person becomes a student only while students may register
and when the address is in STUDENT_EMAIL_DOMAINS; anything else is refused with the reason."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.models import Edition, StudentProfile, UniversityIdentity, User
from crunchtime.models.base import utcnow
from crunchtime.phases import is_open
from crunchtime.security.sso import Assertion
from crunchtime.services.accounts.registration import email_domain_allowed, find_user
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import current_edition, require_current_edition

STUDENT_PASSWORDS = "student_password_login"

# Why a university account is refused (UniversityAccountRefused.reason).
REGISTRATION_CLOSED = "registration_closed"
OUTSIDE_DOMAINS = "outside_domains"
INACTIVE = "inactive"
LINKED_ELSEWHERE = "linked_elsewhere"


class UniversityAccountRefused(Forbidden):
    """The provider vouched for this person, but they may not enter Crunch Time (now)."""

    code = "university_account_refused"

    def __init__(self, reason: str, message: str, email: str):
        super().__init__(message, reason=reason)
        self.reason = reason
        self.email = email


class PasswordLoginClosed(Forbidden):
    """A student's right password, while students must use their university account."""

    code = "password_login_closed"


def sso_enabled() -> bool:
    config = current_app.config
    return bool(config.get("CAS_SERVER_URL")) or bool(
        (config.get("OIDC_ISSUER") or config.get("OIDC_DISCOVERY_URL"))
        and config.get("OIDC_CLIENT_ID"))


def student_passwords_allowed(edition: Edition | None = None) -> bool:
    """Students may sign in with a password unless the organisers turned it off, which only
    counts while a university sign-in exists (else no student could sign in at all)."""
    edition = edition if edition is not None else current_edition()
    if edition is None or not sso_enabled():
        return True
    return bool((edition.settings or {}).get(STUDENT_PASSWORDS, True))


def check_password_login(user: User) -> None:
    """Called once the password is known to be right: refuse a student's when closed."""
    if user.role == "student" and not student_passwords_allowed():
        raise PasswordLoginClosed(_(
            "Students sign in with their university account: use the button above."))


def set_student_password_login(actor: User, allowed: bool) -> Edition:
    """Organisers open or close password sign-in for students of the current edition."""
    edition = require_current_edition()
    if not allowed and not sso_enabled():
        raise InvalidInput(_(
            "No university sign-in is configured: students would have no way to sign in."))
    settings = dict(edition.settings or {})
    if settings.get(STUDENT_PASSWORDS, True) != allowed:
        settings[STUDENT_PASSWORDS] = allowed
        edition.settings = settings
        record_audit(actor, "sso.student_passwords", edition, edition_id=edition.id,
                     allowed=allowed)
    db.session.commit()
    return edition


def _identity(provider: str, subject: str) -> UniversityIdentity | None:
    return db.session.scalar(sa.select(UniversityIdentity).where(
        UniversityIdentity.provider == provider, UniversityIdentity.subject == subject))


def _refuse(reason: str, email: str) -> UniversityAccountRefused:
    messages = {
        INACTIVE: _("The Crunch Time account of %(email)s is deactivated.", email=email),
        LINKED_ELSEWHERE: _(
            "The Crunch Time account of %(email)s is already linked to another university "
            "account.", email=email),
        REGISTRATION_CLOSED: _(
            "No Crunch Time account exists for %(email)s, and student registration is not "
            "open now.", email=email),
        OUTSIDE_DOMAINS: _(
            "No Crunch Time account exists for %(email)s, and only students' addresses can "
            "create one.", email=email),
    }
    return UniversityAccountRefused(reason, messages[reason], email)


def _new_student(assertion: Assertion) -> User:
    edition = current_edition()
    if edition is None or not is_open("register_student", edition.phase):
        raise _refuse(REGISTRATION_CLOSED, assertion.email)
    domains = current_app.config.get("STUDENT_EMAIL_DOMAINS") or []
    if not domains or not email_domain_allowed(assertion.email, domains):
        raise _refuse(OUTSIDE_DOMAINS, assertion.email)
    user = User(email=assertion.email, role="student", first_name=assertion.first_name[:80],
                last_name=assertion.last_name[:80], password_hash=None,
                email_verified_at=utcnow())
    db.session.add_all([user, StudentProfile(user=user, edition_id=edition.id)])
    db.session.flush()
    record_audit(user, "account.register_university", user, edition_id=edition.id,
                 provider=assertion.provider)
    return user


def _account_for(assertion: Assertion) -> User:
    identity = _identity(assertion.provider, assertion.subject)
    if identity is not None:
        return identity.user
    user = find_user(assertion.email)
    if user is None:
        user = _new_student(assertion)
    elif db.session.scalar(sa.select(UniversityIdentity.id).where(
            UniversityIdentity.user_id == user.id,
            UniversityIdentity.provider == assertion.provider)) is not None:
        raise _refuse(LINKED_ELSEWHERE, assertion.email)
    db.session.add(UniversityIdentity(user=user, provider=assertion.provider,
                                      subject=assertion.subject, provider_email=assertion.email))
    return user


def sign_in_university(assertion: Assertion) -> User:
    """The active account the provider's person opens (linked, found or created), committed;
    the caller then completes the login (second factor, fresh session)."""
    try:
        user = _account_for(assertion)
        if not user.active:
            raise _refuse(INACTIVE, user.email)
        identity = _identity(assertion.provider, assertion.subject)
        now = utcnow()
        if identity is not None:
            identity.provider_email, identity.last_login_at = assertion.email, now
        if user.email_verified_at is None:  # the university vouches for its address
            user.email_verified_at = now
        user.last_login_at = now
        db.session.commit()
    except UniversityAccountRefused:
        db.session.rollback()
        raise
    except IntegrityError:  # the same person's first sign-in, twice at once
        db.session.rollback()
        identity = _identity(assertion.provider, assertion.subject)
        if identity is None or not identity.user.active:
            raise
        return identity.user
    return user
