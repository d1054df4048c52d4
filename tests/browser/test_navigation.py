"""The main menu in a real browser: folded behind "Menu" on a phone, on one line with drop-down
groups on a desktop, usable with the keyboard; a refusal is in view and focused."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crunchtime.extensions import db
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_smoke import translated

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = playwright_sync_api(module_level=True).expect
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def open_menu_group(page: Page, group: str) -> None:
    """Open the main menu's group `group` (unfolding the phone menu first if need be), as a
    user does before following one of its links."""
    toggle = page.locator("[data-nav-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    details = page.locator("#site-nav details").filter(
        has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(group)}\s*$")))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def organiser_world() -> str:
    factories.edition(phase="judging")
    email = factories.organizer().email
    db.session.remove()
    return email


def test_phone_menu_unfolds_with_its_button_and_escape_folds_it_back(app, live_server,
                                                                     new_page):
    with app.app_context():
        email = organiser_world()
    t = lambda message: translated(app, "fr", message)  # noqa: E731
    page = new_page(viewport=PHONE)
    log_in(page, live_server, email)
    toggle = page.get_by_role("button", name=t("Menu"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # Without JavaScript the menu stays unfolded: wait for the script to fold it.
    expect(page.get_by_role("link", name=t("Dashboard"))).to_be_hidden()
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 72  # brand, languages and "Menu": one line

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name=t("Dashboard"))).to_be_visible()
    prepare = page.locator("#site-nav summary", has_text=t("Prepare"))
    prepare.focus()
    page.keyboard.press("Enter")
    phases = page.get_by_role("link", name=t("Phases"), exact=True)
    expect(phases).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.keyboard.press("Escape")  # closes the group, the focus back on its title
    expect(phases).to_be_hidden()
    expect(prepare).to_be_focused()
    page.keyboard.press("Escape")  # then the menu, the focus back on its button
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(page.get_by_role("link", name=t("Dashboard"))).to_be_hidden()


def test_desktop_menu_is_one_line_of_groups_that_drop_down_one_at_a_time(app, live_server,
                                                                          new_page):
    with app.app_context():
        email = organiser_world()
    t = lambda message: translated(app, "fr", message)  # noqa: E731
    page = new_page(viewport=DESKTOP)
    log_in(page, live_server, email)
    expect(page.locator("[data-nav-toggle]")).to_be_hidden()
    assert page.locator("header.site-header").bounding_box()["height"] <= 72
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    expect(page.get_by_role("link", name=t("Dashboard"))).to_have_attribute("aria-current",
                                                                           "page")

    page.locator("#site-nav summary", has_text=t("Judge")).click()
    live_room = page.get_by_role("link", name=t("Live room"))
    expect(live_room).to_be_visible()
    # Tab goes through the open group to the next one; Space opens it and closes the first.
    expect(page.locator("#site-nav summary", has_text=t("Judge"))).to_be_focused()
    for _ in range(4):  # past the three links of the open group
        page.keyboard.press("Tab")
    follow_up = page.locator("#site-nav summary", has_text=t("Follow up"))
    expect(follow_up).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("link", name=t("Audit log"))).to_be_visible()
    expect(live_room).to_be_hidden()
    page.get_by_role("link", name=t("Audit log")).click()
    expect(page).to_have_url(re.compile(r"/organizer/audit$"))
    expect(page.locator('#site-nav a[aria-current="page"]')).to_have_text(t("Audit log"))


def test_a_refusal_far_down_a_phone_page_is_shown_in_view_and_focused(app, live_server,
                                                                       new_page):
    with app.app_context():
        for year in range(2018, 2026):
            factories.edition(phase="closed", current=False, name=f"Crunch Time {year}",
                              year=year)
        factories.edition(phase="closed", name="Crunch Time 2026", year=2026)
        email = factories.organizer().email
        db.session.remove()
    page = new_page(viewport=PHONE)
    log_in(page, live_server, email)
    page.goto(f"{live_server}/organizer/cockpit/exports")
    archive = translated(app, "fr", "Archive this edition (read-only)")
    last = page.get_by_role("button", name=archive).last
    last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 2 * PHONE["height"]
    last.click()  # without ticking the confirmation: refused
    expect(page).to_have_url(re.compile(r"/organizer/cockpit/exports#edition-\d+$"))

    alert = page.get_by_role("alert").filter(has_text=translated(
        app, "fr", "Archiving “%(name)s” cannot be undone: tick the box to confirm it.",
        name="Crunch Time 2018"))
    expect(alert).to_be_focused()
    box = alert.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
