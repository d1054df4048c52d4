"""A jury scores with one thumb on a 390×844 phone: the first scale is in view on arrival,
each tap on a score brings the next criterion into view, one tap saves and opens the next
team, and the undo counts its seconds down, says what it undid, and goes at 0.

Taps are counted: each is a click at the centre of an element that must already be in view
and on top (the test never scrolls; only the page does, by itself)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crunchtime.extensions import db
from crunchtime.models import Criterion, JudgingRound, JuryAssignment, JuryProfile, RoundEntry
from crunchtime.services.judging.ledger.queries import cells_in_force
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_jury_scoring import WAITING
from tests.browser.test_smoke import translated
from tests.helpers import fr

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

expect = playwright_sync_api(module_level=True).expect
PHONE = {"width": 390, "height": 844}
RUBRIC = [("innovation", "Innovation"), ("faisabilite", "Faisabilité"),
          ("impact", "Impact pour le territoire"), ("prototype", "Qualité du prototype"),
          ("pitch", "Pitch")]


def thumb_world() -> dict:
    """Round 1 open with the demo's rubric (five criteria, 0 to 10); one jury, two teams."""
    edition = factories.edition(phase="judging")
    challenge = factories.challenge(edition, factories.organisation("Optymo"))
    teams = [factories.team(edition, challenge, name=name) for name in ("Hydrobus", "Vélotaf")]
    jury = factories.jury(edition)
    judging_round = JudgingRound(edition_id=edition.id, number=1, name="Tour 1", status="open",
                                 juries_per_team=1)
    db.session.add(judging_round)
    db.session.flush()
    criteria = [Criterion(edition_id=edition.id, round_id=judging_round.id, key=key,
                          label_fr=label, position=position)
                for position, (key, label) in enumerate(RUBRIC)]
    profile = db.session.query(JuryProfile).filter_by(user_id=jury.id).one()
    db.session.add_all([*criteria, *(RoundEntry(round_id=judging_round.id, team_id=t.id)
                                     for t in teams),
                        *(JuryAssignment(round_id=judging_round.id, jury_id=profile.id,
                                         team_id=t.id) for t in teams)])
    db.session.commit()
    return {"round": judging_round.id, "round_name": judging_round.name,
            "teams": [(t.id, t.code) for t in teams], "criteria": [c.id for c in criteria],
            "jury": jury.email}


class Thumb:
    """Taps on what is in view, counted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.taps = 0

    def in_view(self, target: Locator) -> dict:
        box = target.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
        on_top = target.evaluate(
            "(element, [x, y]) => element.contains(document.elementFromPoint(x, y))", centre)
        assert on_top, f"something covers {target} at {centre}"
        return box

    def tap(self, target: Locator) -> None:
        box = self.in_view(target)
        self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.taps += 1


def score(page: Page, criterion: int, value: int) -> Locator:
    return page.locator(f"fieldset[data-criterion='{criterion}'] "
                        f"label.scale-option:has(input[value='{value}'])")


def undo_seconds(page: Page) -> int:
    label = page.locator("[data-undo]").inner_text()
    return int(re.search(r"\d+", label).group())


def until_sent(page: Page, seconds: float = 15) -> None:
    """Wait (outside the page's clock) until the outbox is empty."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(WAITING) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the outbox was not sent")


def test_a_jury_scores_a_team_and_opens_the_next_with_taps_only(app, live_server, new_page):
    with app.app_context():
        world = thumb_world()
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731
    (team_a, code_a), (team_b, code_b) = world["teams"]
    criteria = world["criteria"]
    status = "[data-outbox-status]"

    phone = new_page(viewport=PHONE, reduced_motion="reduce")
    log_in(phone, live_server, world["jury"])
    phone.clock.install()
    phone.goto(f"{live_server}/jury/rounds/{world['round']}/teams/{team_a}")
    thumb = Thumb(phone)

    # on arrival: the first scale and the save bar in view; the project one labelled tap away
    thumb.in_view(score(phone, criteria[0], 0))
    thumb.in_view(score(phone, criteria[0], 10))
    thumb.in_view(phone.locator("[data-next-button]"))
    project = phone.locator("details.project-disclosure > summary")
    expect(project).to_contain_text(t("See the project"))
    icon = project.locator(".disclosure-icon").bounding_box()
    assert icon["width"] >= 6 and icon["height"] >= 6
    thumb.in_view(project)
    assert phone.locator(".scale-option").first.bounding_box()["height"] >= 44

    for criterion, value in zip(criteria, (7, 8, 6, 9, 5), strict=True):
        thumb.tap(score(phone, criterion, value))
    thumb.tap(phone.locator("[data-next-button]"))
    expect(phone).to_have_url(f"{live_server}/jury/rounds/{world['round']}/teams/{team_b}")
    expect(phone.locator("h1")).to_contain_text(code_b)
    taps_per_team = thumb.taps
    print(f"jury taps per team at 390x844: {taps_per_team} taps, 0 swipes "
          f"({len(criteria)} criteria)")
    assert taps_per_team == len(criteria) + 1
    assert phone.evaluate(WAITING) == 0  # sent before leaving

    # the next team: the previous one's scores said saved, their undo counting down
    expect(phone.locator(status)).to_have_text(t("Scores for %(team)s recorded.", team=code_a))
    undo = phone.locator("[data-undo]")
    expect(undo).to_be_visible()
    before = undo_seconds(phone)
    assert 25 <= before <= 30
    phone.clock.run_for(3000)
    assert undo_seconds(phone) <= before - 2
    expect(undo).to_have_text(t("Undo (%(num)s s)", num=undo_seconds(phone)))
    thumb.tap(undo)
    expect(phone.locator(status)).to_have_text(t("Your scores for %(team)s are undone.",
                                                 team=code_a))
    expect(undo).to_be_hidden()
    until_sent(phone)
    with app.app_context():
        assert not any(team == team_a for _jury, team, _c in cells_in_force(world["round"]))
        db.session.remove()

    # the last team: a plain save counts down to 0 and the undo goes; then home says what is left
    for criterion in criteria:
        thumb.tap(score(phone, criterion, 6))
    thumb.tap(phone.locator("form[data-scoring] input[name=submit]"))
    expect(phone.locator(status)).to_have_text(t("Scores recorded."))
    expect(undo).to_be_visible()
    phone.clock.run_for(31_000)
    expect(undo).to_be_hidden()
    thumb.tap(phone.locator("[data-next-button]"))
    expect(phone).to_have_url(f"{live_server}/jury/?finished={world['round']}")
    with app.test_request_context():
        left = fr("That was the last team in your order for %(round)s; %(num)d team is still "
                  "to score (below).", "That was the last team in your order for %(round)s; "
                  "%(num)d teams are still to score (below).", num=1, round=world["round_name"])
    expect(phone.locator(".jury-finished")).to_have_text(left)
    expect(phone.locator("ul.queue").first).to_contain_text(code_a)
