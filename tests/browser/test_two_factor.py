"""Two-step verification in a real browser: an organiser signs in with their password and a
code of their authenticator app (computed here with pyotp); a recovery code works once; an
organiser who must have a second factor sets it up at login."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pyotp
from flask_babel import force_locale, gettext

from crunchtime.extensions import db
from crunchtime.services.accounts import second_factor
from tests import factories
from tests.browser import playwright_sync_api

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = playwright_sync_api(module_level=True).expect


def t(app, message: str, **variables) -> str:
    with app.test_request_context(), force_locale("fr"):
        return gettext(message, **variables)


def enrolled_organizer(app) -> tuple[str, str, list[str]]:
    """An organiser enrolled five minutes ago: (email, secret, recovery codes)."""
    with app.app_context():
        factories.edition(phase="registration")
        organizer = factories.organizer(email="claire.fontaine@example.org")
        enrolment = second_factor.begin_enrolment(organizer)
        earlier = time.time() - 300
        codes = second_factor.confirm_enrolment(
            organizer, pyotp.TOTP(enrolment.secret).at(earlier), at=earlier)
        db.session.remove()
    return "claire.fontaine@example.org", enrolment.secret, codes


def password_step(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form input[type=submit]").click()
    page.wait_for_url(re.compile(r"/login/(verify|setup)$"))


def code_step(app, page: Page, code: str) -> None:
    page.get_by_label(t(app, "Verification code")).fill(code)
    page.get_by_role("button", name=t(app, "Verify")).click()


def test_an_organiser_signs_in_with_a_password_and_a_code_from_the_app(app, live_server,
                                                                        new_page):
    email, secret, _codes = enrolled_organizer(app)
    page = new_page()
    password_step(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(app, "Two-step verification"))
    code_field = page.get_by_label(t(app, "Verification code"))
    expect(code_field).to_be_focused()
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    code_step(app, page, pyotp.TOTP(secret).now())
    page.wait_for_url(f"{live_server}/organizer/")


def test_a_recovery_code_works_once(app, live_server, new_page):
    email, _secret, codes = enrolled_organizer(app)
    first = new_page()
    password_step(first, live_server, email)
    code_step(app, first, codes[0])
    first.wait_for_url(f"{live_server}/organizer/")
    expect(first.get_by_role("alert")).to_contain_text(codes_left_message(app, 9))

    second = new_page()
    password_step(second, live_server, email)
    code_step(app, second, codes[0])
    expect(second.locator(".form-errors")).to_contain_text(t(
        app, "This code is not valid. Enter the code your app shows now (each code works "
             "once), or a recovery code."))
    assert second.url == f"{live_server}/login/verify"


def codes_left_message(app, left: int) -> str:
    from flask_babel import ngettext

    with app.test_request_context(), force_locale("fr"):
        return ngettext("You used a recovery code: it no longer works. %(num)d code left; make "
                        "new ones in your account settings.",
                        "You used a recovery code: it no longer works. %(num)d codes left; make "
                        "new ones in your account settings.", left)


def test_a_required_organiser_sets_up_the_app_at_login(app, live_server, new_page,
                                                       monkeypatch):
    monkeypatch.setitem(app.config, "ORGANIZER_2FA", "required")
    with app.app_context():
        factories.edition(phase="registration")
        factories.organizer(email="hugo.lefebvre@example.org")
        db.session.remove()
    page = new_page()
    password_step(page, live_server, "hugo.lefebvre@example.org")
    assert page.url.endswith("/login/setup")
    expect(page.locator("figure.two-factor-qr svg")).to_be_visible()
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    page.get_by_label(t(app, "Code from your app")).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=t(app, "Turn on two-step verification")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(app, "Your recovery codes"))
    expect(page.locator(".two-factor-codes li")).to_have_count(10)
    page.get_by_role("link", name=t(app, "I have saved my codes: continue")).click()
    page.wait_for_url(f"{live_server}/organizer/")
