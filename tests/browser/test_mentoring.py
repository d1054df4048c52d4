"""In a browser, on phones (390 px): a team asks for help, the mentor's open queue shows the
request without reloading, the mentor takes it, and the team's open page shows who is coming,
without reloading either."""

from __future__ import annotations

import os
from pathlib import Path

from crunchtime.extensions import db
from tests import factories
from tests.browser import playwright_sync_api, unavailable
from tests.browser.test_announcement import open_listening
from tests.browser.test_smoke import translated

expect = playwright_sync_api(module_level=True).expect
PHONE = 390
SHOTS = os.environ.get("MENTORING_SHOTS")  # a folder: keep screenshots of the pages


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE, f"the page is {width}px wide on a {PHONE}px phone"


def test_a_mentor_claims_on_a_phone_and_the_team_sees_it_live(app, live_server, new_page):
    with app.app_context():
        edition = factories.edition(phase="building")
        organisation = factories.organisation("Hydrogène Belfort")
        challenge = factories.challenge(edition, organisation, title="Piles à combustible")
        student = factories.student(edition, first_name="Inès", last_name="Durand")
        team = factories.team(edition, challenge, members=[student], code="T042")
        mentor = factories.company_user(organisation, first_name="Claire", last_name="Martin")
        emails, team_id = (student.email, mentor.email), team.id
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    team_page = open_listening(new_page, live_server, emails[0], f"/team/{team_id}/help/")
    mentor_page = new_page(viewport={"width": PHONE, "height": 800})
    mentor_page = open_listening(lambda **_: mentor_page, live_server, emails[1], "/mentoring/")
    expect(mentor_page.locator("[data-queue-empty]")).to_have_count(1)
    _fits(mentor_page)

    team_page.fill("textarea[name=topic]", "Notre pile ne délivre plus assez de courant")
    team_page.fill("input[name=location]", "FabLab, table 4")
    team_page.select_option("select[name=urgency]", "high")
    team_page.locator("form input[type=submit]").click()
    expect(team_page.locator("[data-help-status=open]")).to_have_count(1)
    team_page.evaluate("window.loadedOnce = true")
    _fits(team_page)
    _shot(team_page, "team-waiting-390")

    item = mentor_page.locator("[data-queue-request]")
    expect(item).to_have_count(1)  # pushed: the mentor's page never reloaded
    expect(item).to_contain_text("Notre pile ne délivre plus assez de courant")
    expect(item).to_contain_text("FabLab, table 4")
    assert mentor_page.evaluate("window.loadedOnce") is True
    _fits(mentor_page)
    _shot(mentor_page, "queue-390")

    item.get_by_role("button").click()
    expect(mentor_page.get_by_role("status").first).to_contain_text("T042")
    expect(mentor_page.locator("[data-claimed-request]")).to_have_count(1)
    _fits(mentor_page)
    _shot(mentor_page, "claimed-390")

    coming = team_page.locator("[data-help-mentor]")
    expect(coming).to_contain_text("Claire Martin")
    expect(coming).to_contain_text("FabLab, table 4")
    expect(team_page.locator("[data-help-status=claimed]")).to_have_count(1)
    assert team_page.evaluate("window.loadedOnce") is True  # the team's page never reloaded
    expect(team_page.locator("[data-help-announce]")).to_have_text(
        t("A mentor took your request."))
    _shot(team_page, "team-claimed-390")


def test_the_mentoring_pages_have_no_serious_accessibility_violation(app, live_server,
                                                                     new_page):
    """axe-core on every mentoring page, filled (a request taken, one waiting, a booked and a
    free slot, past requests), at phone and desktop widths."""
    from datetime import timedelta

    from crunchtime.models.base import utcnow
    from crunchtime.services.mentoring import office_hours as hours
    from crunchtime.services.mentoring import requests as help_requests
    from crunchtime.services.mentoring.mentors import set_jury_mentoring
    from tests.browser.test_accessibility import AXE, BLOCKING, BLOCKING_RULES, WIDTHS, audit
    from tests.browser.test_challenge_flow import log_in

    if not AXE.exists():
        unavailable(f"{AXE} is missing: run ./scripts/test (ensure_assets fetches it)")
    with app.app_context():
        edition = factories.edition(phase="building")
        organisation = factories.organisation()
        challenge = factories.challenge(edition, organisation)
        students = [factories.student(edition) for _ in range(2)]
        teams = [factories.team(edition, challenge, members=[s]) for s in students]
        organiser = factories.organizer()
        jury = factories.jury(edition)
        set_jury_mentoring(organiser, edition, jury.id, True)
        draft = help_requests.RequestDraft("Câblage du capteur", "Salle B12", "high", "ux")
        taken = help_requests.open_help_request(students[0], teams[0], edition, draft)
        help_requests.claim_help_request(organiser, edition, taken.id)
        help_requests.open_help_request(students[1], teams[1], edition, draft)
        start = utcnow() + timedelta(days=1)
        for offset in (0, 1):
            slot = hours.publish_office_hour(organiser, edition, hours.SlotDraft(
                start + timedelta(hours=offset), start + timedelta(hours=offset, minutes=30),
                "Bureau A002"))
        hours.book_office_hour(teams[0], edition, slot.id)
        pages = {students[0].email: [f"/team/{teams[0].id}/help/"],
                 organiser.email: ["/mentoring/", "/mentoring/profile",
                                   "/mentoring/office-hours", "/organizer/mentoring/"],
                 jury.email: ["/mentoring/"]}
        db.session.remove()
    failures = []
    for email, paths in pages.items():
        page = new_page(viewport=WIDTHS["desktop"], bypass_csp=True)
        log_in(page, live_server, email)
        for viewport in WIDTHS.values():
            page.set_viewport_size(viewport)
            for path in paths:
                failures += [(path, viewport["width"], v["id"], v["targets"][:3])
                             for v in audit(page, live_server + path)
                             if v["impact"] in BLOCKING or v["id"] in BLOCKING_RULES]
    assert failures == []
