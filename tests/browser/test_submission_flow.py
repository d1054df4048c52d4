"""In a browser: a member uploads a PDF and an image, a teammate edits (the first member's
page hears of it live), the history shows two versions, the deadline passes and the form
becomes read-only."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from crunchtime.extensions import db
from crunchtime.models import Edition
from crunchtime.models.base import utcnow
from tests import factories
from tests.browser import playwright_sync_api
from tests.browser.test_challenge_flow import log_in
from tests.browser.test_smoke import translated
from tests.challenges import samples

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = playwright_sync_api(module_level=True).expect


def open_submission(page: Page, live_server: str, t) -> None:
    page.goto(f"{live_server}/student/")
    page.get_by_role("link", name=t("Open our team space")).click()
    page.get_by_role("link", name=t("Submission"), exact=True).click()


def test_members_submit_files_edit_and_the_deadline_locks_the_form(app, live_server, new_page):
    with app.app_context():
        edition = factories.edition(phase="building",
                                    submission_deadline=utcnow() + timedelta(hours=2))
        challenge = factories.challenge(edition, factories.organisation("Optymo"),
                                        title="Bus à hydrogène")
        lea = factories.student(edition, first_name="Léa", last_name="Moreau")
        hugo = factories.student(edition, first_name="Hugo", last_name="Bernard")
        factories.team(edition, challenge, members=[lea, hugo], name="Les Hydrogènes")
        edition_id, emails = edition.id, (lea.email, hugo.email)
        db.session.remove()
    t = lambda message, **values: translated(app, "fr", message, **values)  # noqa: E731

    # Léa writes the project and adds a PDF and an image in one save.
    first = new_page()
    log_in(first, live_server, emails[0])
    open_submission(first, live_server, t)
    first.fill("input[name=title]", "Hy-Bus")
    first.fill("input[name=pitch]", "Le bus qui roule à l'hydrogène vert")
    first.fill("textarea[name=problem]", "Les bus de la ville roulent encore au diesel.")
    first.set_input_files("input[name=files]", [
        {"name": "pitch.pdf", "mimeType": "application/pdf", "buffer": samples.PDF},
        {"name": "maquette.png", "mimeType": "image/png", "buffer": samples.PNG},
    ])
    first.locator("input[name=submit]").click()
    expect(first.get_by_role("status")).to_contain_text(t("Version %(n)d saved.", n=1))
    expect(first.get_by_role("link", name="pitch.pdf")).to_be_visible()
    expect(first.get_by_role("link", name="maquette.png")).to_be_visible()

    # Hugo improves the pitch; Léa's open page is told at once.
    second = new_page(viewport={"width": 360, "height": 740})
    log_in(second, live_server, emails[1])
    open_submission(second, live_server, t)
    expect(second.locator("input[name=title]")).to_have_value("Hy-Bus")
    second.fill("input[name=pitch]", "Des bus à l'hydrogène produit sur place")
    second.locator("input[name=submit]").click()
    expect(second.get_by_role("status")).to_contain_text(t("Version %(n)d saved.", n=2))
    expect(first.locator("[data-live-notice]")).to_contain_text(
        t("%(name)s saved version %(n)s of the submission.", name="Hugo", n="2"))

    # The history shows both versions, by whom.
    first.get_by_role("link", name=t("History"), exact=True).click()
    versions = first.locator("ol.version-list > li")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("Hugo Bernard")
    expect(versions.last).to_contain_text("Léa Moreau")

    # The deadline passes: the form is read-only and says so.
    with app.app_context():
        db.session.get(Edition, edition_id).submission_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    second.reload()
    expect(second.locator("[data-read-only]")).to_be_visible()
    expect(second.locator("input[name=pitch]")).to_have_attribute("readonly", "")
    expect(second.locator("textarea[name=problem]")).to_have_attribute("readonly", "")
    expect(second.locator("input[name=submit]")).to_have_count(0)
    expect(second.locator("input[name=files]")).to_have_count(0)
    expect(second.locator("input[name=pitch]")).to_have_value(
        "Des bus à l'hydrogène produit sur place")
