"""The organisers choose what the big screen shows and can freeze it; the pages render."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, Edition
from crunchtime.services.live.board import FROZEN_KEY
from tests import factories
from tests.helpers import post_form, says
from tests.live.conftest import api_client, post_event


def test_organisers_choose_and_freeze_the_big_screen(app, db, world, login):
    post_event(api_client(app, world.juries[0]), world.score_body("event-freeze-1"))
    client = login(factories.organizer())
    page = client.get("/organizer/live")
    assert page.status_code == 200 and says(page, "Judging live")
    response = post_form(client, "/organizer/live/display", {"display": "ranking",
                                                             "frozen": "y"})
    assert response.status_code == 302
    edition = db.session.get(Edition, world.edition.id)
    assert edition.public_display == "ranking" and edition.leaderboard_frozen
    assert edition.settings[FROZEN_KEY]["upto_seq"] >= 1
    assert db.session.scalar(sa.select(AuditEvent.action)
                             .where(AuditEvent.action == "live.display")) == "live.display"
    response = post_form(client, "/organizer/live/display", {"display": "progress"})
    edition = db.session.get(Edition, world.edition.id)
    assert response.status_code == 302 and not edition.leaderboard_frozen
    assert FROZEN_KEY not in edition.settings


def test_an_unknown_choice_is_refused_on_the_form(app, db, world, login):
    client = login(factories.organizer())
    response = post_form(client, "/organizer/live/display", {"display": "everything"})
    assert response.status_code == 200 and "field-invalid" in response.get_data(as_text=True)
    assert db.session.get(Edition, world.edition.id).public_display == "progress"


def test_the_big_screen_needs_no_login_and_tells_juries_what_they_see(app, db, world,
                                                                     client, login):
    page = client.get("/live")
    assert page.status_code == 200 and says(page, "Live ranking")
    assert 'data-room="public"' in page.get_data(as_text=True)
    jury_page = login(world.juries[0]).get("/live")
    assert 'data-room="juries"' in jury_page.get_data(as_text=True)
    assert says(jury_page, "Juries see the judging progress, never the provisional ranking.")
