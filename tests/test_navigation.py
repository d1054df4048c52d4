"""The main menu follows the week (grouped, foldable on a phone, the current page marked),
refusals show where the user looks, long organiser pages fold, and numbers are written one
way in each language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from markupsafe import escape

from crunchtime.views.templating import decimal, integer, paris_clock, paris_date
from tests import factories
from tests.helpers import csrf_token, fr, text

STAGES = ("Prepare", "Form the teams", "During the week", "Judge", "Follow up")


def menu_of(page: str) -> str:
    return page[page.index('<nav class="main-nav" id="site-nav"'):page.index("</nav>")]


def test_organiser_menu_groups_the_pages_by_stage_of_the_week(db, edition, organizer,
                                                              as_user):
    page = text(as_user(organizer).get("/organizer/phase"))
    assert re.search(r'<button type="button" class="nav-toggle" aria-expanded="false" '
                     r'aria-controls="site-nav" hidden data-nav-toggle>', page)
    menu = menu_of(page)
    summaries = re.findall(r"<summary>([^<]+)</summary>", menu)
    assert summaries == [fr(label) for label in STAGES] + [fr("My account")]
    # One entry per page: a single dashboard, no "Cockpit" any more.
    assert menu.count(f">{fr('Dashboard')}<") == 1 and fr("Cockpit") not in menu
    assert menu.count('aria-current="page"') == 1
    assert f'aria-current="page">{fr("Phases")}</a>' in menu
    prepare = menu[:menu.index(f"<summary>{fr('Form the teams')}</summary>")]
    assert prepare.count("nav-group-current") == 1


def test_a_page_inside_a_section_marks_its_menu_entry(db, edition, organizer, as_user):
    menu = menu_of(text(as_user(organizer).get("/organizer/companies")))
    assert f'aria-current="true">{fr("Students")}</a>' in menu
    assert 'aria-current="page"' not in menu


@pytest.mark.parametrize("role, home, first_link", [
    ("student", "/student/", "My space"),
    ("jury", "/jury/", "My projects to score"),
    ("company", "/company/", "My organisation"),
])
def test_other_roles_keep_a_short_menu_with_their_account_folded(db, edition, as_user, role,
                                                                 home, first_link):
    user = {"student": lambda: factories.student(edition), "jury": lambda: factories.jury(edition),
            "company": factories.company_user}[role]()
    menu = menu_of(text(as_user(user).get(home)))
    assert f'aria-current="page">{fr(first_link)}</a>' in menu
    account = menu[menu.index("nav-account"):]
    assert f"<summary>{fr('My account')}</summary>" in account
    assert 'action="/logout"' in account and fr("Account settings") in account
    assert menu.count("<summary>") == 1  # only the account folds: a phone shows one line


def test_a_refusal_is_an_alert_at_the_top_of_the_page(db, organizer, as_user):
    edition = factories.edition(phase="results")
    browser = as_user(organizer)
    token = csrf_token(browser, "/organizer/cockpit/exports")
    response = browser.post(f"/organizer/cockpit/editions/{edition.id}/archive",
                            data={"csrf_token": token, "confirm": "y"}, follow_redirects=True)
    page = text(response)
    message = fr("Close the edition (phase “Closed”) before archiving it.")
    alert = re.search(r'<p class="flash flash-error" role="alert" tabindex="-1" '
                      r'data-flash-error>([^<]+)</p>', page)
    assert alert and alert.group(1) == str(escape(message))
    # First thing in the page's main area, before its title.
    main = page[page.index('<main id="main"'):]
    assert main.index("data-flash-error") < main.index("<h1")


def test_a_confirmation_is_a_status_not_an_alert(client, db, edition):
    response = client.post("/language", data={"locale": "en",
                                              "csrf_token": csrf_token(client, "/")},
                           follow_redirects=True)
    page = text(response)
    assert '<p class="flash flash-success" role="status">' in page
    assert "data-flash-error" not in page and 'role="alert"' not in page


def test_a_refused_form_lists_its_problems_at_the_top_linked_to_the_fields(db, organizer,
                                                                          as_user):
    browser = as_user(organizer)
    response = browser.post("/organizer/editions", data={
        "csrf_token": csrf_token(browser, "/organizer/editions"), "name": "", "year": "1990"})
    page = text(response)
    summary = page[page.index("data-error-summary"):]
    summary = summary[:summary.index("</div>")]
    assert 'role="alert" tabindex="-1"' in page
    assert summary.index('<a href="#name">') < summary.index('<a href="#year">')
    assert str(escape(fr("Give the edition a name."))) in summary
    assert page.index("data-error-summary") < page.index('id="name"')


def test_the_company_home_leads_to_its_teams_projects_once_they_exist(db, as_user):
    edition = factories.edition(phase="results")
    company = factories.company_user()
    page = text(as_user(company).get("/company/"))
    what_now = page[page.index(fr("What to do now")):]
    what_now = what_now[:what_now.index("</section>")]
    assert 'href="/company/teams/"' in what_now
    assert 'href="/company/challenges"' not in what_now
    edition.phase = "challenges"
    db.session.commit()
    page = text(as_user(company).get("/company/"))
    assert 'class="button" href="/company/challenges"' in page


def test_the_organisers_live_room_folds_its_long_parts(db, organizer, as_user):
    factories.edition(phase="judging")
    page = text(as_user(organizer).get("/organizer/live"))
    assert page.count('<details class="panel fold"') == 4  # big screen, anomalies, juries, ranking
    assert page.count('<details class="panel fold" open>') == 2  # anomalies and ranking open
    regions = re.findall(r'<div class="[^"]*scroll-region"([^>]*)>', page)
    assert len(regions) == 3
    for attributes in regions:
        assert 'tabindex="0" role="region" aria-labelledby="org-' in attributes


def test_the_company_live_tables_scroll_in_a_named_focusable_region(db, edition, as_user):
    page = text(as_user(factories.company_user()).get("/company/live"))
    assert re.search(r'<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">',
                     page)


@pytest.mark.parametrize("locale, expected", [
    ("fr", ("70,5", "85,0", "1\u202f700", "—")),
    ("en", ("70.5", "85.0", "1,700", "—")),
])
def test_numbers_are_written_the_way_the_language_writes_them(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert (decimal(70.46), decimal(85), integer(1700), decimal(None)) == expected
        assert decimal(2 / 3, 2) == ("0,67" if locale == "fr" else "0.67")


def test_times_and_days_are_shown_in_paris(app):
    winter, summer = datetime(2026, 1, 15, 23, 30, tzinfo=UTC), datetime(2026, 7, 1, 12, 0,
                                                                         tzinfo=UTC)
    with app.test_request_context(), force_locale("fr"):
        assert paris_clock(winter) == "00:30" and paris_clock(summer) == "14:00"
        assert paris_date(winter).startswith("16 janv.")
        assert paris_clock(None) == "" and paris_date(None) == ""
