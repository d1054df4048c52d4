"""The organisers' dashboard charts (once the "cockpit"): every chart comes with its numbers,
the page is live, and its SQL queries stay constant whatever the size of the edition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import Preference, ScoreEvent, StudentProfile
from crunchtime.services.incubation.flags import compute_flags
from tests import factories
from tests.helpers import client_for, count_queries, fr, says, text
from tests.worlds import build_world, judged_round, post

COCKPIT = "/organizer/cockpit/"
PANELS = COCKPIT + "panels"


@pytest.fixture
def world(db):
    """The cockpit reads a judged edition (tests/worlds.py), not the live tests' judging world."""
    return build_world()


def test_the_cockpit_draws_each_chart_with_its_numbers(db, world, as_user):
    compute_flags(world.organizer, world.edition)
    response = as_user(world.organizer).get(PANELS)
    assert response.status_code == 200
    page = text(response)
    assert page.count('<table class="bar-chart"') == 4  # choices, demand, judging, funnel
    assert page.count('<svg viewBox=') == 2  # registrations over time, submissions
    assert page.count('<details class="chart-numbers">') == 2
    assert says(response, "Challenge demand: first choices against seats (the most wanted "
                          "first)")
    assert says(response, "Incubation funnel")
    funnel = page[page.index('id="chart-funnel-title"'):]
    assert re.search(r'<th scope="row">[^<]*</th>\s*<td class="bar-cell"[^>]*>.*?</td>\s*'
                     r'<td class="num">12</td>', funnel)


def test_the_old_cockpit_address_leads_to_the_one_dashboard(db, world, as_user):
    browser = as_user(world.organizer)
    response = browser.get(COCKPIT)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organizer/#charts")
    page = text(browser.get("/organizer/"))
    assert page.count(f'data-source="{PANELS}"') == 1
    assert "js/cockpit.js" in page and "vendor/socket.io.min.js" in page
    menu = page[page.index('id="site-nav"'):page.index("</nav>")]
    assert menu.count(fr("Dashboard")) == 1 and fr("Cockpit") not in menu


def test_the_panels_alone_are_served_for_the_live_refresh(db, world, as_user):
    response = as_user(world.organizer).get(PANELS)
    assert response.status_code == 200 and "<html" not in text(response)
    assert 'class="cockpit-grid"' in text(response)


def queries_for(app, db, organizer) -> int:
    client = client_for(app, organizer)
    client.get(PANELS)  # warm-up: templates compiled, user loaded once
    with count_queries(db.engine) as queries:
        assert client.get(PANELS).status_code == 200
    return queries.count


def grow(world, students: int, challenges: int) -> None:
    """More challenges, students with ranked preferences, and a second scored round."""
    extra = [factories.challenge(world.edition, world.organisations[i % 2])
             for i in range(challenges)]
    offered = world.challenges + extra
    for i in range(students):
        student = factories.student(world.edition)
        profile = _db.session.scalar(sa.select(StudentProfile.id).where(
            StudentProfile.user_id == student.id))
        _db.session.add_all(Preference(student_id=profile, challenge_id=challenge.id, rank=rank)
                           for rank, challenge in enumerate(
                               (offered[(i + k) % len(offered)] for k in range(3)), start=1))
    _db.session.commit()
    finalists = world.teams[:4]
    judged_round(world.edition, world.juries, finalists,
                 {team.id: 6 + i for i, team in enumerate(finalists)}, number=2)


def test_the_cockpit_uses_a_constant_number_of_queries(app, db):
    small = build_world(teams=2)
    few = queries_for(app, db, small.organizer)
    big = build_world(teams=16, suffix=" bis")
    grow(big, students=30, challenges=6)
    compute_flags(big.organizer, big.edition)
    assert db.session.scalar(sa.select(sa.func.count(ScoreEvent.seq))) > 100
    assert queries_for(app, db, big.organizer) == few
    assert few <= 12


def test_the_cockpit_script_never_polls():
    script = (Path(__file__).parents[2] / "static" / "js" / "cockpit.js").read_text()
    assert "setInterval" not in script and "CrunchLive.on(" in script


def test_a_change_by_another_service_reaches_the_organisers_live(app, db, world,
                                                                 live_test_client):
    browser = client_for(app, world.organizer)
    with app.app_context():
        socket = live_test_client(app, namespace="/live", flask_test_client=browser)
    socket.get_received("/live")
    member = client_for(app, world.students[0])
    response = post(member, f"/team/{world.teams[0].id}/name", {"name": "Les Pionniers"})
    assert response.status_code == 302
    events = [e for e in socket.get_received("/live") if e["name"] == "cockpit"]
    assert events and "team" in events[0]["args"][0]["changed"]

