"""Flags of the current edition: computed in the results phase with their reasons in words,
the organisers' weights (refused when they make no usable score), the model's figures."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from crunchtime.errors import Conflict, InvalidInput, PhaseClosed
from crunchtime.incubation import DEFAULT_WEIGHTS, SIGNALS
from crunchtime.models import AuditEvent, IncubationFlag
from crunchtime.services.incubation.flags import compute_flags, model_report, save_settings
from crunchtime.services.incubation.words import SIGNAL_LABELS
from tests.helpers import fr, says, text
from tests.worlds import build_world, decide_past, post

QUEUE = "/organizer/incubation/"


def flag_of(db, team) -> IncubationFlag | None:
    return db.session.scalar(sa.select(IncubationFlag).where(IncubationFlag.team_id == team.id))


def test_the_queue_ranks_flagged_teams_and_says_why_in_words(db, world, as_user):
    summary = compute_flags(world.organizer, world.edition)
    assert summary.flagged >= 10 and not summary.model
    best = flag_of(db, world.teams[0])
    assert [r["code"] for r in best.reasons][:3] == ["top_score", "nominated", "continues"]
    response = as_user(world.organizer).get(QUEUE)
    assert response.status_code == 200
    assert says(response, "%(num)d jury of %(juries)d nominated it for incubation",
                "%(num)d juries of %(juries)d nominated it for incubation", num=3, juries=3)
    assert says(response, "the team wants to continue: %(who)s", who="Léa, Hugo")
    page = response.get_data(as_text=True)
    assert page.index(world.teams[0].code) < page.index(world.teams[1].code)
    assert says(response, "No past edition with incubation decisions yet: import a past "
                          "edition's outcomes to train the model.")


def test_flags_are_computed_only_once_results_are_in(db):
    world = build_world(phase="judging")
    with pytest.raises(PhaseClosed):
        compute_flags(world.organizer, world.edition)
    assert db.session.scalar(sa.select(sa.func.count(IncubationFlag.id))) == 0


def test_recomputing_keeps_the_decisions_taken(db, world):
    compute_flags(world.organizer, world.edition)
    flag = flag_of(db, world.teams[0])
    flag.status, flag.note = "declined", "Trop tôt"
    db.session.commit()
    save_settings(world.organizer, world.edition, {"jury_score": 100}, 10)
    flag = flag_of(db, world.teams[0])
    assert flag.status == "declined" and flag.note == "Trop tôt"
    assert [r["code"] for r in flag.reasons if r["kind"] == "reason"] == ["top_score"]


def test_the_model_learns_from_a_decided_past_edition_and_shows_its_held_out_figures(
        db, as_user):
    past = build_world(past=True, teams=14)
    decide_past(past, incubated=7)
    world = build_world()
    summary = compute_flags(world.organizer, world.edition)
    assert summary.model
    report = model_report(world.edition)
    assert report["status"] == "trained" and report["editions"] == [past.edition.name]
    evaluation = report["evaluation"]
    assert evaluation["teams"] == 14 and evaluation["positives"] == 7
    assert {"precision_at_k", "roc_auc", "baseline_precision_at_k"} <= set(evaluation)
    assert all(0 <= flag.model_probability <= 1
               for flag in db.session.scalars(sa.select(IncubationFlag).where(
                   IncubationFlag.team_id.in_([t.id for t in world.teams]))))
    response = as_user(world.organizer).get(QUEUE + "?order=model")
    assert says(response, "Raw jury score alone") and says(response, "Precision@%(k)d", k=10)


def test_too_few_past_decisions_are_explained(db, world):
    past = build_world(past=True, teams=6)
    decide_past(past, incubated=2)
    compute_flags(world.organizer, world.edition)
    report = model_report(world.edition)
    assert report["code"] == "too_few_decisions"
    assert report["params"] == {"positives": 2, "negatives": 4, "needed": 6}


def test_weights_that_do_not_add_up_are_refused_on_the_page_with_the_reason(db, world,
                                                                          as_user):
    client = as_user(world.organizer)
    data = {**{name: str(value) for name, value in DEFAULT_WEIGHTS.items()}, "flag_share": "10"}
    data["jury_score"] = "20"
    response = post(client, "/organizer/incubation/settings", data)
    assert response.status_code == 200
    assert says(response, "The weights add up to %(total)s, not %(expected)d: for a score out "
                          "of 100 they must add up to exactly 100.", total="90", expected=100)
    assert 'value="20"' in response.get_data(as_text=True)
    data["jury_score"] = "30"
    assert post(client, "/organizer/incubation/settings", data).status_code == 302
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "incubation.settings")) is not None


def test_a_negative_weight_is_refused_on_its_field(db, world):
    with pytest.raises(InvalidInput) as refused:
        save_settings(world.organizer, world.edition, {**DEFAULT_WEIGHTS, "originality": -5,
                                                       "completeness": 15}, 10)
    assert refused.value.details["field"] == "originality"
    assert refused.value.message == fr("The weight of “%(label)s” cannot be negative.",
                                       label=fr("Originality"))


def test_an_archived_edition_is_read_only(db, world):
    world.edition.phase, world.edition.archived = "closed", True
    db.session.commit()
    with pytest.raises(Conflict):
        compute_flags(world.organizer, world.edition)
    with pytest.raises(Conflict):
        save_settings(world.organizer, world.edition, DEFAULT_WEIGHTS, 10)


def test_the_settings_page_states_the_defaults_from_the_code(db, world, as_user,
                                                              monkeypatch):
    """The defaults shown are DEFAULT_WEIGHTS itself: change it, and the page follows."""
    monkeypatch.setitem(DEFAULT_WEIGHTS, "jury_score", 27.5)
    monkeypatch.setitem(DEFAULT_WEIGHTS, "continuation", 17.5)
    page = text(as_user(world.organizer).get("/organizer/incubation/settings"))
    defaults = page[page.index("data-default-weights"):]
    defaults = html.unescape(defaults[:defaults.index("</p>")])
    with force_locale("fr"):
        labels = {name: str(SIGNAL_LABELS[name]) for name in SIGNALS}
    for name in SIGNALS:
        assert f"{labels[name]} {DEFAULT_WEIGHTS[name]:g}" in defaults
    assert "27.5" in defaults and "17.5" in defaults
