"""Smoke tests in a real browser: the visitor journey and the small-screen basics."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask_babel import force_locale, gettext

from crunchtime.extensions import db
from tests import factories
from tests.browser import playwright_sync_api
from tests.helpers import last_mail_to, link_in, path_of

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = playwright_sync_api(module_level=True).expect

NARROW_VIEWPORT = {"width": 360, "height": 740}

STUDENT = {
    "first_name": "Léa",
    "last_name": "Moreau",
    "email": "lea.moreau@example.org",
    "password": "orbit-lantern-quartz-42",
}


def translated(app, locale: str, message: str, **variables) -> str:
    """`message` as the app renders it in `locale` (the msgid itself while untranslated)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **variables)


def main_menu(page: Page):
    return page.locator("header nav.main-nav")


def test_visitor_switches_to_english_registers_logs_out_and_logs_in(
    app, live_server, page, new_page
):
    with app.app_context():
        factories.edition(phase="registration")
        db.session.remove()
    log_in_fr = translated(app, "fr", "Log in")
    log_in_en = translated(app, "en", "Log in")
    sign_up_en = translated(app, "en", "Student sign-up")

    # A French-speaking visitor lands on the French home page.
    page.goto(f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(main_menu(page).get_by_role("link", name=log_in_fr, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")

    # They switch to English.
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("status")).to_contain_text(translated(app, "en", "Language changed."))
    expect(main_menu(page).get_by_role("link", name=log_in_en, exact=True)).to_be_visible()
    if log_in_fr != log_in_en:
        expect(page.get_by_text(log_in_fr, exact=True)).to_have_count(0)

    # They follow the sign-up link and create a student account.
    main_menu(page).get_by_role("link", name=sign_up_en, exact=True).click()
    expect(page).to_have_url(re.compile(r"/register/student$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(sign_up_en)
    form = page.locator("form", has=page.locator("input[name=confirm]"))
    form.locator("input[name=first_name]").fill(STUDENT["first_name"])
    form.locator("input[name=last_name]").fill(STUDENT["last_name"])
    form.locator("input[name=email]").fill(STUDENT["email"])
    form.locator("input[name=password]").fill(STUDENT["password"])
    form.locator("input[name=confirm]").fill(STUDENT["password"])
    form.get_by_role(
        "button", name=translated(app, "en", "Create my student account"), exact=True
    ).click()

    # They are asked to confirm their address with the link mailed to it, then log in.
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text(translated(
        app, "en", "We sent a message to %(email)s: open the link it contains to confirm your "
        "address, then log in. The link is valid for 7 days.", email=STUDENT["email"]))
    with app.app_context():
        link = last_mail_to(STUDENT["email"]).body
        db.session.remove()
    page.goto(live_server + path_of(link_in(link)))
    page.get_by_role(
        "button", name=translated(app, "en", "Confirm my e-mail address"), exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text(
        translated(app, "en", "Your e-mail address is confirmed: you can log in."))
    log_in(page, button=log_in_en)

    hello = translated(app, "en", "Hello %(name)s", name=STUDENT["first_name"])
    expect(page).to_have_url(re.compile(r"/student/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(hello)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # They log out from the header (the account's menu group)...
    page.locator("header summary", has_text=translated(app, "en", "My account")).click()
    page.locator("header").get_by_role(
        "button", name=translated(app, "en", "Log out"), exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/$"))
    # Logging out ends the account's session, not the visitor's language choice.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("status")).to_contain_text(
        translated(app, "en", "You are logged out. See you soon!")
    )
    expect(main_menu(page).get_by_role("link", name=log_in_en, exact=True)).to_be_visible()

    # ...and back in with the same credentials.
    main_menu(page).get_by_role("link", name=log_in_en, exact=True).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    log_in(page, button=log_in_en)
    expect(page).to_have_url(re.compile(r"/student/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(hello)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The English chosen as a visitor is saved on the account, not only in this browser's
    # session: a fresh French-speaking browser gets English as soon as the student logs in.
    other = new_page()
    other.goto(f"{live_server}/login")
    expect(other.locator("html")).to_have_attribute("lang", "fr")
    log_in(other, button=log_in_fr)
    expect(other).to_have_url(re.compile(r"/student/$"))
    expect(other.get_by_role("heading", level=1)).to_have_text(hello)
    expect(other.locator("html")).to_have_attribute("lang", "en")


def log_in(page: Page, button: str) -> None:
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=email]").fill(STUDENT["email"])
    form.locator("input[name=password]").fill(STUDENT["password"])
    form.get_by_role("button", name=button, exact=True).click()


LABEL_AUDIT = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].map(el => ({
    name: el.name || el.id || el.outerHTML.slice(0, 80),
    buttonLike: ['submit', 'button', 'reset', 'image'].includes(el.type),
    labels: el.labels ? el.labels.length : 0,
    value: (el.value || el.alt || '').trim(),
}))
"""


def assert_no_horizontal_scroll(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("main h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW_VIEWPORT["width"], f"{url} scrolls horizontally: {width}px wide"


def test_narrow_screen_has_no_horizontal_scroll_and_labelled_inputs(app, live_server, new_page):
    with app.app_context():
        factories.edition(phase="registration")
        db.session.remove()
    page = new_page(viewport=NARROW_VIEWPORT)

    assert_no_horizontal_scroll(page, f"{live_server}/")
    assert_no_horizontal_scroll(page, f"{live_server}/login")
    assert_no_horizontal_scroll(page, f"{live_server}/register/student")

    controls = page.evaluate(LABEL_AUDIT)
    fields = [control for control in controls if not control["buttonLike"]]
    assert {"first_name", "last_name", "email", "password", "confirm"} <= {
        control["name"] for control in fields
    }
    unlabelled = [control["name"] for control in fields if control["labels"] == 0]
    assert unlabelled == [], f"form fields without a <label>: {unlabelled}"
    # Submit-type inputs are named by their value, not by a <label>.
    nameless = [
        control["name"] for control in controls if control["buttonLike"] and not control["value"]
    ]
    assert nameless == [], f"buttons without a visible name: {nameless}"
