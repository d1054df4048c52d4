"""Guard rails on the organisers' irreversible judging steps: a round closed or results
published with scores missing only once the gaps are acknowledged, the figures stated on
the page, and the set-up explained (who takes part, actions named as actions)."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape

from crunchtime.models import AuditEvent, Award, JudgingRound, ScoreEvent
from crunchtime.services.judging.readiness import round_readiness
from crunchtime.services.judging.words import close_refusal
from tests import factories
from tests.helpers import csrf_token, fr, says, text
from tests.judging.conftest import assign, make_round, profile_of

_events = itertools.count(1)
ACKNOWLEDGE_CLOSE = ("I understand that %(num)d team is not fully judged: close the round "
                     "anyway.",
                     "I understand that %(num)d teams are not fully judged: close the round "
                     "anyway.")
RESULTS = "/organizer/judging/results"


def score(world, jury, team, criteria=None, value=7) -> None:
    """`jury` scores `team` on these criteria (all of the round's by default); committed."""
    from crunchtime.extensions import db

    for criterion in criteria or world.criteria:
        db.session.add(ScoreEvent(client_event_id=f"guard-{next(_events)}",
                                  round_id=world.round.id, jury_id=profile_of(jury).id,
                                  team_id=team.id, criterion_id=criterion.id, kind="score",
                                  value=value))
    db.session.commit()


def post_on(client, page: str, action: str, data: dict, **kwargs):
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)}, **kwargs)


@pytest.fixture
def partly_scored(db, world):
    """Pairs j0–t0, j0–t1, j1–t0 (k = 2, two criteria): j0 and j1 score t0 fully, j0 scores
    one criterion of t1; t2 and t3 have no jury."""
    first, second = world.juries[0], world.juries[1]
    score(world, first, world.teams[0])
    score(world, second, world.teams[0])
    score(world, first, world.teams[1], criteria=world.criteria[:1])
    return world


@pytest.fixture
def complete(db, world):
    """Every team of the round scored in full by two juries: nothing is missing."""
    pairs = [(0, 0), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (1, 3), (2, 3)]
    for jury, team in pairs[3:]:
        assign(world.round, world.juries[jury], world.teams[team])
    for jury, team in pairs:
        score(world, world.juries[jury], world.teams[team])
    return world


def test_readiness_counts_missing_scores_teams_and_unfinished_juries(db, partly_scored):
    readiness = round_readiness(partly_scored.round)
    assert (readiness.recorded_scores, readiness.expected_scores) == (5, 6)
    assert readiness.missing_scores == 1
    assert (readiness.teams_fully_judged, readiness.teams) == (1, 4)
    assert readiness.teams_not_fully_judged == 3
    assert readiness.teams_without_jury == 2
    assert readiness.teams_single_jury == 1
    assert (readiness.juries_unfinished, readiness.juries) == (1, 2)
    assert not readiness.complete


def test_a_complete_round_reads_complete(db, complete):
    readiness = round_readiness(complete.round)
    assert readiness.complete and readiness.missing_scores == 0
    assert readiness.teams_fully_judged == 4 and readiness.juries_unfinished == 0


def test_closing_an_incomplete_round_is_refused_without_the_acknowledgement(
        app, db, partly_scored, organizer, login):
    client = login(organizer)
    page_path = f"/organizer/judging/rounds/{partly_scored.round.id}"
    page = client.get(page_path)
    assert says(page, "%(recorded)s of %(expected)s", recorded="5", expected="6")
    assert says(page, *ACKNOWLEDGE_CLOSE, num=3)
    assert says(page, "%(num)d score of %(expected)d is missing.",
                "%(num)d scores of %(expected)d are missing.", num=1, expected=6)

    refused = post_on(client, page_path, page_path + "/status", {"status": "closed"},
                      follow_redirects=True)
    with force_locale("fr"):
        message = close_refusal(round_readiness(partly_scored.round))
    assert str(escape(message)) in text(refused)
    db.session.expire_all()
    assert db.session.get(JudgingRound, partly_scored.round.id).status == "open"
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "judging.round_status")) == 0

    closed = post_on(client, page_path, page_path + "/status",
                     {"status": "closed", "acknowledge": "y"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(JudgingRound, partly_scored.round.id).status == "closed"
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "judging.round_status"))
    assert audit.details["complete"] is False
    assert audit.details["scores"] == [5, 6]


