"""Two-step verification: enrolling an authenticator app (TOTP), checking its codes and the
recovery codes, remembering a device for a few hours, and an organiser's reset of another
account's second factor. Mandatory for organisers when ORGANIZER_2FA=required."""

from __future__ import annotations

from dataclasses import dataclass

import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crunchtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from crunchtime.extensions import db
from crunchtime.models import RecoveryCode, SecondFactor, User
from crunchtime.models.base import utcnow
from crunchtime.security import totp
from crunchtime.services.accounts import remembered_devices
from crunchtime.services.accounts.registration import find_user
from crunchtime.services.audit import record_audit

ROLES_WITH_SECOND_FACTOR = ("organizer", "jury", "company")
ISSUER = "Crunch Time"


class CodeRejected(InvalidInput):
    """A wrong, reused or malformed code: counted by the rate limits."""

    code = "second_factor_code_rejected"


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the QR code (SVG) and the secret for manual entry."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def grouped_secret(self) -> str:
        return totp.grouped(self.secret)


def factor_of(user: User) -> SecondFactor | None:
    return db.session.scalar(sa.select(SecondFactor).where(SecondFactor.user_id == user.id))


def is_enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.enabled_at is not None


def is_required(user: User) -> bool:
    return user.role == "organizer" and current_app.config["ORGANIZER_2FA"] == "required"


def may_use(user: User) -> bool:
    """Students sign in with their university account or a password only."""
    return user.role in ROLES_WITH_SECOND_FACTOR


def must_enrol(user: User) -> bool:
    return is_required(user) and not is_enrolled(user)


def needs_second_step(user: User) -> bool:
    return is_enrolled(user) or must_enrol(user)


def recovery_codes_left(user: User) -> int:
    factor = factor_of(user)
    if factor is None:
        return 0
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RecoveryCode).where(
            RecoveryCode.second_factor_id == factor.id, RecoveryCode.used_at.is_(None))
    )


def _secret_key() -> str:
    return current_app.config["SECRET_KEY"]


def enrolment_of(factor: SecondFactor, user: User) -> Enrolment:
    secret = totp.decrypt_secret(factor.secret_encrypted, _secret_key())
    uri = totp.provisioning_uri(secret, user.email, ISSUER)
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, light="#fff", dark="#000", omitsize=True, svgclass="qr-code",
        title=_("QR code to scan with your authenticator app"),
    )
    return Enrolment(secret, uri, svg)


def begin_enrolment(user: User) -> Enrolment:
    """A secret waiting for its first code; the same one until confirmed (a reloaded page
    still matches what the phone scanned). One the server can no longer read is replaced."""
    if not may_use(user):
        raise Forbidden(_("Two-step verification is not offered for this account."))
    factor = factor_of(user)
    if factor is not None and factor.enabled_at is not None:
        raise Conflict(_("Two-step verification is already on for this account."))
    if factor is not None:
        try:
            return enrolment_of(factor, user)
        except totp.UnreadableSecret:
            db.session.delete(factor)
            db.session.flush()
    factor = SecondFactor(user_id=user.id,
                          secret_encrypted=totp.encrypt_secret(totp.new_secret(), _secret_key()))
    db.session.add(factor)
    db.session.commit()
    return enrolment_of(factor, user)


def pending_enrolment(user: User) -> Enrolment | None:
    factor = factor_of(user)
    if factor is None or factor.enabled_at is not None:
        return None
    try:
        return enrolment_of(factor, user)
    except totp.UnreadableSecret:
        return None


