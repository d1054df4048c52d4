"""Accounts: registration, login, password reset, jury invitations, organisers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, Forbidden, InvalidInput
from crunchtime.extensions import db
from crunchtime.i18n import LANGUAGES
from crunchtime.models import JuryProfile, Organisation, OutboxMessage, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.models.user import new_session_token
from crunchtime.security import passwords, tokens
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.mail import deliver_mail, external_url, queue_mail


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    return find_user(email) is not None


def _hash(password: str) -> str:
    return passwords.hash_password(password, current_app.config["PASSWORD_HASH_PROFILE"])


def _check_new_password(password: str, email: str, names: tuple[str, ...] = ()) -> None:
    reason = passwords.weakness(password, email, names)
    if reason:
        raise InvalidInput(password_weakness_message(reason))


def password_weakness_message(reason: str) -> str:
    return {
        "too_short": _(
            "The password must have at least %(n)d characters.", n=passwords.MIN_LENGTH
        ),
        "too_long": _("The password must have at most %(n)d characters.", n=passwords.MAX_LENGTH),
        "too_common": _("This password is too common or too simple; choose another one."),
        "personal": _("The password must not contain your name or your e-mail address."),
    }[reason]


def _refuse_taken_email(email: str) -> None:
    if email_taken(email):
        raise Conflict(_("An account already exists with this e-mail address."), field="email")


def _new_user(email: str, role: str, first_name: str, last_name: str, locale, **fields) -> User:
    _refuse_taken_email(email)
    return User(
        email=normalise_email(email),
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        locale=locale if locale in LANGUAGES else None,
        **fields,
    )


def _commit_new_account(write=None) -> None:
    """Commit (or `write`); a concurrent registration of the same e-mail becomes a clear
    conflict."""
    try:
        (write or db.session.commit)()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(
            _("An account already exists with this e-mail address."), field="email"
        ) from error


def register_student(
    email: str, first_name: str, last_name: str, password: str, locale: str | None = None
) -> User:
    edition = require_current_edition()
    require_phase(edition, "register_student")
    _check_new_password(password, email, (first_name, last_name))
    _refuse_taken_email(email)  # before the deliberately slow hash
    user = _new_user(
        email, "student", first_name, last_name, locale, password_hash=_hash(password)
    )
    db.session.add(user)
    db.session.add(StudentProfile(user=user, edition_id=edition.id))
    _commit_new_account()
    return user


def register_company(
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    organisation_name: str,
    organisation_kind: str,
    locale: str | None = None,
) -> User:
    edition = require_current_edition()
    require_phase(edition, "register_company")
    _check_new_password(password, email, (first_name, last_name))
    _refuse_taken_email(email)  # before the deliberately slow hash
    name = " ".join(organisation_name.split())
    existing = db.session.scalar(
        sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.lower())
    )
    if existing is not None:
        raise Conflict(
            _(
                "“%(name)s” is already registered. Ask the organisers to invite you into it: "
                "you will receive a link to choose your password.",
                name=existing.name,
            ),
            field="organisation",
        )
    organisation = Organisation(name=name, kind=organisation_kind)
    user = _new_user(
        email, "company", first_name, last_name, locale,
        password_hash=_hash(password), organisation=organisation,
    )
    db.session.add_all([organisation, user])
    _commit_new_account()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials open, or None (same answer for every failure)."""
    user = find_user(email)
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    stored = user.password_hash if user is not None else None
    if not passwords.verify_password(stored, password, profile) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _account_link_mail(user: User, purpose: str, endpoint: str, template: str, subject):
    """(subject, body) of a mail carrying a signed link, in the user's language."""
    token = tokens.make_token(
        current_app.config["SECRET_KEY"], purpose, user.id, user.password_hash, user.session_token
    )
    link = external_url(endpoint, token=token)
    with force_locale(user.locale or "fr"):
        return str(subject), render_template(template, user=user, link=link)


