"""On a 360-px-wide phone, a jury scores, undoes, scores again, then scores offline; once
the connection returns each score reaches the organisers' page exactly once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crunchtime.extensions import db
from crunchtime.models import Criterion, JudgingRound, JuryAssignment, JuryProfile, RoundEntry
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_smoke import NARROW_VIEWPORT, translated

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = playwright_sync_api(module_level=True).expect
WAITING = "Object.keys(localStorage).filter((k) => k.startsWith('crunchtime-outbox-')).length"


def judging_world() -> dict:
    """Round 1 open with two criteria; one jury assigned to two teams; an organiser."""
    edition = factories.edition(phase="judging")
    challenge = factories.challenge(edition, factories.organisation("Optymo"))
    teams = [factories.team(edition, challenge, name=name) for name in ("Hydrobus", "Vélotaf")]
    jury, organiser = factories.jury(edition), factories.organizer()
    judging_round = JudgingRound(edition_id=edition.id, number=1, name="Tour 1", status="open",
                                 juries_per_team=1)
    db.session.add(judging_round)
    db.session.flush()
    criteria = [Criterion(edition_id=edition.id, round_id=judging_round.id, key=key,
                          label_fr=label, position=position)
                for position, (key, label) in enumerate([("innovation", "Innovation"),
                                                         ("pitch", "Pitch")])]
    profile = db.session.query(JuryProfile).filter_by(user_id=jury.id).one()
    db.session.add_all([*criteria, *(RoundEntry(round_id=judging_round.id, team_id=t.id)
                                     for t in teams),
                        *(JuryAssignment(round_id=judging_round.id, jury_id=profile.id,
                                         team_id=t.id) for t in teams)])
    db.session.commit()
    return {"round": judging_round.id, "teams": [(t.id, t.code) for t in teams],
            "criteria": [c.id for c in criteria], "jury": jury.email,
            "organiser": organiser.email}


def give(page: Page, criterion: int, value: int) -> None:
    page.check(f"input[name=criterion_{criterion}][value='{value}']")


def save(page: Page) -> None:
    page.locator("form[data-scoring] input[name=submit]").click()


def test_jury_scores_undoes_and_scores_offline_each_score_recorded_once(app, live_server,
                                                                        new_page):
    with app.app_context():
        world = judging_world()
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731
    first, second = world["criteria"]
    (_team_a, code_a), (team_b, code_b) = world["teams"]
    status = "[data-outbox-status]"

    phone = new_page(viewport=NARROW_VIEWPORT)
    log_in(phone, live_server, world["jury"])
    phone.get_by_role("link", name=code_a).click()
    give(phone, first, 7)
    give(phone, second, 5)
    save(phone)
    expect(phone.locator(status)).to_have_text(t("Scores recorded."))
    phone.locator("[data-undo]").click()  # its label counts the seconds down
    expect(phone.locator(status)).to_have_text(t("Your last scores are undone."))
    expect(phone.locator(f"input[name=criterion_{first}]:checked")).to_have_count(0)
    give(phone, first, 8)
    give(phone, second, 6)
    save(phone)
    expect(phone.locator(status)).to_have_text(t("Scores recorded."))
    assert phone.evaluate("document.documentElement.scrollWidth") <= NARROW_VIEWPORT["width"]

    phone.goto(f"{live_server}/jury/rounds/{world['round']}/teams/{team_b}")
    phone.context.set_offline(True)
    give(phone, first, 9)
    give(phone, second, 3)
    save(phone)
    expect(phone.locator(status)).to_contain_text(t(
        "No connection: your scores are kept on this phone and will be sent when the "
        "connection returns."))
    assert phone.evaluate(WAITING) == 2
    phone.context.set_offline(False)
    expect(phone.locator(status)).to_have_text(t("Scores recorded."))
    assert phone.evaluate(WAITING) == 0

    organiser = new_page()
    log_in(organiser, live_server, world["organiser"])
    organiser.goto(f"{live_server}/organizer/judging/rounds/{world['round']}/scores")
    current = organiser.locator("#current-scores tbody tr")
    expect(current).to_have_count(4)
    for code, values in ((code_a, ("8", "6")), (code_b, ("9", "3"))):
        rows = organiser.locator(f"#current-scores tr[data-team='{code}']")
        expect(rows).to_have_count(2)
        expect(rows.locator("td.num").nth(0)).to_have_text(values[0])
        expect(rows.locator("td.num").nth(2)).to_have_text(values[1])
    expect(organiser.locator(f"#ledger tr.ledger-score[data-team='{code_b}']")).to_have_count(2)
    expect(organiser.locator(f"#ledger tr[data-team='{code_a}']")).to_have_count(6)
    expect(organiser.locator(f"#ledger tr.ledger-undo[data-team='{code_a}']")).to_have_count(2)
