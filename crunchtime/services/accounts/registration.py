"""Creating accounts: students and companies register (and prove their address by a link sent
to it), organisers are created from the command line; and what every way of creating or
changing an account checks (free e-mail, strong password).

Registration never says whether an address already has an account: a taken address gets the
same answer as a new one ("check your mailbox"), and its owner is told by mail instead."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.extensions import db
from crunchtime.i18n import LANGUAGES
from crunchtime.models import Organisation, StudentProfile, User
from crunchtime.models.base import utcnow
from crunchtime.security import passwords, tokens
from crunchtime.services.accounts.links import send_account_link
from crunchtime.services.accounts.words import password_weakness_message
from crunchtime.services.audit import record_audit
from crunchtime.services.editions.current import require_current_edition, require_phase
from crunchtime.services.mail import deliver_mail, external_url, queue_mail

VERIFY_SUBJECT = _l("Confirm your e-mail address for Crunch Time")
ACCOUNT_EXISTS_SUBJECT = _l("You already have a Crunch Time account")


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


def email_domain_allowed(email: str, domains: list[str]) -> bool:
    """Whether the address is in one of `domains` or their subdomains (no domains: any)."""
    if not domains:
        return True
    domain = normalise_email(email).rpartition("@")[2]
    return any(domain == allowed or domain.endswith("." + allowed) for allowed in domains)


def check_student_email(email: str) -> None:
    """Students register with their school's address (STUDENT_EMAIL_DOMAINS)."""
    domains = current_app.config.get("STUDENT_EMAIL_DOMAINS") or []
    if not email_domain_allowed(email, domains):
        raise InvalidInput(
            _("Register with your school e-mail address: it must end in %(domains)s.",
              domains=", ".join(f"@{domain}" for domain in domains)),
            field="email",
        )


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


def verification_mail(user: User):
    """Queue the mail whose link proves that the address is the account holder's."""
    return send_account_link(user, "verify", "auth.verify_email", "mail/verify_email.txt",
                             VERIFY_SUBJECT)


def _owner_notice(user: User):
    """What a registration with a taken address mails to its owner: the verification link
    again while the account waits for it, else where to log in or reset the password."""
    if not user.active:
        return None
    if user.email_verified_at is None and user.has_password:
        return verification_mail(user)
    with force_locale(user.locale or "fr"):
        body = render_template("mail/account_exists.txt", user=user,
                               login=external_url("auth.login"),
                               reset=external_url("auth.forgot_password"))
        return queue_mail(user.email, str(ACCOUNT_EXISTS_SUBJECT), body, kind="account_exists")


def _notify_owner(email: str) -> None:
    owner = find_user(email)
    message = _owner_notice(owner) if owner is not None else None
    db.session.commit()
    deliver_mail([message] if message is not None else [])


def _sign_up(email: str, password: str, build) -> None:
    """Create the account `build(password_hash)` returns (with its other rows) unverified and
    mail it its verification link; or, when the address is taken, mail its owner. The answer
    and the time taken are the same either way (the password is hashed in both)."""
    password_hash = hashed_password(password)
    try:
        user, rows = build(password_hash)
        db.session.add_all(rows)
        db.session.flush()  # the link signs the account's id
        message = verification_mail(user)
        db.session.commit()
    except (Conflict, IntegrityError):  # taken, maybe at this very moment from elsewhere
        db.session.rollback()
        _notify_owner(email)
        return
    deliver_mail([message])


def register_student(
    email: str, first_name: str, last_name: str, password: str, locale: str | None = None
) -> None:
    """A student account waiting for its address to be verified (or a mail to the owner of a
    taken address): the caller says "check your mailbox" in both cases."""
    edition = require_current_edition()
    require_phase(edition, "register_student")
    check_student_email(email)
    check_new_password(password, email, (first_name, last_name))

    def build(password_hash: str) -> tuple[User, list]:
        user = new_user(email, "student", first_name, last_name, locale,
                        password_hash=password_hash)
        return user, [user, StudentProfile(user=user, edition_id=edition.id)]

    _sign_up(email, password, build)


def register_company(
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    organisation_name: str,
    organisation_kind: str,
    locale: str | None = None,
) -> None:
    """A company account and its new organisation, waiting for the address to be verified
    (or a mail to the owner of a taken address)."""
    edition = require_current_edition()
    require_phase(edition, "register_company")
    check_new_password(password, email, (first_name, last_name))
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

    def build(password_hash: str) -> tuple[User, list]:
        organisation = Organisation(name=name, kind=organisation_kind)
        user = new_user(email, "company", first_name, last_name, locale,
                        password_hash=password_hash, organisation=organisation)
        return user, [organisation, user]

    _sign_up(email, password, build)


def create_organizer(email: str, first_name: str = "", last_name: str = "",
                     password: str | None = None) -> tuple[User, str | None]:
    """The first organiser (CLI), verified (whoever runs the command vouches for the
    address). Without a password, returns a link to set one."""
    if password is not None:
        check_new_password(password, email, (first_name, last_name))
    user = new_user(
        email, "organizer", first_name, last_name, None,
        password_hash=hashed_password(password) if password is not None else None,
        email_verified_at=utcnow(),
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
