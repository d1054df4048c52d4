"""The big screen (/live) on a projector: the demo edition's top 10 at 1920×1080, 1280×720
and 1024×768 without scrolling, every rank on screen or reached by the page rotation, a
legend read from the back of the hall (≥ 18 px, contrast ≥ 7:1), French decimals, and no
serious accessibility violation (issue 17)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.services.live.display import set_public_display
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_smoke import translated

expect = playwright_sync_api(module_level=True).expect

PROJECTORS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720},
              {"width": 1024, "height": 768}]
ROTATE_SECONDS = 2
MIN_FONT_PX = 18
MIN_CONTRAST = 7.0
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FRENCH_SCORE = re.compile(r"^\d{1,3},\d$")

# Every visible text of the page: its font size, and its contrast with the first opaque
# background behind it (WCAG relative luminance).
TEXTS = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const ground = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest('[hidden], .visually-hidden, noscript')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    const [a, b] = [lum(rgb(style.color)), lum(ground(el))].sort((x, y) => y - x);
    out.push({text: node.textContent.trim().slice(0, 40), px: parseFloat(style.fontSize),
              contrast: (a + 0.05) / (b + 0.05)});
  }
  return out;
}"""
RUN_AXE = """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations']})).violations.map((v) => ({id: v.id, impact: v.impact,
  targets: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))"""


