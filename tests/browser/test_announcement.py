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


def open_listening(new_page, live_server, email: str, path: str):
    """A student's phone-sized page, marked so that a reload would show, once its live
    banner listens: anything that appears from now on was pushed, not fetched."""
    page = new_page(viewport={"width": 360, "height": 740})
    log_in(page, live_server, email)
    page.goto(f"{live_server}{path}")
    page.evaluate("window.loadedOnce = true")
    expect(page.locator("[data-announcement-banner][data-live=connected]")).to_have_count(1)
    return page


def send_announcement(new_page, live_server, email: str, text: str, **audience: str):
    """The organiser's form: `audience` names the select fields to set, in order."""
    page = new_page()
    log_in(page, live_server, email)
    page.goto(f"{live_server}/organizer/announcements/")
    for field, value in audience.items():
        page.select_option(f"select[name={field}]", value)
    page.fill("textarea[name=text_fr]", text)
    page.locator("form input[type=submit]").click()
    return page


def test_an_announcement_appears_on_the_student_s_open_page(app, live_server, new_page):
    with app.app_context():
        edition = factories.edition(phase="building")
        organiser = factories.organizer()
        student = factories.student(edition, first_name="Léa", last_name="Moreau")
        emails = organiser.email, student.email
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    student_page = open_listening(new_page, live_server, emails[1], "/announcements/")
    expect(student_page.locator("main")).to_contain_text(t("No announcement for you yet."))

    organiser_page = send_announcement(new_page, live_server, emails[0], TEXT,
                                       audience="role", role="student")
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

    student_page = open_listening(new_page, live_server, emails[1], f"/team/{team_id}")
    send_announcement(new_page, live_server, emails[0], TEAM_TEXT,
                      audience="team", team=str(team_id))

    banner = student_page.locator("[data-announcement-banner]")
    expect(banner).to_contain_text(TEAM_TEXT)
    expect(banner.locator("a[href='/announcements/']")).to_have_count(1)
    expect(student_page.locator("[data-announcement-list] article")).to_contain_text(TEAM_TEXT)
    assert student_page.evaluate("window.loadedOnce") is True
