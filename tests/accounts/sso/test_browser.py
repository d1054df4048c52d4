"""University sign-in in Chromium against the real LemonLDAP::NG (lemonldap.py): a
student clicks the university button, types their credentials on the provider's own page and
lands on their home, through CAS and through OpenID Connect; a person the university knows
but Crunch Time cannot take gets the page that says why and whom to contact."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext

from crunchtime.extensions import db
from tests import factories
from tests.accounts.sso.conftest import CONTACT
from tests.browser import playwright_sync_api
from tests.browser.conftest import ACTION_TIMEOUT_MS, PAGE_LOCALE

expect = playwright_sync_api(module_level=True).expect
pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    """A French-speaking page in a fresh context (tests/browser's, for this directory)."""
    context = browser.new_context(locale=PAGE_LOCALE)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def translated(app, message: str, **variables) -> str:
    with app.test_request_context(), force_locale("fr"):
        return gettext(message, **variables)


def sign_in_at_the_provider(page, user: str) -> None:
    page.locator("input[name=user]").fill(user)
    page.locator("input[name=password]").fill(user)
    page.locator("form#lform [type=submit]").first.click()


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
def test_a_student_signs_in_with_the_university_button(
        app, real_sso_app, real_live_server, identity_provider, page, protocol):
    with app.app_context():
        edition = factories.edition(phase="registration")
        factories.student(edition, email="dwho@badwolf.org", password=None,
                          first_name="John", last_name="Smith")
        db.session.remove()
    page.goto(f"{real_live_server}/login")
    button = page.locator(f"a.sso-button[href^='/sso/{protocol}']")
    expect(button).to_contain_text(translated(real_sso_app, "Sign in with my university account"))
    button.click()
    expect(page).to_have_url(re.compile("^" + re.escape(identity_provider.url)))
    sign_in_at_the_provider(page, "dwho")
    expect(page).to_have_url(f"{real_live_server}/student/")
    expect(page.locator("main")).to_contain_text("John")


def test_a_person_outside_the_student_domains_is_told_why(
        app, real_sso_app, real_live_server, identity_provider, page, monkeypatch):
    monkeypatch.setitem(real_sso_app.config, "STUDENT_EMAIL_DOMAINS", ["univ-badwolf.fr"])
    with app.app_context():
        factories.edition(phase="registration")
        db.session.remove()
    page.goto(f"{real_live_server}/login")
    page.locator("a.sso-button[href^='/sso/cas']").click()
    sign_in_at_the_provider(page, "msmith")
    expect(page).to_have_url(re.compile(r"/sso/cas/callback"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated(real_sso_app, "No access with this university account"))
    expect(page.get_by_role("alert")).to_contain_text("msmith@badwolf.org")
    expect(page.get_by_role("link", name=CONTACT)).to_have_attribute("href", f"mailto:{CONTACT}")
