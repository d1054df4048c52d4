"""An account's own two-step verification pages, and the organisers' reset of another's."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pyotp
import sqlalchemy as sa

from crunchtime.models import AuditEvent
from crunchtime.services.accounts import remembered_devices, second_factor
from tests.accounts.two_factor.conftest import enrol
from tests.helpers import csrf_token, post_form, says, text


def secret_on(page) -> str:
    match = re.search(r'id="secret-key"[^>]*>([A-Z2-7 ]+)<', text(page))
    assert match, "no secret on the page"
    return match.group(1).replace(" ", "")


def codes_on(page) -> list[str]:
    return re.findall(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>",
                      text(page))


def test_a_company_turns_it_on_from_its_settings(client, db, company_user, login):
    login(company_user)
    settings = client.get("/account/two-step")
    assert settings.status_code == 200 and says(settings, "Set up two-step verification")
    page = client.get("/account/two-step/setup")
    assert '<svg' in text(page)
    secret = secret_on(page)
    assert client.get("/account/two-step/setup").status_code == 200
    assert secret_on(client.get("/account/two-step/setup")) == secret

    wrong = post_form(client, "/account/two-step/setup", {"code": "12345"})
    assert wrong.status_code == 200 and secret_on(wrong) == secret
    assert not second_factor.is_enrolled(company_user)

    done = post_form(client, "/account/two-step/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = codes_on(done)
    assert len(codes) == 10
    assert 'download="crunchtime-recovery-codes.txt"' in text(done)
    download = re.search(r'href="data:text/plain;charset=utf-8,([^"]+)"', text(done)).group(1)
    assert all(code in unquote(html.unescape(download)) for code in codes)
    assert second_factor.is_enrolled(company_user)
    assert says(client.get("/account/two-step"), "Recovery codes left")


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(client, db, jury, login):
    enrolled = enrol(jury)
    login(jury)
    refused = client.post("/account/two-step/recovery-codes", data={
        "regenerate-code": "nope", "regenerate-csrf_token": csrf_token(client,
                                                                        "/account/two-step")})
    assert refused.status_code == 200 and says(
        refused, "This code is not valid. Enter the code your app shows now (each code works "
                 "once), or a recovery code.")
    done = client.post("/account/two-step/recovery-codes", data={
        "regenerate-code": enrolled.code(),
        "regenerate-csrf_token": csrf_token(client, "/account/two-step")})
    new_codes = codes_on(done)
    assert len(new_codes) == 10 and set(new_codes).isdisjoint(enrolled.recovery_codes)
    assert says(done, "New recovery codes are ready: the old ones no longer work.")


def test_a_jury_turns_it_off_with_a_recovery_code(client, db, jury, login):
    enrolled = enrol(jury)
    login(jury)
    response = client.post("/account/two-step/disable", data={
        "disable-code": enrolled.recovery_codes[0],
        "disable-csrf_token": csrf_token(client, "/account/two-step")})
    assert response.status_code == 302
    assert not second_factor.is_enrolled(jury)
    assert says(client.get("/account/two-step"), "Set up two-step verification")


def test_a_required_organiser_cannot_turn_it_off(app, client, db, organizer, login,
                                                  monkeypatch):
    enrolled = enrol(organizer)
    monkeypatch.setitem(app.config, "ORGANIZER_2FA", "required")
    login(organizer)
    page = client.get("/account/two-step")
    assert 'action="/account/two-step/disable' not in text(page)
    response = client.post("/account/two-step/disable", data={
        "disable-code": enrolled.code(),
        "disable-csrf_token": csrf_token(client, "/account/two-step")})
    assert response.status_code == 200
    assert says(response, "Organisers must keep two-step verification on.")
    assert second_factor.is_enrolled(organizer)


def test_students_have_no_two_step_pages(client, db, student, login):
    login(student)
    assert client.get("/account/two-step").status_code == 403
    assert client.get("/account/two-step/setup").status_code == 403
    assert "/account/two-step" not in text(client.get("/account/"))


def test_account_settings_link_to_two_step_verification(client, db, jury, login):
    login(jury)
    assert 'href="/account/two-step"' in text(client.get("/account/"))


# --- organisers reset another account's second factor ----------------------------------

def test_organisers_see_who_has_a_second_factor(client, db, organizer, jury, login):
    enrol(jury)
    login(organizer)
    page = client.get("/organizer/second-factors")
    assert page.status_code == 200 and jury.email in text(page)
    assert f"/organizer/second-factors/{jury.id}/reset" in text(page)
    assert organizer.email in text(page)  # among the organisers without one


def test_a_reset_asks_for_confirmation_then_is_audited(client, db, organizer, jury, login):
    enrol(jury)
    remembered_devices.remember_device(jury)
    login(organizer)
    path = f"/organizer/second-factors/{jury.id}/reset"
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert says(confirm_page, "Reset the second factor of %(name)s?", name=jury.full_name)

    unconfirmed = post_form(client, path, {})
    assert unconfirmed.status_code == 200
    assert says(unconfirmed, "Confirm that you checked who is asking.")
    assert second_factor.is_enrolled(jury)

    done = post_form(client, path, {"confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/organizer/second-factors"
    assert second_factor.factor_of(jury) is None
    assert remembered_devices.count_devices(jury) == 0
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "account.second_factor_reset"))
    assert event.actor_id == organizer.id and event.target_id == jury.id
    assert event.details["email"] == jury.email


def test_an_organiser_cannot_reset_their_own_second_factor(client, db, organizer, login):
    enrol(organizer)
    login(organizer)
    response = post_form(client, f"/organizer/second-factors/{organizer.id}/reset",
                         {"confirm": "y"})
    assert response.status_code == 200
    assert says(response, "Ask another organiser to reset your own second factor.")
    assert second_factor.is_enrolled(organizer)


def test_a_reset_of_an_unknown_account_is_not_found(client, db, organizer, login):
    login(organizer)
    assert client.get("/organizer/second-factors/999999/reset").status_code == 404


def test_after_a_reset_a_required_organiser_enrols_again_at_login(app, db, organizer,
                                                                  monkeypatch):
    from tests import factories

    enrol(organizer)
    second_factor.reset_second_factor(factories.organizer(), organizer)
    monkeypatch.setitem(app.config, "ORGANIZER_2FA", "required")
    client = app.test_client()
    response = post_form(client, "/login", {"email": organizer.email,
                                            "password": factories.PASSWORD})
    assert response.headers["Location"] == "/login/setup"
