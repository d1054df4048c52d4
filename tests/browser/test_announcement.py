"""In a browser: an organiser sends an announcement; a student's open page shows it at once,
without reloading."""

from __future__ import annotations

from crunchtime.extensions import db
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_smoke import translated

expect = playwright_sync_api(module_level=True).expect

TEXT = "Rendez-vous à 14 h en amphi Jean Jaurès pour les pitchs."


def test_an_announcement_appears_on_the_student_s_open_page(app, live_server, new_page):
    with app.app_context():
        edition = factories.edition(phase="building")
        organiser = factories.organizer()
        student = factories.student(edition, first_name="Léa", last_name="Moreau")
        emails = organiser.email, student.email
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    student_page = new_page(viewport={"width": 360, "height": 740})
    log_in(student_page, live_server, emails[1])
    student_page.goto(f"{live_server}/announcements/")
    expect(student_page.locator("main")).to_contain_text(t("No announcement for you yet."))
    student_page.evaluate("window.loadedOnce = true")
    # Listening: anything that appears from now on was pushed, not fetched at connection.
    expect(student_page.locator("[data-announcement-banner][data-live=connected]")
           ).to_have_count(1)

    organiser_page = new_page()
    log_in(organiser_page, live_server, emails[0])
    organiser_page.goto(f"{live_server}/organizer/announcements/")
    organiser_page.select_option("select[name=audience]", "role")
    organiser_page.select_option("select[name=role]", "student")
    organiser_page.fill("textarea[name=text_fr]", TEXT)
    organiser_page.locator("form input[type=submit]").click()
    expect(organiser_page.get_by_role("status")).to_contain_text(t("Announcement published."))

    banner = student_page.locator("[data-announcement-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(TEXT)
    expect(student_page.locator("[data-announcement-list] article")).to_contain_text(TEXT)
    expect(student_page.locator("[data-announcement-empty]")).to_have_count(0)
    assert student_page.evaluate("window.loadedOnce") is True  # the page never reloaded


TEAM_TEXT = "Votre salle pour la soutenance : B12."


def test_a_team_announcement_appears_on_the_team_space_and_in_the_layout_banner(
        app, live_server, new_page):
    with app.app_context():
        edition = factories.edition(phase="building")
        organiser = factories.organizer()
        student = factories.student(edition, first_name="Hugo", last_name="Petit")
        team = factories.team(edition, factories.challenge(edition), members=[student],
                              code="T042")
        emails, team_id = (organiser.email, student.email), team.id
        db.session.remove()

    student_page = new_page(viewport={"width": 360, "height": 740})
    log_in(student_page, live_server, emails[1])
    student_page.goto(f"{live_server}/team/{team_id}")
    student_page.evaluate("window.loadedOnce = true")
    expect(student_page.locator("[data-announcement-banner][data-live=connected]")
           ).to_have_count(1)

    organiser_page = new_page()
    log_in(organiser_page, live_server, emails[0])
    organiser_page.goto(f"{live_server}/organizer/announcements/")
    organiser_page.select_option("select[name=audience]", "team")
    organiser_page.select_option("select[name=team]", str(team_id))
    organiser_page.fill("textarea[name=text_fr]", TEAM_TEXT)
    organiser_page.locator("form input[type=submit]").click()

    banner = student_page.locator("[data-announcement-banner]")
    expect(banner).to_contain_text(TEAM_TEXT)
    expect(banner.locator("a[href='/announcements/']")).to_have_count(1)
    expect(student_page.locator("[data-announcement-list] article")).to_contain_text(TEAM_TEXT)
    assert student_page.evaluate("window.loadedOnce") is True
