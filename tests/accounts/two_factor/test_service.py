"""Two-step verification, the service: enrolment, the ±1 step window, codes used once,
recovery codes, remembered devices, an organiser's reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from crunchtime.errors import Conflict, Forbidden
from crunchtime.models import AuditEvent, RecoveryCode, RememberedDevice, SecondFactor
from crunchtime.security import totp
from crunchtime.services.accounts import remembered_devices, second_factor
from tests import factories
from tests.accounts.two_factor.conftest import NOW, code_at, enrol


def test_enrolment_waits_for_a_first_code_then_gives_ten_recovery_codes(db, jury):
    enrolment = second_factor.begin_enrolment(jury)
    assert not second_factor.is_enrolled(jury)
    assert enrolment.uri.startswith("otpauth://totp/Crunch%20Time:")
    assert enrolment.qr_svg.startswith("<svg") and "<path" in enrolment.qr_svg
    assert enrolment.grouped_secret.replace(" ", "") == enrolment.secret
    assert all(len(group) == 4 for group in enrolment.grouped_secret.split())

    with pytest.raises(second_factor.CodeRejected):
        second_factor.confirm_enrolment(jury, "000000" if code_at(enrolment.secret, NOW)
                                        != "000000" else "111111", at=NOW)
    assert not second_factor.is_enrolled(jury)

    codes = second_factor.confirm_enrolment(jury, code_at(enrolment.secret, NOW), at=NOW)
    assert second_factor.is_enrolled(jury)
    assert len(codes) == len(set(codes)) == 10
    assert all(totp.normalise_recovery_code(code) for code in codes)
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.target_id == jury.id)) == "account.second_factor_enable"


def test_secrets_and_codes_are_not_stored_in_clear(db, jury):
    enrolled = enrol(jury)
    factor = db.session.scalar(sa.select(SecondFactor))
    assert enrolled.secret not in factor.secret_encrypted
    assert totp.decrypt_secret(factor.secret_encrypted, current_app.config["SECRET_KEY"]) \
        == enrolled.secret
    stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    for code in enrolled.recovery_codes:
        assert code not in stored and code.replace("-", "") not in stored
        assert totp.hash_recovery_code(code) in stored


def test_reloading_the_enrolment_page_keeps_the_scanned_secret(db, company_user):
    first = second_factor.begin_enrolment(company_user)
    assert second_factor.begin_enrolment(company_user).secret == first.secret
    enrol_again = second_factor.confirm_enrolment(
        company_user, code_at(first.secret, NOW), at=NOW)
    assert enrol_again
    with pytest.raises(Conflict):
        second_factor.begin_enrolment(company_user)


def test_students_have_no_second_factor(db, student):
    with pytest.raises(Forbidden):
        second_factor.begin_enrolment(student)


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_a_code_one_step_either_side_of_the_clock_is_accepted(db, jury, steps):
    enrolled = enrol(jury)
    code = code_at(enrolled.secret, NOW + steps * totp.STEP_SECONDS)
    assert second_factor.verify_code(jury, code, at=NOW) == "totp"


@pytest.mark.parametrize("steps", [-2, 2, -3, 3])
def test_a_code_two_steps_away_is_refused(db, jury, steps):
    enrolled = enrol(jury)
    code = code_at(enrolled.secret, NOW + steps * totp.STEP_SECONDS)
    if code in {code_at(enrolled.secret, NOW + s * 30) for s in (-1, 0, 1)}:
        pytest.skip("the same six digits happen to be valid in the window (1 in 10^5)")
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, code, at=NOW)


def test_the_same_code_is_refused_the_second_time(db, jury):
    enrolled = enrol(jury)
    code = code_at(enrolled.secret, NOW)
    assert second_factor.verify_code(jury, code, at=NOW) == "totp"
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, code, at=NOW)
    # Still refused a step later, while it is within the ±1 window.
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, code, at=NOW + totp.STEP_SECONDS)


def test_an_older_code_is_refused_once_a_newer_one_was_used(db, jury):
    enrolled = enrol(jury)
    assert second_factor.verify_code(jury, code_at(enrolled.secret, NOW + 30), at=NOW) == "totp"
    older = code_at(enrolled.secret, NOW)
    if older == code_at(enrolled.secret, NOW + 30):
        pytest.skip("two consecutive steps share their digits (1 in 10^6)")
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, older, at=NOW)
    assert second_factor.verify_code(jury, code_at(enrolled.secret, NOW + 60), at=NOW + 30)


def test_the_code_of_another_account_does_not_work(db, jury, company_user):
    enrol(jury)
    other = enrol(company_user)
    if code_at(other.secret, NOW) == code_at(second_factor.enrolment_of(
            second_factor.factor_of(jury), jury).secret, NOW):
        pytest.skip("both secrets give the same digits now (1 in 10^6)")
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, code_at(other.secret, NOW), at=NOW)


def test_a_recovery_code_works_once_whatever_its_spelling(db, jury):
    enrolled = enrol(jury)
    first, second = enrolled.recovery_codes[:2]
    assert second_factor.verify_code(jury, first, at=NOW) == "recovery"
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, first, at=NOW)
    typed = " ".join(second.replace("-", "").lower()).replace("0", "o")
    assert second_factor.verify_code(jury, typed, at=NOW) == "recovery"
    assert second_factor.recovery_codes_left(jury) == 8
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("account.second_factor_recovery_code") == 2


def test_a_recovery_code_of_another_account_does_not_work(db, jury, company_user):
    enrol(jury)
    other = enrol(company_user)
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, other.recovery_codes[0], at=NOW)
    assert second_factor.recovery_codes_left(company_user) == 10


def test_new_recovery_codes_replace_the_old_ones(db, jury):
    enrolled = enrol(jury)
    second_factor.verify_code(jury, enrolled.recovery_codes[0], at=NOW)
    new_codes = second_factor.regenerate_recovery_codes(
        jury, code_at(enrolled.secret, NOW), at=NOW)
    assert set(new_codes).isdisjoint(enrolled.recovery_codes)
    assert second_factor.recovery_codes_left(jury) == 10
    with pytest.raises(second_factor.CodeRejected):
        second_factor.verify_code(jury, enrolled.recovery_codes[1], at=NOW)
    assert second_factor.verify_code(jury, new_codes[0], at=NOW) == "recovery"


def test_turning_it_off_takes_a_code_and_removes_everything(db, jury):
    enrolled = enrol(jury)
    remembered_devices.remember_device(jury)
    with pytest.raises(second_factor.CodeRejected):
        second_factor.disable(jury, "not a code", at=NOW)
    assert second_factor.is_enrolled(jury)
    second_factor.disable(jury, code_at(enrolled.secret, NOW), at=NOW)
    assert not second_factor.is_enrolled(jury)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RememberedDevice)) == 0


def test_organisers_cannot_turn_it_off_when_it_is_required(app, db, organizer, monkeypatch):
    enrolled = enrol(organizer)
    monkeypatch.setitem(app.config, "ORGANIZER_2FA", "required")
    with pytest.raises(Forbidden):
        second_factor.disable(organizer, code_at(enrolled.secret, NOW), at=NOW)
    assert second_factor.is_enrolled(organizer)


def test_required_applies_to_organisers_only(app, db, organizer, jury, monkeypatch):
    assert not second_factor.needs_second_step(organizer)
    monkeypatch.setitem(app.config, "ORGANIZER_2FA", "required")
    assert second_factor.must_enrol(organizer) and second_factor.needs_second_step(organizer)
    assert not second_factor.needs_second_step(jury)
    enrol(organizer)
    assert not second_factor.must_enrol(organizer) and second_factor.needs_second_step(organizer)


def test_an_organiser_resets_another_accounts_second_factor_and_it_is_audited(db, jury,
                                                                               organizer):
    enrol(jury)
    remembered_devices.remember_device(jury)
    second_factor.reset_second_factor(organizer, jury)
    assert second_factor.factor_of(jury) is None
    assert remembered_devices.count_devices(jury) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "account.second_factor_reset"))
    assert (event.actor_id, event.target_type, event.target_id) == (organizer.id, "User", jury.id)
    with pytest.raises(Conflict):
        second_factor.reset_second_factor(organizer, jury)


def test_nobody_resets_their_own_second_factor_and_only_organisers_reset(db, jury, organizer):
    enrol(organizer)
    with pytest.raises(Forbidden):
        second_factor.reset_second_factor(organizer, organizer)
    with pytest.raises(Forbidden):
        second_factor.reset_second_factor(jury, organizer)
    assert second_factor.is_enrolled(organizer)


def test_a_remembered_device_lasts_12_hours_for_its_own_account(db, jury, company_user,
                                                                 monkeypatch):
    enrol(jury)
    enrol(company_user)
    cookie, max_age = remembered_devices.remember_device(jury)
    assert max_age == 12 * 3600
    assert remembered_devices.device_remembered(jury, cookie)
    assert not remembered_devices.device_remembered(company_user, cookie)
    assert not remembered_devices.device_remembered(jury, cookie[:-2] + "xx")
    assert not remembered_devices.device_remembered(jury, None)

    start = remembered_devices.utcnow()
    monkeypatch.setattr(remembered_devices, "utcnow",
                        lambda: start + timedelta(hours=11, minutes=59))
    assert remembered_devices.device_remembered(jury, cookie)
    monkeypatch.setattr(remembered_devices, "utcnow",
                        lambda: start + timedelta(hours=12, seconds=1))
    assert not remembered_devices.device_remembered(jury, cookie)


def test_a_device_cookie_signed_for_one_account_cannot_be_moved_to_another(db, jury,
                                                                           company_user):
    """The cookie names its account inside the signature, and the token is checked against
    that account's devices: rewriting the account id breaks the signature."""
    enrol(jury)
    enrol(company_user)
    cookie, _max_age = remembered_devices.remember_device(jury)
    payload = remembered_devices._device_serializer().loads(cookie)
    forged = remembered_devices._device_serializer().dumps({**payload, "u": company_user.id})
    # Even re-signed (which needs SECRET_KEY), the token belongs to the jury's devices only.
    assert not remembered_devices.device_remembered(company_user, forged)


