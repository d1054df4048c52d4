"""Creating accounts: students and companies register, organisers are created from the command
line; and what every way of creating or changing an account checks (free e-mail, strong
password)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.i18n import LANGUAGES
from crunchtime.models import Organisation, StudentProfile, User
from crunchtime.security import passwords, tokens
from crunchtime.services.accounts.words import password_weakness_message
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.mail import external_url


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    return find_user(email) is not None


def hashed_password(password: str) -> str:
    return passwords.hash_password(password, current_app.config["PASSWORD_HASH_PROFILE"])


def check_new_password(password: str, email: str, names: tuple[str, ...] = ()) -> None:
    reason = passwords.weakness(password, email, names)
    if reason:
        raise InvalidInput(password_weakness_message(reason))




def _refuse_taken_email(email: str) -> None:
    if email_taken(email):
        raise Conflict(_("An account already exists with this e-mail address."), field="email")


def new_user(email: str, role: str, first_name: str, last_name: str, locale, **fields) -> User:
    _refuse_taken_email(email)
    return User(
        email=normalise_email(email),
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        locale=locale if locale in LANGUAGES else None,
        **fields,
    )


def commit_new_account(write=None) -> None:
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
    check_new_password(password, email, (first_name, last_name))
    _refuse_taken_email(email)  # before the deliberately slow hash
    user = new_user(
        email, "student", first_name, last_name, locale, password_hash=hashed_password(password)
    )
    db.session.add(user)
    db.session.add(StudentProfile(user=user, edition_id=edition.id))
    commit_new_account()
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
    check_new_password(password, email, (first_name, last_name))
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
    user = new_user(
        email, "company", first_name, last_name, locale,
        password_hash=hashed_password(password), organisation=organisation,
    )
    db.session.add_all([organisation, user])
    commit_new_account()
    return user
































def create_organizer(email: str, first_name: str = "", last_name: str = "",
                     password: str | None = None) -> tuple[User, str | None]:
    """The first organiser (CLI). Without a password, returns a link to set one."""
    if password is not None:
        check_new_password(password, email, (first_name, last_name))
    user = new_user(
        email, "organizer", first_name, last_name, None,
        password_hash=hashed_password(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.flush()
    record_audit(None, "organizer.create", user, email=user.email)
    commit_new_account()
    if password is not None:
        return user, None
    token = tokens.make_token(
        current_app.config["SECRET_KEY"], "invite", user.id, user.password_hash, user.session_token
    )
    return user, external_url("auth.accept_invitation", token=token)