def _claim_step(factor: SecondFactor, code: str, at: float | None) -> bool:
    """The code's step is recorded as used, atomically: of two requests carrying the same code,
    one wins. A step not after the last one used is refused (a replay, or an older code)."""
    try:
        secret = totp.decrypt_secret(factor.secret_encrypted, _secret_key())
    except totp.UnreadableSecret:
        return False
    step = totp.matching_step(secret, code, at)
    if step is None:
        return False
    claimed = db.session.execute(
        sa.update(SecondFactor)
        .where(SecondFactor.id == factor.id,
               sa.or_(SecondFactor.last_used_step.is_(None),
                      SecondFactor.last_used_step < step))
        .values(last_used_step=step, last_used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if claimed:
        db.session.refresh(factor)
    return claimed


def _claim_recovery_code(factor: SecondFactor, code: str) -> bool:
    normalised = totp.normalise_recovery_code(code)
    if normalised is None:
        return False
    return db.session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.second_factor_id == factor.id,
               RecoveryCode.code_hash == totp.hash_recovery_code(normalised),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def _rejected(message: str | None = None) -> CodeRejected:
    return CodeRejected(message or _("This code is not valid. Enter the code your app shows "
                                     "now (each code works once), or a recovery code."),
                        field="code")


def _new_recovery_codes(factor: SecondFactor) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.second_factor_id == factor.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(second_factor_id=factor.id,
                                    code_hash=totp.hash_recovery_code(code)) for code in codes)
    return codes


def confirm_enrolment(user: User, code: str, at: float | None = None) -> list[str]:
    """The first code from the app turns the factor on; returns the ten recovery codes, shown
    once (only their hashes are kept)."""
    factor = factor_of(user)
    if factor is None or factor.enabled_at is not None:
        raise Conflict(_("There is no enrolment waiting: start again."))
    if not _claim_step(factor, code, at):
        db.session.commit()
        raise _rejected(_("This code does not match. Check that your phone's clock is right "
                          "and enter the code your app shows now."))
    factor.enabled_at = utcnow()
    codes = _new_recovery_codes(factor)
    record_audit(user, "account.second_factor_enable", user)
    db.session.commit()
    return codes


def verify_code(user: User, code: str, at: float | None = None) -> str:
    """The second step of a login, or the proof before a change: a TOTP code of the current
    step ±1 not used before, or an unused recovery code. Returns "totp" or "recovery"."""
    factor = factor_of(user)
    if factor is None or factor.enabled_at is None:
        raise Conflict(_("Two-step verification is not on for this account."))
    if totp.normalise_totp_code(code) is not None:
        method = "totp" if _claim_step(factor, code, at) else None
    else:
        method = "recovery" if _claim_recovery_code(factor, code) else None
    db.session.commit()
    if method is None:
        raise _rejected()
    if method == "recovery":
        record_audit(user, "account.second_factor_recovery_code", user,
                     left=recovery_codes_left(user))
        db.session.commit()
    return method


def regenerate_recovery_codes(user: User, code: str, at: float | None = None) -> list[str]:
    """New codes replace every old one (used or not), after a proof of the factor."""
    verify_code(user, code, at)
    codes = _new_recovery_codes(factor_of(user))
    record_audit(user, "account.second_factor_recovery_codes", user)
    db.session.commit()
    return codes


def disable(user: User, code: str, at: float | None = None) -> None:
    if is_required(user):
        raise Forbidden(_("Organisers must keep two-step verification on."))
    verify_code(user, code, at)
    _remove(user)
    record_audit(user, "account.second_factor_disable", user)
    db.session.commit()


def reset_second_factor(actor: User, target: User) -> None:
    """An organiser removes another account's second factor (a lost phone and lost codes):
    its next login asks for a password only, or for a new enrolment if it is required."""
    if actor.role != "organizer":
        raise Forbidden(_("Only organisers can reset a second factor."))
    if actor.id == target.id:
        raise Forbidden(_("Ask another organiser to reset your own second factor."))
    _reset(actor, target, "organizer")


def reset_second_factor_from_console(email: str) -> User:
    """`crunchtime reset-second-factor EMAIL`: for whoever runs the server, when no other
    organiser can (the only organiser lost their phone and their codes)."""
    target = find_user(email)
    if target is None:
        raise NotFound(_("No account has the address %(email)s.", email=email))
    _reset(None, target, "console")
    return target


def _reset(actor: User | None, target: User, via: str) -> None:
    if factor_of(target) is None:
        raise Conflict(_("%(name)s has no second factor to reset.", name=target.full_name))
    _remove(target)
    record_audit(actor, "account.second_factor_reset", target, email=target.email, via=via)
    db.session.commit()


def _remove(user: User) -> None:
    factor = factor_of(user)
    if factor is not None:
        db.session.delete(factor)
    remembered_devices.delete_devices(user)


@dataclass(frozen=True)
class EnrolledAccount:
    user: User
    factor: SecondFactor
    codes_left: int


def enrolled_accounts() -> list[EnrolledAccount]:
    """Every account with a second factor (on, or waiting for its first code), by name, for
    the organisers' page where they reset one."""
    codes_left = (
        sa.select(RecoveryCode.second_factor_id, sa.func.count().label("left"))
        .where(RecoveryCode.used_at.is_(None))
        .group_by(RecoveryCode.second_factor_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(User, SecondFactor, sa.func.coalesce(codes_left.c.left, 0))
        .join(SecondFactor, SecondFactor.user_id == User.id)
        .outerjoin(codes_left, codes_left.c.second_factor_id == SecondFactor.id)
        .order_by(User.last_name, User.first_name, User.email, User.id)
    ).all()
    return [EnrolledAccount(user, factor, left) for user, factor, left in rows]


def organizers_without_second_factor() -> list[User]:
    enrolled = sa.select(SecondFactor.user_id).where(SecondFactor.enabled_at.is_not(None))
    return list(db.session.scalars(
        sa.select(User).where(User.role == "organizer", User.active.is_(True),
                              User.id.not_in(enrolled))
        .order_by(User.last_name, User.first_name, User.email, User.id)
    ))