def test_a_secret_from_another_secret_key_is_replaced_at_the_next_enrolment(app, db, jury,
                                                                           monkeypatch):
    first = second_factor.begin_enrolment(jury)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key")
    assert second_factor.pending_enrolment(jury) is None
    again = second_factor.begin_enrolment(jury)
    assert again.secret != first.secret
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecondFactor)) == 1


def test_enrolled_accounts_list_each_account_with_its_codes_left(db, jury, organizer):
    enrolled = enrol(jury)
    second_factor.verify_code(jury, enrolled.recovery_codes[0], at=NOW)
    waiting = factories.company_user(last_name="Zola")
    second_factor.begin_enrolment(waiting)
    rows = second_factor.enrolled_accounts()
    assert [(row.user.id, row.codes_left, row.factor.enabled_at is None) for row in rows] == [
        (jury.id, 9, False), (waiting.id, 0, True)]
    assert second_factor.organizers_without_second_factor() == [organizer]


def test_organizer_2fa_takes_optional_or_required_only(tmp_path):
    from crunchtime.config import ConfigError, load_config

    assert load_config(tmp_path, environ={})["ORGANIZER_2FA"] == "optional"
    assert load_config(tmp_path, environ={"ORGANIZER_2FA": "Required"})["ORGANIZER_2FA"] \
        == "required"
    with pytest.raises(ConfigError, match="ORGANIZER_2FA"):
        load_config(tmp_path, environ={"ORGANIZER_2FA": "always"})