@pytest.fixture
def demo_board(app, fresh_live_hub):
    """The demo edition at the judging stage (scores recorded), its ranking on the screen."""
    result = app.test_cli_runner().invoke(args=["demo", "--students", "200",
                                                "--stage", "judging"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        edition = db.session.scalar(sa.select(Edition).where(Edition.is_current))
        set_public_display(factories.organizer(), edition, "ranking", False)
        db.session.remove()


def fr(app, message: str, **values) -> str:
    return translated(app, "fr", message, **values)


def scrolls(page) -> dict:
    return page.evaluate("""() => ({height: document.documentElement.scrollHeight,
        width: document.documentElement.scrollWidth, inner: [innerWidth, innerHeight]})""")


def ranks_on_screen(page) -> set[int]:
    """The ranks whose row is shown and lies wholly inside the window."""
    return set(page.evaluate("""() => Array.from(document.querySelectorAll('[data-rows] tr'))
        .filter((tr) => {
          const b = tr.getBoundingClientRect();
          return !tr.hidden && b.height > 0 && b.top >= 0 && b.bottom <= innerHeight;
        })
        .map((tr) => Number(tr.dataset.rank))"""))


def ranks_over_rotation(page, wanted: set[int]) -> set[int]:
    """The ranks seen during one full rotation (pages × period, and a period to spare)."""
    pages = int(page.locator("[data-live-board]").get_attribute("data-pages") or 1)
    seen, deadline = set(), time.monotonic() + (pages + 1) * ROTATE_SECONDS
    while time.monotonic() < deadline and not wanted <= seen:
        seen |= ranks_on_screen(page)
        page.wait_for_timeout(200)
    return seen


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def open_board(new_page, live_server, viewport, **options):
    page = new_page(viewport=viewport, **options)
    page.goto(f"{live_server}/live?rotate={ROTATE_SECONDS}")
    return page


@pytest.mark.parametrize("viewport", PROJECTORS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_big_screen_shows_the_top_ten_without_scrolling(app, live_server, new_page,
                                                            demo_board, viewport):
    page = open_board(new_page, live_server, viewport)
    rows = page.locator("[data-rows] tr")
    expect(rows).to_have_count(10)
    expect(page.locator("[data-live-status]")).to_contain_text(fr(app, "Live"))

    size = scrolls(page)
    assert size["height"] <= viewport["height"] and size["width"] <= viewport["width"], size
    assert ranks_over_rotation(page, set(range(1, 11))) == set(range(1, 11))

    legend = page.locator(".live-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text(fr(app, "moved up"))
    expect(legend).to_contain_text(fr(app, "Live: this screen changes as soon as a jury "
                                           "records a score."))
    expect(legend.locator("[data-field=meaning]")).to_be_visible()
    scores = [s for s in rows.locator(".live-score").all_inner_texts() if s]
    assert scores and all(FRENCH_SCORE.match(s) for s in scores), scores

    texts = page.evaluate(TEXTS)
    small = [t for t in texts if t["px"] < MIN_FONT_PX - 0.01]
    faint = [t for t in texts if t["contrast"] < MIN_CONTRAST]
    assert not small, small
    assert not faint, faint


def test_a_top_too_long_for_the_screen_pages_through_and_keeps_paging_live(
        app, live_server, new_page, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_PUBLIC_TOP", 20)  # the hub is made after this
    for key in ("crunchtime_live", "crunchtime_live_memory"):
        app.extensions.pop(key, None)
    result = app.test_cli_runner().invoke(args=["demo", "--students", "200",
                                                "--stage", "judging"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        edition_id = db.session.scalar(sa.select(Edition.id).where(Edition.is_current))
        set_public_display(factories.organizer(), db.session.get(Edition, edition_id),
                           "ranking", False)
        db.session.remove()

    page = open_board(new_page, live_server, PROJECTORS[1])
    expect(page.locator("[data-rows] tr")).to_have_count(20)
    board = page.locator("[data-live-board]")
    pages = int(board.get_attribute("data-pages"))
    assert pages >= 2
    expect(page.locator("[data-field=page]")).to_have_text(
        fr(app, "Page %(page)s/%(pages)s", page="1", pages=str(pages)))
    assert scrolls(page)["height"] <= PROJECTORS[1]["height"]
    assert ranks_over_rotation(page, set(range(1, 21))) == set(range(1, 21))

    with app.app_context():  # a live update: the organisers freeze the board
        set_public_display(factories.organizer(), db.session.get(Edition, edition_id),
                           "ranking", True)
        db.session.remove()
    expect(page.locator("[data-field=frozen]")).to_be_visible()
    expect(page.locator("[data-pager]")).to_be_visible()
    assert ranks_over_rotation(page, set(range(1, 21))) == set(range(1, 21))
    assert scrolls(page)["height"] <= PROJECTORS[1]["height"]


def test_the_rotation_stops_under_the_keyboard_and_on_pause(app, live_server, new_page,
                                                            monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_PUBLIC_TOP", 20)
    for key in ("crunchtime_live", "crunchtime_live_memory"):
        app.extensions.pop(key, None)
    result = app.test_cli_runner().invoke(args=["demo", "--students", "200",
                                                "--stage", "judging"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        set_public_display(factories.organizer(), db.session.scalar(
            sa.select(Edition).where(Edition.is_current)), "ranking", False)
        db.session.remove()

    page = open_board(new_page, live_server, PROJECTORS[2], bypass_csp=True)
    expect(page.locator("[data-rows] tr")).to_have_count(20)
    board = page.locator("[data-live-board]")
    assert not serious_violations(page)  # with the pager's controls shown
    next_page = page.get_by_role("button", name=fr(app, "Next page"))
    next_page.focus()
    page.keyboard.press("Enter")
    expect(board).to_have_attribute("data-page", "2")
    page.wait_for_timeout(ROTATE_SECONDS * 1500)  # focus inside: the page does not turn
    expect(board).to_have_attribute("data-page", "2")
    page.keyboard.press("Tab")  # the next control is reachable: the pause button
    pause = page.get_by_role("button", name=fr(app, "Pause"))
    expect(pause).to_be_focused()
    page.keyboard.press("Enter")
    expect(pause).to_have_attribute("aria-pressed", "true")
    page.locator("h1").click()  # focus leaves the ranking; paused, it still holds
    page.wait_for_timeout(ROTATE_SECONDS * 1500)
    expect(board).to_have_attribute("data-page", "2")


@pytest.mark.parametrize("viewport", [PROJECTORS[1], {"width": 390, "height": 844}],
                         ids=["1280x720", "390x844"])
def test_the_big_screen_has_no_serious_accessibility_violation(app, live_server, new_page,
                                                               demo_board, viewport):
    page = new_page(viewport=viewport, bypass_csp=True)  # axe is added as a script
    page.goto(f"{live_server}/live")
    expect(page.locator("[data-rows] tr")).to_have_count(10)
    assert not serious_violations(page)


def test_an_english_big_screen_writes_english_decimals(app, live_server, new_page, demo_board):
    page = new_page(viewport=PROJECTORS[1], locale="en-GB")
    page.goto(f"{live_server}/live")
    rows = page.locator("[data-rows] tr")
    expect(rows).to_have_count(10)
    expect(page.locator("[data-live-status]")).to_contain_text("Live")  # the script drew
    scores = rows.locator(".live-score").all_inner_texts()
    assert all(re.match(r"^\d{1,3}\.\d$", s) for s in scores), scores
