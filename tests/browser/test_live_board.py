"""A jury scores on a phone-sized page while the big screen (/live, another browser, no
login) shows the ranking change without being reloaded."""

from __future__ import annotations

from crunchtime.extensions import db
from crunchtime.models import Edition
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_jury_scoring import give, judging_world, save
from tests.browser.test_smoke import NARROW_VIEWPORT, translated

expect = playwright_sync_api(module_level=True).expect


def test_the_big_screen_follows_a_jury_scoring_from_a_phone(app, live_server, new_page):
    for key in ("crunchtime_live", "crunchtime_live_memory"):  # no board of earlier tests
        app.extensions.pop(key, None)
    with app.app_context():
        world = judging_world()
        edition = db.session.query(Edition).filter_by(is_current=True).one()
        edition.public_display = "ranking"
        db.session.commit()
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731
    first, second = world["criteria"]
    (team_a, code_a), (team_b, code_b) = world["teams"]

    screen = new_page(viewport={"width": 1280, "height": 720})
    screen.goto(f"{live_server}/live")
    expect(screen.locator("[data-live-status]")).to_have_text(t("Live"))
    rows = screen.locator("[data-rows] tr")
    expect(rows).to_have_count(0)

    phone = new_page(viewport=NARROW_VIEWPORT)
    log_in(phone, live_server, world["jury"])
    phone.goto(f"{live_server}/jury/rounds/{world['round']}/teams/{team_a}")
    give(phone, first, 4)
    give(phone, second, 5)
    save(phone)
    expect(phone.locator("[data-outbox-status]")).to_have_text(t("Scores recorded."))
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-team", code_a)

    phone.goto(f"{live_server}/jury/rounds/{world['round']}/teams/{team_b}")
    give(phone, first, 9)
    give(phone, second, 8)
    save(phone)
    expect(phone.locator("[data-outbox-status]")).to_have_text(t("Scores recorded."))
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-team", code_b)
    expect(rows.nth(1).locator(".live-down")).to_have_count(1)
    expect(screen.locator("[data-field=progress]")).to_contain_text("4")
    assert phone.evaluate("document.documentElement.scrollWidth") <= NARROW_VIEWPORT["width"]
