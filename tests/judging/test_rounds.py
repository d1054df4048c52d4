"""Organisers configure the rounds and their rubric (criteria, weights, scales, levels)."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, Criterion, Edition, JudgingRound, RoundEntry, ScoreEvent
from tests import factories
from tests.helpers import csrf_token, says, text
from tests.judging.conftest import profile_of


def post_on(client, page: str, action: str, data: dict):
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)})


def test_organiser_creates_round_1_with_the_default_rubric(app, db, organizer, login):
    factories.edition(phase="building")
    client = login(organizer)
    assert says(client.get("/organizer/judging/"), "Create round 1")
    response = post_on(client, "/organizer/judging/", "/organizer/judging/default-round", {})
    judging_round = db.session.scalar(sa.select(JudgingRound))
    assert response.headers["Location"] == f"/organizer/judging/rounds/{judging_round.id}"
    assert judging_round.kind == "per_challenge" and judging_round.status == "draft"
    keys = [c.key for c in judging_round.criteria]
    assert keys == ["innovation", "faisabilite", "impact-pour-le-territoire",
                    "qualite-du-prototype", "pitch"]
    page = client.get(f"/organizer/judging/rounds/{judging_round.id}")
    assert "Impact pour le territoire" in text(page)


def test_organiser_adds_edits_and_removes_a_criterion_with_level_descriptions(app, db, world,
                                                                             organizer, login):
    client = login(organizer)
    page = f"/organizer/judging/rounds/{world.round.id}"
    response = post_on(client, page, f"{page}/criteria", {
        "label_fr": "Impact social", "label_en": "Social impact", "weight": "1.5",
        "scale_min": "1", "scale_max": "5", "levels": "1: aucun\n5 : mesuré sur le terrain"})
    assert response.status_code == 302
    criterion = db.session.scalar(sa.select(Criterion).where(Criterion.key == "impact-social"))
    assert criterion.levels == {"1": "aucun", "5": "mesuré sur le terrain"}
    assert (criterion.weight, criterion.scale_min, criterion.scale_max) == (1.5, 1, 5)
    criterion_id = criterion.id
    edit = f"{page}/criteria/{criterion_id}"
    assert "5: mesuré sur le terrain" in text(client.get(edit))
    bad = post_on(client, edit, edit, {"label_fr": "Impact social", "weight": "1",
                                       "scale_min": "1", "scale_max": "5", "levels": "9: trop"})
    assert bad.status_code == 200
    assert says(bad, "Level %(value)d is outside the scale %(low)d–%(high)d.",
                value=9, low=1, high=5)
    post_on(client, edit, f"{edit}/delete", {})
    db.session.expire_all()
    assert db.session.get(Criterion, criterion_id) is None
    actions = {a.action for a in db.session.scalars(sa.select(AuditEvent))}
    assert {"judging.criterion_add", "judging.criterion_delete"} <= actions


def test_a_scored_criterion_keeps_its_scale_and_cannot_be_removed(app, db, world, organizer,
                                                                  login):
    criterion = world.criteria[0]
    db.session.add(ScoreEvent(client_event_id="seed-scale-1", round_id=world.round.id,
                              jury_id=profile_of(world.juries[0]).id, team_id=world.teams[0].id,
                              criterion_id=criterion.id, kind="score", value=5))
    db.session.commit()
    client = login(organizer)
    edit = f"/organizer/judging/rounds/{world.round.id}/criteria/{criterion.id}"
    refused = post_on(client, edit, edit, {"label_fr": "Innovation", "weight": "3",
                                           "scale_min": "0", "scale_max": "20"})
    assert says(refused, "Juries have already scored this criterion: its scale can no longer "
                         "change.")
    renamed = post_on(client, edit, edit, {"label_fr": "Innovation et audace", "weight": "3",
                                           "scale_min": "0", "scale_max": "10"})
    assert renamed.status_code == 302
    post_on(client, edit, f"{edit}/delete", {})
    db.session.expire_all()
    assert db.session.get(Criterion, criterion.id).label_fr == "Innovation et audace"


def test_opening_a_round_enters_every_team_and_needs_a_rubric(app, db, world, organizer,
                                                              login):
    empty = JudgingRound(edition_id=world.edition.id, number=5, name="Vide", kind="final")
    db.session.add(empty)
    db.session.commit()
    client = login(organizer)
    page = f"/organizer/judging/rounds/{empty.id}"
    post_on(client, page, f"{page}/status", {"status": "open"})
    assert says(client.get(page), "Add at least one criterion before opening the round.")
    db.session.execute(sa.delete(RoundEntry))
    world.round.status = "draft"
    db.session.commit()
    page = f"/organizer/judging/rounds/{world.round.id}"
    post_on(client, page, f"{page}/status", {"status": "open"})
    db.session.expire_all()
    assert db.session.get(JudgingRound, world.round.id).status == "open"
    entered = set(db.session.scalars(sa.select(RoundEntry.team_id)
                                     .where(RoundEntry.round_id == world.round.id)))
    assert entered == {team.id for team in world.teams}


def test_organiser_adds_a_round_and_changes_its_settings(app, db, world, organizer, login):
    client = login(organizer)
    response = post_on(client, "/organizer/judging/", "/organizer/judging/", {
        "name": "Finale", "kind": "final", "juries_per_team": "4",
        "exclude_own_organisation": "y"})
    final = db.session.scalar(sa.select(JudgingRound).where(JudgingRound.kind == "final"))
    assert response.status_code == 302 and final.number == 2
    assert [c.key for c in final.criteria] == ["innovation", "pitch"]  # round 1's rubric
    again = post_on(client, "/organizer/judging/", "/organizer/judging/", {
        "name": "Autre finale", "kind": "final", "juries_per_team": "3"})
    assert says(again, "This edition already has a final round.")
    page = f"/organizer/judging/rounds/{final.id}"
    post_on(client, page, page, {"name": "Grande finale", "juries_per_team": "5"})
    db.session.expire_all()
    final = db.session.get(JudgingRound, final.id)
    assert (final.name, final.juries_per_team, final.exclude_own_organisation) == (
        "Grande finale", 5, False)


def test_organiser_chooses_the_public_ranking_method(app, db, world, organizer, login):
    client = login(organizer)
    post_on(client, "/organizer/judging/", "/organizer/judging/estimator",
            {"estimator": "zscore"})
    db.session.expire_all()
    assert db.session.get(Edition, world.edition.id).leaderboard_estimator == "zscore"