def _send_account_link(user: User, purpose: str, endpoint: str, template: str, subject):
    subject_text, body = _account_link_mail(user, purpose, endpoint, template, subject)
    return queue_mail(user.email, subject_text, body, kind=purpose)


def invitation_mail(user: User, template: str, subject) -> tuple[str, str]:
    """(subject, body) of an invitation to set the password of an account created without
    one (link valid 14 days, works once), for callers that queue many mails at once."""
    return _account_link_mail(user, "invite", "auth.accept_invitation", template, subject)


def request_password_reset(email: str) -> None:
    """Mail a one-hour reset link if the account exists; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    message = _send_account_link(
        user, "reset", "auth.reset_password", "mail/reset_password.txt",
        _l("Reset your Crunch Time password"),
    )
    db.session.commit()
    deliver_mail([message])


def _user_from_token(purpose: str, token: str) -> User:
    user_id, fingerprint = tokens.read_token(current_app.config["SECRET_KEY"], purpose, token)
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise tokens.TokenError("invalid")
    tokens.check_fingerprint(fingerprint, user.password_hash, user.session_token)
    return user


def token_problem_message(reason: str) -> str:
    return {
        "expired": _("This link has expired. Ask for a new one."),
        "used": _("This link has already been used. Ask for a new one if you need it."),
        "invalid": _("This link is not valid. Check that you copied it completely."),
    }[reason]


def check_account_token(purpose: str, token: str) -> User:
    """The account a link opens, or InvalidInput saying why it cannot be used."""
    try:
        return _user_from_token(purpose, token)
    except tokens.TokenError as error:
        raise InvalidInput(token_problem_message(error.reason)) from error


def set_password_from_token(purpose: str, token: str, password: str) -> User:
    """Reset a password or accept an invitation; the link works once."""
    user = check_account_token(purpose, token)
    _check_new_password(password, user.email, (user.first_name, user.last_name))
    user.password_hash = _hash(password)
    user.session_token = new_session_token()
    record_audit(user, f"account.{purpose}", user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    if not passwords.verify_password(user.password_hash, current_password, profile):
        raise InvalidInput(_("The current password is not correct."), field="current_password")
    _check_new_password(new_password, user.email, (user.first_name, user.last_name))
    user.password_hash = _hash(new_password)
    user.session_token = new_session_token()
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale not in LANGUAGES:
        raise InvalidInput(_("Unknown language: %(code)s.", code=locale))
    user.locale = locale
    db.session.commit()


def new_invited_account(
    email: str, role: str, first_name: str, last_name: str, locale: str | None = None,
    **fields,
) -> User:
    """An account without password (it cannot log in until its invitation is accepted),
    added to the session; Conflict when the e-mail address is taken, whatever its case."""
    user = _new_user(email, role, first_name, last_name, locale, **fields)
    db.session.add(user)
    return user


def queue_invitation(user: User, template: str, subject) -> OutboxMessage:
    """Queue the mail carrying the link that sets the password of an invited account."""
    _commit_new_account(db.session.flush)  # the link signs the account's id
    return _send_account_link(user, "invite", "auth.accept_invitation", template, subject)


def commit_invitation(message: OutboxMessage) -> None:
    """Commit the new account (a concurrent one with the same e-mail becomes a Conflict),
    then send its invitation."""
    _commit_new_account()
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


def create_organizer(email: str, first_name: str = "", last_name: str = "",
                     password: str | None = None) -> tuple[User, str | None]:
    """The first organiser (CLI). Without a password, returns a link to set one."""
    if password is not None:
        _check_new_password(password, email, (first_name, last_name))
    user = _new_user(
        email, "organizer", first_name, last_name, None,
        password_hash=_hash(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.flush()
    record_audit(None, "organizer.create", user, email=user.email)
    _commit_new_account()
    if password is not None:
        return user, None
    token = tokens.make_token(
        current_app.config["SECRET_KEY"], "invite", user.id, user.password_hash, user.session_token
    )
    return user, external_url("auth.accept_invitation", token=token)
