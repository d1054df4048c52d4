"""Phases and rounds stay coherent: moving the edition past judging with a round still open
needs the organiser's confirmation and closes the round in the same commit (audited, the
board told); archiving needs its own confirmation; incubation flags are offered only in the
phases that allow them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict
from crunchtime.models import AuditEvent, Edition, JudgingRound
from crunchtime.services.editions import phases as phases_service
from crunchtime.services.editions.archive import archive_edition
from crunchtime.services.editions.phases import change_phase
from crunchtime.services.judging import rounds as rounds_service
from crunchtime.services.live.board import live_round
from tests import factories
from tests.helpers import fr, post_form, says, text
from tests.judging.conftest import assign, enter, make_round

REFUSAL = ("Judging round “%(names)s” is still open. Moving the edition to “%(phase)s” closes "
           "it: tick the box to confirm, or close the round on its page first.",
           "Judging rounds “%(names)s” are still open. Moving the edition to “%(phase)s” "
           "closes them: tick the box to confirm, or close the rounds on their page first.")


@pytest.fixture
def judging(db):
    """An edition in judging whose round 1 is open: two teams, one assigned, nothing scored."""
    edition = factories.edition(phase="judging")
    teams = [factories.team(edition) for _ in range(2)]
    judging_round = make_round(edition)
    enter(judging_round, *teams)
    assign(judging_round, factories.jury(edition), teams[0])
    return edition, judging_round


@pytest.fixture
def published(monkeypatch):
    events = []
    for module in (phases_service, rounds_service):
        monkeypatch.setattr(module, "publish",
                            lambda kind, data, room=None: events.append((kind, data)))
    return events


def test_moving_to_results_with_an_open_round_is_refused_without_the_box(
        client, db, judging, organizer, login, published):
    edition, judging_round = judging
    login(organizer)
    refused = post_form(client, "/organizer/phase", {"phase": "results", "confirm": "y"})
    assert refused.status_code == 200
    assert says(refused, *REFUSAL, num=1, names="Tour 1", phase=fr("Results"))
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).phase == "judging"
    assert db.session.get(JudgingRound, judging_round.id).status == "open"
    assert published == []


def test_confirmed_move_to_results_closes_the_open_round_in_the_same_step(
        client, db, judging, organizer, login, published):
    edition, judging_round = judging
    login(organizer)
    response = post_form(client, "/organizer/phase",
                         {"phase": "results", "confirm": "y", "close_rounds": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    edition = db.session.get(Edition, edition.id)
    assert edition.phase == "results"
    assert db.session.get(JudgingRound, judging_round.id).status == "closed"
    assert live_round(edition).status == "closed"  # what the big screen reads
    audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "judging.round_status"))
    assert audit.details["reason"] == "edition.phase" and audit.details["new"] == "closed"
    assert audit.details["scores"] == [0, 2]
    phase_audit = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "edition.phase"))
    assert phase_audit.details["closed_rounds"] == [judging_round.id]
    assert ("round", {"round": judging_round.id, "status": "closed"}) in published
    assert published[0][0] == "phase"  # the phase first, then the rounds it closed


def test_going_back_to_building_leaves_the_round_open(db, judging, organizer):
    edition, judging_round = judging
    change_phase(edition, "building", organizer)
    assert db.session.get(JudgingRound, judging_round.id).status == "open"


def test_the_service_refuses_a_move_past_judging_unless_told_to_close(db, judging, organizer):
    edition, judging_round = judging
    with pytest.raises(Conflict) as refused:
        change_phase(edition, "closed", organizer)
    assert refused.value.details["field"] == "close_rounds"
    assert "Tour 1" in refused.value.message
    change_phase(edition, "closed", organizer, close_open_rounds=True)
    assert db.session.get(JudgingRound, judging_round.id).status == "closed"


def test_the_phase_page_states_the_open_rounds_figures(client, db, judging, organizer, login):
    login(organizer)
    page = client.get("/organizer/phase")
    assert says(page, "%(num)d judging round is still open",
                "%(num)d judging rounds are still open", num=1)
    assert says(page, "%(recorded)s of %(expected)s", recorded="0", expected="2")
    assert says(page, "I understand that the open rounds close now, with %(num)d team not "
                      "fully judged.",
                "I understand that the open rounds close now, with %(num)d teams not fully "
                "judged.", num=2)


def test_without_an_open_round_the_phase_page_asks_nothing_more(client, db, organizer, login):
    edition = factories.edition(phase="judging")
    make_round(edition, status="closed")
    login(organizer)
    page = client.get("/organizer/phase")
    assert 'name="close_rounds"' not in text(page)
    response = post_form(client, "/organizer/phase", {"phase": "results", "confirm": "y"})
    assert response.status_code == 302
    db.session.refresh(edition)
    assert edition.phase == "results"


def test_archiving_needs_its_confirmation(db, organizer):
    edition = factories.edition(phase="closed")
    with pytest.raises(Conflict) as refused:
        archive_edition(organizer, edition.id)
    assert refused.value.details["field"] == "confirm"
    assert not db.session.get(Edition, edition.id).archived
    archive_edition(organizer, edition.id, confirmed=True)
    assert db.session.get(Edition, edition.id).archived


def test_flags_are_not_offered_during_judging_and_the_page_says_when(client, db, organizer,
                                                                   login):
    edition = factories.edition(phase="judging")
    login(organizer)
    page = client.get("/organizer/incubation/")
    assert "/organizer/incubation/compute" not in text(page)
    assert says(page, "The flags can be computed once the judging is over, during: "
                      "%(phases)s (the edition is now in the “%(current)s” phase).",
                phases=f"{fr('Results')}, {fr('Closed')}", current=fr("Judging"))
    edition.phase = "results"
    db.session.commit()
    assert "/organizer/incubation/compute" in text(client.get("/organizer/incubation/"))


def test_no_round_reopens_once_the_edition_is_past_judging(client, db, organizer, login):
    edition = factories.edition(phase="results")
    judging_round = make_round(edition, status="closed")
    with pytest.raises(Conflict):
        rounds_service.set_round_status(organizer, judging_round, "open")
    assert db.session.get(JudgingRound, judging_round.id).status == "closed"
    login(organizer)
    page = client.get(f"/organizer/judging/rounds/{judging_round.id}")
    assert says(page, "The edition is past the judging phase: move it back to judging before "
                      "opening a round.")
    assert 'name="status" value="open"' not in text(page)
