"""`crunchtime phase PHASE`: the current edition moved from the command line with the checks of
the organisers' Phases page — an explicit confirmation, and past judging the rounds still open
named with their figures and closed only when asked — audited like the page."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, JudgingRound
from crunchtime.phases import PHASES
from tests import factories
from tests.judging.conftest import world  # noqa: F401 -- the judging world fixture


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def phase_audits(db) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent)
                                   .where(AuditEvent.action == "edition.phase")))


def test_an_unknown_phase_is_refused_with_the_list_of_phases(app, db, edition):
    result = run(app, "phase", "voting", "--confirm")
    assert result.exit_code == 1
    assert "Unknown phase “voting”" in result.output
    assert f"The phases are: {', '.join(PHASES)}." in result.output
    db.session.refresh(edition)
    assert edition.phase == "registration" and phase_audits(db) == []


def test_a_script_must_confirm_the_change(app, db, edition):
    result = run(app, "phase", "challenges")
    assert result.exit_code == 1 and "Add --confirm" in result.output
    db.session.refresh(edition)
    assert edition.phase == "registration" and phase_audits(db) == []


def test_the_phase_moves_and_is_audited_without_an_actor(app, db, edition):
    result = run(app, "phase", "challenges", "--confirm")
    assert result.exit_code == 0, result.output
    assert "moved from registration to challenges" in result.output
    db.session.refresh(edition)
    assert edition.phase == "challenges"
    [audit] = phase_audits(db)
    assert audit.actor_id is None
    assert (audit.details["old"], audit.details["new"]) == ("registration", "challenges")


def test_the_audit_names_the_organiser_given_with_as(app, db, edition):
    organiser = factories.organizer(email="direction@utbm.fr")
    stranger = run(app, "phase", "challenges", "--confirm", "--as", "nobody@utbm.fr")
    assert stranger.exit_code == 1 and "no active organiser account" in stranger.output
    student = factories.student(edition)
    not_organiser = run(app, "phase", "challenges", "--confirm", "--as", student.email)
    assert not_organiser.exit_code == 1
    assert phase_audits(db) == []
    result = run(app, "phase", "challenges", "--confirm", "--as", "Direction@UTBM.fr")
    assert result.exit_code == 0, result.output
    [audit] = phase_audits(db)
    assert audit.actor_id == organiser.id


def test_the_same_phase_is_refused(app, db, edition):
    result = run(app, "phase", "registration", "--confirm")
    assert result.exit_code == 1
    assert "already in this phase" in result.output
    assert phase_audits(db) == []


def test_moving_past_judging_with_an_open_round_needs_close_open_rounds(
        app, db, world):  # noqa: F811
    refused = run(app, "phase", "results", "--confirm")
    assert refused.exit_code == 1
    # The Phases page's figures: 3 assignments x 2 criteria expected, none recorded.
    assert ("Round 1 “Tour 1” is still open: scores recorded 0 of 6; teams fully judged 0 of "
            "4; teams ranked on a single jury's score 0; jury members who have not finished "
            "2 of 2.") in refused.output
    assert "The results are not published yet" in refused.output
    assert "1 judging round still open (4 teams not fully judged)" in refused.output
    assert "--close-open-rounds" in refused.output
    db.session.refresh(world.edition)
    db.session.refresh(world.round)
    assert world.edition.phase == "judging" and world.round.status == "open"

    result = run(app, "phase", "results", "--confirm", "--close-open-rounds")
    assert result.exit_code == 0, result.output
    assert "moved from judging to results; 1 open round closed" in result.output
    db.session.refresh(world.edition)
    assert world.edition.phase == "results"
    assert db.session.get(JudgingRound, world.round.id).status == "closed"
    [audit] = phase_audits(db)
    assert audit.actor_id is None and audit.details["closed_rounds"]


def test_a_terminal_asks_for_the_confirmation(app, db, edition, monkeypatch):
    monkeypatch.setattr("crunchtime.cli.editions.interactive", lambda: True)
    declined = run(app, "phase", "challenges", input="n\n")
    assert declined.exit_code == 1
    db.session.refresh(edition)
    assert edition.phase == "registration"
    accepted = run(app, "phase", "challenges", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    db.session.refresh(edition)
    assert edition.phase == "challenges"
