"""In a browser: a company posts a challenge, an organiser approves it, a student ranks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crunchtime.extensions import db
from crunchtime.models import Programme, Skill
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_smoke import translated

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = playwright_sync_api(module_level=True).expect

TITLE = "Hydrogène vert pour les bus d'Optymo"


def log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form input[type=submit]").click()
    expect(page.locator("form input[name=password]")).to_have_count(0)


def test_company_posts_organiser_approves_student_ranks(app, live_server, new_page):
    with app.app_context():
        edition = factories.edition(phase="challenges")
        db.session.add_all([Programme(edition_id=edition.id, name="Énergie"),
                            Skill(edition_id=edition.id, name="Hydrogène")])
        db.session.commit()
        company = factories.company_user(factories.organisation("Optymo"))
        organiser = factories.organizer()
        student = factories.student(edition)
        other = factories.organisation("Alstom")
        for code in ("C101", "C102"):
            factories.challenge(edition, other, code=code, title=f"Autre défi {code}")
        emails = company.email, organiser.email, student.email
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    # The company drafts the challenge, then submits it for review.
    company_page = new_page()
    log_in(company_page, live_server, emails[0])
    company_page.get_by_role("link", name=t("Our challenges"), exact=True).first.click()
    company_page.goto(f"{live_server}/company/challenges/new")
    company_page.fill("input[name=title]", TITLE)
    company_page.fill("textarea[name=problem]", "Les bus roulent au diesel ; comment passer "
                                                "à l'hydrogène produit localement ?")
    company_page.fill("textarea[name=deliverable]", "Une maquette de station et son étude.")
    company_page.get_by_label("Hydrogène").check()
    company_page.fill("input[name=teams_wanted]", "2")
    company_page.fill("input[name=contact_name]", "Claire Martin")
    company_page.fill("input[name=contact_email]", "claire.martin@optymo.example")
    company_page.locator("form input[type=submit]").first.click()
    company_page.get_by_role("button", name=t("Submit for review")).click()
    expect(company_page.locator("main")).to_contain_text(TITLE)

    # The organiser approves it and opens the preferences phase.
    organiser_page = new_page()
    log_in(organiser_page, live_server, emails[1])
    organiser_page.locator("#site-nav summary", has_text=t("Prepare")).click()  # menu group
    organiser_page.get_by_role("link", name=t("Challenges to review"), exact=True).click()
    organiser_page.get_by_role("link", name=TITLE).click()
    organiser_page.get_by_role("button", name=t("Approve")).click()
    expect(organiser_page.get_by_role("status")).to_be_visible()
    organiser_page.goto(f"{live_server}/organizer/phase")
    organiser_page.select_option("select[name=phase]", "preferences")
    organiser_page.check("input[name=confirm]")
    organiser_page.locator("form input[type=submit]").click()
    expect(organiser_page.locator("main")).to_contain_text(t("Preferences"))

    # The student finds it in the catalogue and ranks it first.
    student_page = new_page(viewport={"width": 360, "height": 740})
    log_in(student_page, live_server, emails[2])
    student_page.goto(f"{live_server}/challenges/?q=hydrogene")
    expect(student_page.get_by_role("link", name=TITLE)).to_be_visible()
    student_page.goto(f"{live_server}/student/preferences")
    code = student_page.locator("select[name=choice1] option", has_text=TITLE).get_attribute(
        "value")
    student_page.select_option("select[name=choice1]", code)
    student_page.select_option("select[name=choice2]", "C101")
    student_page.select_option("select[name=choice3]", "C102")
    student_page.locator("form input[type=submit]").click()
    expect(student_page.get_by_role("status")).to_contain_text(
        t("Your choices are saved. You can change them until the phase closes."))
    expect(student_page.locator("select[name=choice1]")).to_have_value(code)
