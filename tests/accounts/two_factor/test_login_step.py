"""The second step of a login: a code or a recovery code after the password, the session
rotated at its end, remembered devices, the required enrolment of organisers, rate limits."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from crunchtime.models import SecondFactor
from crunchtime.services.accounts import remembered_devices, second_factor
from crunchtime.views.accounts.auth.completion import PENDING_KEY
from tests import factories
from tests.accounts.two_factor.conftest import enrol
from tests.helpers import csrf_token, post_form, says, text


def password_step(client, user, next_path: str = ""):
    path = "/login" + (f"?next={next_path}" if next_path else "")
    return post_form(client, path, {"email": user.email, "password": factories.PASSWORD})


def code_step(client, code: str, remember: bool = False):
    data = {"code": code}
    if remember:
        data["remember"] = "y"
    return post_form(client, "/login/verify", data)


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_an_enrolled_account_needs_a_code_after_its_password(client, db, jury):
    enrolled = enrol(jury)
    response = password_step(client, jury)
    assert response.status_code == 302 and response.headers["Location"] == "/login/verify"
    assert signed_in_as(client) is None
    assert client.get("/jury/").status_code == 302
    page = client.get("/login/verify")
    assert says(page, "Two-step verification") and 'autocomplete="one-time-code"' in text(page)

    done = code_step(client, enrolled.code())
    assert done.status_code == 302 and done.headers["Location"] == "/jury/"
    assert signed_in_as(client) == jury.get_id()
    assert client.get("/jury/").status_code == 200


def test_the_session_rotates_at_the_end_of_the_second_step(client, db, jury):
    enrolled = enrol(jury)
    password_step(client, jury)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        pending_sid = session.get("sid")
    code_step(client, enrolled.code())
    with client.session_transaction() as session:
        assert "planted" not in session and PENDING_KEY not in session
        assert session["sid"] and session["sid"] != pending_sid
        assert session["login_method"] == "password"


def test_a_wrong_code_keeps_the_login_pending_with_a_message(client, db, jury):
    enrolled = enrol(jury)
    password_step(client, jury)
    wrong = "000000" if enrolled.code() != "000000" else "111111"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert says(response, "This code is not valid. Enter the code your app shows now (each "
                          "code works once), or a recovery code.")
    assert signed_in_as(client) is None
    assert code_step(client, enrolled.code()).status_code == 302


def test_a_code_used_once_is_refused_at_the_next_login(app, db, jury):
    enrolled = enrol(jury)
    code = enrolled.code()
    first, second = app.test_client(), app.test_client()
    password_step(first, jury)
    password_step(second, jury)
    assert code_step(first, code).status_code == 302
    if enrolled.code() != code:
        code = enrolled.code()  # the step changed meanwhile: use the new one twice instead
        assert code_step(first, code).status_code == 302  # signed in already: home
    refused = code_step(second, code)
    assert refused.status_code == 200 and signed_in_as(second) is None


def test_a_recovery_code_opens_the_account_once(app, db, jury):
    enrolled = enrol(jury)
    code = enrolled.recovery_codes[3]
    first = app.test_client()
    password_step(first, jury)
    response = code_step(first, code.lower())
    assert response.status_code == 302 and signed_in_as(first) == jury.get_id()
    home = first.get("/jury/")
    assert says(home, "You used a recovery code: it no longer works. %(num)d code left; make "
                      "new ones in your account settings.",
                "You used a recovery code: it no longer works. %(num)d codes left; make new "
                "ones in your account settings.", num=9)

    again = app.test_client()
    password_step(again, jury)
    assert code_step(again, code).status_code == 200 and signed_in_as(again) is None


def test_next_survives_the_second_step(client, db, jury):
    enrolled = enrol(jury)
    response = password_step(client, jury, next_path="/account/")
    assert response.headers["Location"] == "/login/verify"
    assert code_step(client, enrolled.code()).headers["Location"] == "/account/"


def test_a_remembered_device_skips_the_code_for_its_account_only(client, db, jury,
                                                                 company_user):
    enrolled = enrol(jury)
    other = enrol(company_user)
    password_step(client, jury)
    response = code_step(client, enrolled.code(), remember=True)
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith(remembered_devices.DEVICE_COOKIE + "="))
    assert "HttpOnly" in cookie and "Max-Age=43200" in cookie and "Secure" not in cookie
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    again = password_step(client, jury)
    assert again.headers["Location"] == "/jury/" and signed_in_as(client) == jury.get_id()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    # Another account in the same browser: the cookie is not its own.
    assert password_step(client, company_user).headers["Location"] == "/login/verify"
    assert code_step(client, other.code()).status_code == 302


def test_the_device_cookie_is_secure_on_https(app, db, jury):
    enrolled = enrol(jury)
    client = app.test_client()
    https = {"base_url": "https://crunchtime.test",
             "headers": {"Referer": "https://crunchtime.test/login"}}

    def post(path, data):
        page = client.get(path, **https).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return client.post(path, data={**data, "csrf_token": token}, **https)

    assert post("/login", {"email": jury.email, "password": factories.PASSWORD}
                ).headers["Location"] == "/login/verify"
    response = post("/login/verify", {"code": enrolled.code(), "remember": "y"})
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith(remembered_devices.DEVICE_COOKIE + "="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_device_forgotten_asks_for_the_code_again(client, db, jury):
    enrolled = enrol(jury)
    password_step(client, jury)
    code_step(client, enrolled.code(), remember=True)
    client.post("/account/two-step/devices/forget",
                data={"forget-csrf_token": csrf_token(client, "/account/two-step")})
    assert remembered_devices.count_devices(jury) == 0
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert password_step(client, jury).headers["Location"] == "/login/verify"


def test_a_pending_login_expires(client, db, jury):
    enrol(jury)
    password_step(client, jury)
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "until": int(time.time()) - 1}
    response = client.get("/login/verify")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_a_pending_login_ends_when_the_accounts_sessions_end(client, db, jury):
    enrolled = enrol(jury)
    password_step(client, jury)
    token = csrf_token(client, "/login/verify")
    jury.session_token = "rotated-elsewhere"
    db.session.commit()
    response = client.post("/login/verify", data={"code": enrolled.code(), "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert signed_in_as(client) is None


def test_verification_pages_without_a_pending_login_send_to_the_login_page(client, db):
    for path in ("/login/verify", "/login/setup"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_wrong_codes_are_rate_limited_per_account(app, db, jury):
    enrolled = enrol(jury)
    wrong = "000000" if enrolled.code() != "000000" else "111111"
    statuses = []
    for _attempt in range(6):
        client = app.test_client()  # a new browser each time: the limit is the account's
        password_step(client, jury)
        statuses.append(code_step(client, wrong).status_code)
    assert statuses == [200] * 5 + [429]
    blocked = code_step(client, enrolled.code())
    assert blocked.status_code == 429 and says(blocked, "Too many attempts. Wait %(num)d "
                                               "minute, then try again.", "Too many attempts. "
                                               "Wait %(num)d minutes, then try again.", num=1)
    assert signed_in_as(client) is None


def test_good_codes_do_not_use_the_budget(app, db, jury):
    enrolled = enrol(jury)
    for _attempt in range(6):
        client = app.test_client()
        password_step(client, jury)
        assert code_step(client, enrolled.recovery_codes[_attempt]).status_code == 302


def test_a_password_reset_link_does_not_skip_the_second_step(client, db, jury):
    from crunchtime.security import tokens

    enrol(jury)
    token = tokens.make_token(app_secret(), "reset", jury.id, jury.password_hash,
                              jury.session_token)
    response = post_form(client, f"/password/reset/{token}",
                         {"password": "un-nouveau-mot-de-passe-long", "confirm":
                          "un-nouveau-mot-de-passe-long"})
    assert response.status_code == 302 and response.headers["Location"] == "/login/verify"
    assert signed_in_as(client) is None


def app_secret() -> str:
    from flask import current_app

    return current_app.config["SECRET_KEY"]


# --- organisers when ORGANIZER_2FA=required ------------------------------------------------

def secret_on(page) -> str:
    match = re.search(r'id="secret-key"[^>]*>([A-Z2-7 ]+)<', text(page))
    assert match, "no secret on the page"
    return match.group(1).replace(" ", "")


def test_a_required_organiser_enrols_before_any_page(client, db, organizer, required):
    response = password_step(client, organizer)
    assert response.headers["Location"] == "/login/setup"
    assert signed_in_as(client) is None
    assert client.get("/organizer/").status_code == 302
    page = client.get("/login/setup")
    assert page.status_code == 200 and "<svg" in text(page)
    secret = secret_on(page)

    done = post_form(client, "/login/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    assert says(done, "Your recovery codes")
    assert len(re.findall(r"<code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}</code>",
                          text(done))) == 10
    assert signed_in_as(client) == organizer.get_id()
    assert client.get("/organizer/").status_code == 200
    assert second_factor.is_enrolled(organizer)


def test_a_required_organisers_session_from_before_reaches_only_the_enrolment(
        client, db, organizer, required, login):
    login(organizer)
    response = client.get("/organizer/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/two-step/setup"
    api = client.get("/organizer/demand.json", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.get_json()["error"] == "second_factor_required"
    assert client.get("/account/two-step/setup").status_code == 200


def test_juries_are_not_forced_to_enrol_when_organisers_must(client, db, jury, required):
    assert password_step(client, jury).headers["Location"] == "/jury/"


def test_optional_organisers_log_in_with_the_password_alone(client, db, organizer):
    assert password_step(client, organizer).headers["Location"] == "/organizer/"


def test_a_factor_left_half_enrolled_does_not_block_the_login(client, db, jury):
    second_factor.begin_enrolment(jury)
    assert password_step(client, jury).headers["Location"] == "/jury/"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecondFactor)) == 1
