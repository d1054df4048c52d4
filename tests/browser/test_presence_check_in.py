"""In a browser: a student's phone opens the link of a door's QR code (as the camera app
does), logs in, comes back to it and checks in with one tap; the door screen shows a new
code when the 30-second step changes."""

from __future__ import annotations

import re

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import CheckIn
from crunchtime.presence import codes
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_smoke import translated
from tests.presence.conftest import make_week

expect = playwright_sync_api(module_level=True).expect
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_phone_checks_in_from_the_scanned_link(app, live_server, new_page):
    with app.app_context():
        week = make_week(db)
        token = codes.door_token(app.config["SECRET_KEY"], week.code())
        email, user_id, session_id = (week.students[0].email, week.students[0].id,
                                      week.open.id)
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    phone = new_page(**PHONE)
    phone.goto(f"{live_server}/presence/check-in/{token}")
    expect(phone).to_have_url(f"{live_server}/login?next=/presence/check-in/{token}")
    phone.fill("input[name=email]", email)
    phone.fill("input[name=password]", factories.PASSWORD)
    phone.locator("form input[type=submit]").click()
    button = phone.get_by_role("button", name=t("Check me in"))
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 44  # one easy tap on a phone
    button.tap()
    expect(phone.locator("[data-check-in-done]")).to_be_visible()
    expect(phone.locator("h1")).to_contain_text(t("You are checked in"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(
            CheckIn.user_id == user_id, CheckIn.session_id == session_id)) == 1
        db.session.remove()


def test_the_door_screen_draws_its_code_and_renews_it(app, live_server, new_page):
    with app.app_context():
        week = make_week(db)
        email, point_id = week.organizer.email, week.door.id
        db.session.remove()
    screen = new_page(viewport={"width": 1280, "height": 800})
    log_in(screen, live_server, email)
    screen.clock.install()
    screen.goto(f"{live_server}/presence/points/{point_id}/screen")
    short = screen.locator("[data-field=short_code]")
    assert len(short.inner_text()) == codes.SHORT_LENGTH
    expect(screen.locator("[data-field=qr] svg")).to_be_visible()
    with screen.expect_request(lambda request: "/code.json" in request.url) as fetched:
        screen.clock.run_for(31_000)  # the code changes: the script fetches the new one
    assert fetched.value.response().status == 200
    expect(screen.locator("[data-field=qr] svg")).to_be_visible()
    expect(short).to_have_text(re.compile(f"^[{codes.SHORT_ALPHABET}]{{6}}$"))