def test_the_refusal_names_the_gaps(app, db, partly_scored, organizer):
    from crunchtime.errors import Conflict
    from crunchtime.services.judging.rounds import set_round_status

    with pytest.raises(Conflict) as refused:
        set_round_status(organizer, partly_scored.round, "closed")
    assert refused.value.details["field"] == "acknowledge"
    assert "6" in refused.value.message and "Tour 1" in refused.value.message


def test_a_complete_round_closes_without_acknowledgement_and_still_shows_its_figures(
        app, db, complete, organizer, login):
    client = login(organizer)
    page_path = f"/organizer/judging/rounds/{complete.round.id}"
    page = client.get(page_path)
    assert says(page, "%(recorded)s of %(expected)s", recorded="16", expected="16")
    assert says(page, "Every assigned jury has scored every criterion of its teams.")
    assert 'name="acknowledge"' not in text(page)
    response = post_on(client, page_path, page_path + "/status", {"status": "closed"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(JudgingRound, complete.round.id).status == "closed"


def test_publishing_incomplete_results_needs_the_acknowledgement(app, db, partly_scored,
                                                                organizer, login):
    partly_scored.round.status = "closed"
    db.session.commit()
    client = login(organizer)
    page = client.get(RESULTS)
    assert says(page, "How complete the judging is")
    assert 'name="acknowledge"' in text(page)
    refused = post_on(client, RESULTS, RESULTS, {"confirm": "y"})
    assert refused.status_code == 200
    assert says(refused, "The results rest on incomplete judging (see the figures above). "
                         "Tick the box “I understand…” to publish them anyway.")
    assert db.session.scalar(sa.select(sa.func.count(Award.id))) == 0

    published = post_on(client, RESULTS, RESULTS, {"confirm": "y", "acknowledge": "y"})
    assert published.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Award.id))) > 0
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "judging.publish_results"))
    assert audit.details["complete"] is False


def test_results_page_counts_places_resting_on_one_jury(app, db, partly_scored, organizer,
                                                       login):
    from crunchtime.services.judging.results import publication_check

    partly_scored.round.status = "closed"
    db.session.commit()
    check = publication_check(partly_scored.edition)
    # t1 (one jury) wins its challenge and is on the podium; t0 has two juries.
    assert check.single_jury_places == 2
    page = login(organizer).get(RESULTS)
    assert says(page, "%(num)d place to publish rests on a single jury's score.",
                "%(num)d places to publish rest on a single jury's score.", num=2)
    assert says(page, "Score (%(unit)s)", unit=fr("out of 100"))


def test_complete_results_publish_with_the_usual_confirmation_only(app, db, complete,
                                                                   organizer, login):
    complete.round.status = "closed"
    db.session.commit()
    client = login(organizer)
    assert 'name="acknowledge"' not in text(client.get(RESULTS))
    assert post_on(client, RESULTS, RESULTS, {"confirm": "y"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Award.id))) > 0


def test_a_round_before_the_matching_says_no_team_takes_part_yet(app, db, organizer, login):
    edition = factories.edition(phase="building")
    judging_round = make_round(edition, status="draft")
    page = login(organizer).get(f"/organizer/judging/rounds/{judging_round.id}")
    assert says(page, "The matching is not published yet, so no team exists: no team takes "
                      "part in this round for now.")
    assert says(page, "Open the scoring")
    assert not says(page, "Open for scoring")  # the state's name is not a button any more


def test_a_round_page_says_assigning_the_juries_adds_the_teams(app, db, world, organizer,
                                                              login):
    page = login(organizer).get(f"/organizer/judging/rounds/{world.round.id}")
    assert says(page, "Assigning the juries (or opening the scoring) adds the teams to the "
                      "round.")
    assert says(page, "Every team of the published matching takes part (%(num)d team in the "
                      "edition).",
                "Every team of the published matching takes part (%(num)d teams in the "
                "edition).", num=4)


def test_every_table_header_of_a_round_page_has_text(app, db, world, organizer, login):
    page = text(login(organizer).get(f"/organizer/judging/rounds/{world.round.id}"))
    assert '<th scope="col"></th>' not in page


def test_the_rankings_tables_scroll_in_named_focusable_regions(app, db, partly_scored,
                                                              organizer, login):
    page = text(login(organizer).get(f"/organizer/judging/rounds/{partly_scored.round.id}"
                                     "/rankings"))
    assert page.count('class="table-scroll" tabindex="0" role="region" aria-label=') == 3
    assert page.count('<div class="table-scroll">') == 0
