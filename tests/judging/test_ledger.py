"""The append-only ledger seen by organisers: retraction with a reason, replay at a past
seq, the event in force per cell, and broken chains reported, never guessed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime.errors import Conflict, InvalidInput
from crunchtime.models import AuditEvent, ScoreEvent, StudentProfile
from crunchtime.scoring import LedgerError, LedgerEvent, RankingError, current_scores
from crunchtime.services.judging.ledger.queries import in_force, round_scores
from crunchtime.services.judging.words import translated_scoring_errors
from tests.helpers import csrf_token, fr, says, text
from tests.judging.conftest import api_client, post_event, profile_of
from tests.judging.scoring.test_ledger_properties import OPERATIONS, build_ledger


@settings(max_examples=150, deadline=None)
@given(st.lists(OPERATIONS, max_size=25))
def test_the_event_in_force_gives_each_cell_the_replayed_value(operations):
    events = build_ledger(operations)
    assert {cell: event.value for cell, event in in_force(events).items()} == \
        current_scores(events)


def scored(app, world, values=(6, 8)):
    client = api_client(app, world.juries[0])
    for number, value in enumerate(values):
        post_event(client, world.score_body(f"ledger-{number:04d}", value=value))
    return client


def test_organiser_retracts_a_score_with_a_reason_audited(app, db, world, organizer, login):
    scored(app, world)
    client = login(organizer)
    page = f"/organizer/judging/rounds/{world.round.id}/scores"
    shown = client.get(page)
    assert shown.status_code == 200 and 'id="current-scores"' in text(shown)
    in_force_seq = db.session.scalar(sa.select(sa.func.max(ScoreEvent.seq)))
    token = csrf_token(client, page)
    refused = client.post(f"{page}/{in_force_seq}/retract", data={"csrf_token": token,
                                                                  "reason": ""})
    assert refused.status_code == 302 and round_scores(world.round.id)
    client.post(f"{page}/{in_force_seq}/retract",
                data={"csrf_token": token, "reason": "Conflit d'intérêts découvert"})
    assert round_scores(world.round.id) == {}
    retraction = db.session.scalar(sa.select(ScoreEvent).where(ScoreEvent.kind == "retraction"))
    assert retraction.reason == "Conflit d'intérêts découvert"
    assert retraction.actor_id == organizer.id and retraction.reverts_seq == in_force_seq
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "judging.retract"))
    assert audit.details["reason"] == "Conflit d'intérêts découvert"
    again = client.post(f"{page}/{in_force_seq}/retract", data={"csrf_token": token,
                                                                "reason": "Encore"})
    assert again.status_code == 302
    assert says(client.get(page), "This score is no longer in force: there is nothing to "
                                  "retract.")


def test_a_score_that_is_no_longer_in_force_cannot_be_retracted(app, db, world, organizer,
                                                                login):
    scored(app, world)
    first = db.session.scalar(sa.select(sa.func.min(ScoreEvent.seq)))
    client = login(organizer)
    page = f"/organizer/judging/rounds/{world.round.id}/scores"
    client.post(f"{page}/{first}/retract", data={"csrf_token": csrf_token(client, page),
                                                 "reason": "Erreur"})
    assert len(round_scores(world.round.id)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreEvent)) == 2


def test_replay_at_a_past_seq_shows_the_scores_as_they_stood(app, db, world, organizer,
                                                            login):
    scored(app, world, values=(3, 9))
    first, _second = db.session.scalars(sa.select(ScoreEvent.seq).order_by(ScoreEvent.seq))
    cell = (profile_of(world.juries[0]).id, world.teams[0].id, world.criteria[0].id)
    assert round_scores(world.round.id, upto_seq=first) == {cell: 3.0}
    assert round_scores(world.round.id) == {cell: 9.0}
    client = login(organizer)
    page = client.get(f"/organizer/judging/rounds/{world.round.id}/scores?seq={first}")
    table = text(page).split('id="current-scores"')[1].split("</table>")[0]
    assert says(page, "Scores as of event no. %(seq)d", seq=first)
    assert '<td class="num">3</td>' in table and '<td class="num">9</td>' not in table
    rankings = client.get(f"/organizer/judging/rounds/{world.round.id}/rankings?seq={first}")
    assert says(rankings, "As of event no. %(seq)d of the ledger.", seq=first)


def test_a_broken_ledger_is_reported_with_the_event_at_fault(app, db):
    broken = [LedgerEvent(1, "undo", 1, 1, 1, reverts_seq=5)]
    with pytest.raises(Conflict) as caught, translated_scoring_errors():
        current_scores(broken)
    assert caught.value.message == fr(
        "The score ledger cannot be replayed: event no. %(seq)s breaks its rules. Nothing "
        "was changed; tell the technical team.", seq="1")
    with pytest.raises(Conflict), translated_scoring_errors():
        raise RankingError("value 12 off the scale of criterion 4")
    with pytest.raises(InvalidInput), translated_scoring_errors():
        raise RankingError("top_k must be at least 1")
    with pytest.raises(Conflict), translated_scoring_errors():
        raise LedgerError("two different events share seq 3")


def test_score_events_cannot_be_updated_or_deleted_through_the_orm(app, db, world):
    from crunchtime.models.ledger import LedgerRewriteError

    scored(app, world, values=(6,))
    row = db.session.scalar(sa.select(ScoreEvent))
    attempts = [
        lambda: setattr(row, "value", 10.0) or db.session.flush(),
        lambda: db.session.delete(row) or db.session.flush(),
        lambda: db.session.execute(sa.update(ScoreEvent).values(value=1.0)),
        lambda: db.session.execute(sa.delete(ScoreEvent).where(ScoreEvent.seq == row.seq)),
        lambda: db.session.execute(sa.delete(ScoreEvent.__table__)),
    ]
    for attempt in attempts:
        with pytest.raises(LedgerRewriteError, match="append-only"):
            attempt()
        db.session.rollback()
    db.session.expire_all()
    assert [(e.kind, e.value) for e in db.session.scalars(sa.select(ScoreEvent))] == [
        ("score", 6.0)]
    row.comment = row.comment  # no net change: nothing to refuse
    db.session.commit()


def test_republishing_the_matching_is_refused_once_a_team_is_scored(app, db, world,
                                                                   organizer):
    from crunchtime.models import Edition, MatchingRun, Placement, Team
    from crunchtime.services.matching.publication import publish_run

    edition = db.session.get(Edition, world.edition.id)
    published, preview = (MatchingRun(edition_id=edition.id, status=status)
                          for status in ("published", "preview"))
    db.session.add_all([published, preview])
    db.session.flush()
    for number, (team, student) in enumerate(zip(world.teams, world.students, strict=True)):
        team.matching_run_id = published.id
        profile = db.session.scalar(sa.select(StudentProfile).where(
            StudentProfile.user_id == student.id))
        db.session.add(Placement(run_id=preview.id, student_id=profile.id,
                                 challenge_id=world.challenges[number % 2].id,
                                 team_index=number // 2))
    edition.phase = "matching"
    db.session.commit()
    db.session.add(ScoreEvent(client_event_id="scored-before-republish", round_id=world.round.id,
                              jury_id=profile_of(world.juries[0]).id, team_id=world.teams[0].id,
                              criterion_id=world.criteria[0].id, kind="score", value=7))
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        publish_run(organizer, db.session.get(MatchingRun, preview.id), replace=True)
    db.session.rollback()
    assert refused.value.message == fr("Juries have already scored these teams: the published "
                                       "teams can no longer be replaced.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreEvent)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Team.id))) == len(world.teams)
    assert db.session.get(MatchingRun, published.id).status == "published"
