"""The big screen states where the judging stands from the edition's phase and its round
together, and says the same in its page and in its live views (issue 17: the board kept
saying "round open" after the edition moved to results)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from crunchtime.models import Edition, JudgingRound
from crunchtime.services.editions.phases import change_phase
from crunchtime.services.judging.results import publish_results
from crunchtime.services.judging.rounds import set_round_status
from crunchtime.services.live.display import set_public_display
from crunchtime.services.live.state import BoardState, board_state
from crunchtime.services.live.words import board_state_text
from tests import factories
from tests.helpers import says, text
from tests.live.conftest import api_client, boards, post_event

PUBLISHED = datetime(2026, 3, 20, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(("phase", "status", "published", "expected"), [
    ("building", "open", False, "before_judging"),
    ("judging", None, False, "no_round"),
    ("judging", "draft", False, "round_draft"),
    ("judging", "open", False, "round_open"),
    ("judging", "closed", False, "round_closed"),
    ("results", "open", False, "scoring_closed"),  # the phase wins over a stale round
    ("results", "closed", False, "scoring_closed"),
    ("closed", "closed", False, "scoring_closed"),
    ("judging", "closed", True, "results_published"),
    ("results", "closed", True, "results_published"),
])
def test_the_board_state_comes_from_the_phase_and_the_round(phase, status, published,
                                                           expected):
    edition = Edition(name="E", year=2026, phase=phase)
    judging_round = None if status is None else JudgingRound(
        name="Tour 1", number=1, status=status,
        results_published_at=PUBLISHED if published else None)
    state = board_state(edition, judging_round)
    assert state.code == expected
    assert state.round_name == ("Tour 1" if status and expected != "before_judging"
                                and expected != "no_round" else None)


def test_the_state_names_the_round_in_the_page_language(app):
    with app.test_request_context(), force_locale("en"):
        assert board_state_text(BoardState("round_open", "Final")) == "Final: scoring open"
        assert board_state_text(BoardState("results_published", "Final")) == "Results published"


def page_state(client) -> str:
    """The state sentence the big screen's page carries before any live event."""
    match = re.search(r'data-field="state">([^<]*)<', text(client.get("/live")))
    assert match, "no state on the big screen"
    return html.unescape(match.group(1))


def live_state(socket) -> dict:
    """The state of the latest public board view the connection received."""
    return boards(socket)["public"]["state"]


def said(app, state: dict) -> str:
    with app.test_request_context(), force_locale("fr"):
        return board_state_text(BoardState(state["code"], state["round"]))


def test_closing_the_round_changes_the_page_and_the_live_view_alike(app, db, world, connect,
                                                                   client):
    viewer = connect()
    assert live_state(viewer) == {"code": "round_open", "round": "Tour 1"}
    assert page_state(client) == said(app, {"code": "round_open", "round": "Tour 1"})

    set_round_status(factories.organizer(), world.round, "closed", acknowledge_gaps=True)

    state = live_state(viewer)
    assert state == {"code": "round_closed", "round": "Tour 1"}
    assert page_state(client) == said(app, state)


def test_moving_to_results_never_leaves_the_board_saying_open(app, db, world, connect, client):
    post_event(api_client(app, world.juries[0]), world.score_body("event-state-1"))
    viewer = connect()
    organizer = factories.organizer()

    change_phase(world.edition, "results", organizer, close_open_rounds=True)

    state = live_state(viewer)
    assert state == {"code": "scoring_closed", "round": "Tour 1"}
    assert page_state(client) == said(app, state)

    publish_results(organizer, world.edition, acknowledge_gaps=True)

    state = live_state(viewer)
    assert state == {"code": "results_published", "round": "Tour 1"}
    assert page_state(client) == said(app, state)


def shown_scores(response) -> list[str]:
    return re.findall(r'class="num live-score">([^<]*)<', text(response))


def test_the_page_draws_the_board_its_viewers_have_with_the_language_decimals(app, db, world,
                                                                             connect, client):
    set_public_display(factories.organizer(), world.edition, "ranking", False)
    jury = api_client(app, world.juries[0])
    post_event(jury, world.score_body("event-page-1", value=7))
    post_event(jury, world.score_body("event-page-2", criterion=world.criteria[1], value=8))
    viewer = connect()  # somebody watches: the board is kept current
    live = boards(viewer)["public"]
    assert [row["team"] for row in live["ranking"]] == [world.teams[0].code]
    decimal = f"{live['ranking'][0]['score']:.1f}"

    french = client.get("/live", headers={"Accept-Language": "fr"})
    english = client.get("/live", headers={"Accept-Language": "en"})
    assert 'lang="fr"' in text(french) and 'lang="en"' in text(english)
    assert shown_scores(french) == [decimal.replace(".", ",")]
    assert shown_scores(english) == [decimal]
    assert f'data-team="{world.teams[0].code}" data-rank="1"' in text(french)
    assert "2 of 6 scores · 0 of 4 teams fully judged" in text(english)  # 3 juries × 2 criteria
    assert says(french, "%(recorded)s of %(expected)s score", "%(recorded)s of %(expected)s scores",
                num=6, recorded="2", expected="6")


def test_the_page_of_a_board_nobody_watches_waits_for_its_script(app, db, world, client):
    set_public_display(factories.organizer(), world.edition, "ranking", False)
    page = client.get("/live")
    assert page.status_code == 200 and shown_scores(page) == []
    assert 'data-part="waiting" aria-label' in text(page)  # shown until the live view comes
