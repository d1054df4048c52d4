"""Feedback to the teams: marks per criterion against the round's distribution, the juries'
comments named or anonymised, opened by organisers only after the results."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, NotFound, PhaseClosed
from crunchtime.extensions import db as _db
from crunchtime.models import AuditEvent, ScoreEvent
from crunchtime.models.base import utcnow
from crunchtime.services.judging import feedback as service
from tests import factories
from tests.helpers import fr, post_form, says, text
from tests.judging.conftest import assign, profile_of

SETTINGS = "/organizer/judging/feedback/"


def score(world, jury, team, criterion, value, comment="", kind="score", reverts=None):
    event = ScoreEvent(client_event_id=uuid.uuid4().hex, round_id=world.round.id,
                       jury_id=profile_of(jury).id, team_id=team.id,
                       criterion_id=criterion.id, kind=kind, value=value, comment=comment,
                       reverts_seq=reverts)
    _db.session.add(event)
    _db.session.commit()
    return event


@pytest.fixture
def scored(world):
    """Round 1 with teams 0–2 scored (team 3 not), results published, feedback closed."""
    innovation, pitch = world.criteria
    assign(world.round, world.juries[2], world.teams[2])
    assign(world.round, world.juries[1], world.teams[1])
    marks = {0: [(0, 8, 6, "Très bon prototype."), (1, 6, 4, "Le pitch manquait de clarté.")],
             1: [(0, 4, 5, ""), (1, 2, 7, "")],
             2: [(2, 10, 9, "Excellent.")]}
    for team_index, lines in marks.items():
        for jury_index, value_innovation, value_pitch, comment in lines:
            for criterion, value in ((innovation, value_innovation), (pitch, value_pitch)):
                score(world, world.juries[jury_index], world.teams[team_index], criterion,
                      value, comment)
    world.round.status = "closed"
    world.round.results_published_at = utcnow()
    world.edition.phase = "results"
    _db.session.commit()
    return world


def open_feedback(world, comments="anonymous", companies=True):
    organizer = factories.organizer()
    service.set_feedback_settings(organizer, world.edition, open=True, comments=comments,
                                  companies=companies)
    return organizer


def test_a_team_reads_its_mean_marks_against_the_rounds_distribution(scored):
    open_feedback(scored)
    feedback = service.team_feedback(scored.teams[0], service.feedback_settings(scored.edition))
    (judging_round,) = feedback.rounds
    innovation, pitch = judging_round.criteria
    assert (innovation.value, innovation.juries) == (7, 2)  # (8 + 6) / 2
    # The teams' means on innovation: 7, 3, 10 (team 3 has no mark and is left out).
    assert judging_round.teams == 3
    assert (innovation.spread.low, innovation.spread.median, innovation.spread.high) == (3, 7, 10)
    assert (innovation.spread.q1, innovation.spread.q3) == (5, 8.5)
    assert pitch.value == 5 and pitch.spread.median == 6
    # Weighted overall in % of the scale: (2 × 70 + 1 × 50) / 3.
    assert judging_round.overall.value == pytest.approx(190 / 3)


def test_comments_are_anonymised_in_the_order_the_juries_scored(scored):
    open_feedback(scored)
    feedback = service.team_feedback(scored.teams[0], service.feedback_settings(scored.edition))
    comments = feedback.rounds[0].comments
    assert [(c.author, c.text) for c in comments] == [
        (fr("Jury %(number)d", number=1), "Très bon prototype."),
        (fr("Jury %(number)d", number=2), "Le pitch manquait de clarté.")]


def test_comments_carry_the_juries_names_or_are_hidden_as_organisers_chose(scored):
    open_feedback(scored, comments="named")
    named = service.team_feedback(scored.teams[0], service.feedback_settings(scored.edition))
    assert named.rounds[0].comments[0].author == scored.juries[0].full_name
    open_feedback(scored, comments="hidden")
    hidden = service.team_feedback(scored.teams[0], service.feedback_settings(scored.edition))
    assert hidden.rounds[0].comments == []


def test_a_correction_and_a_retraction_count_as_the_ledger_says(scored):
    innovation = scored.criteria[0]
    second_jury = _db.session.scalar(sa.select(ScoreEvent.seq).where(
        ScoreEvent.team_id == scored.teams[0].id, ScoreEvent.criterion_id == innovation.id,
        ScoreEvent.jury_id == profile_of(scored.juries[1]).id))
    score(scored, scored.juries[0], scored.teams[0], innovation, 2, "Revu à la baisse.",
          kind="correction")
    feedback = service.team_feedback(scored.teams[0], service.feedback_settings(scored.edition))
    assert feedback.rounds[0].criteria[0].value == 4  # (2 + 6) / 2
    assert feedback.rounds[0].comments[0].text == "Revu à la baisse."
    score(scored, scored.juries[1], scored.teams[0], innovation, None, kind="retraction",
          reverts=second_jury)
    feedback = service.team_feedback(scored.teams[0], service.feedback_settings(scored.edition))
    assert feedback.rounds[0].criteria[0].juries == 1


def test_feedback_cannot_open_before_the_results_are_published(world):
    with pytest.raises(Conflict):
        service.set_feedback_settings(factories.organizer(), world.edition, open=True,
                                      comments="anonymous", companies=True)
    assert service.feedback_settings(world.edition).open is False


def test_the_organisers_choice_is_audited(scored):
    organizer = open_feedback(scored, comments="named", companies=False)
    event = _db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "judging.feedback_settings"))
    assert event.actor_id == organizer.id
    assert service.feedback_settings(scored.edition) == service.FeedbackSettings(
        open=True, comments="named", companies=False)


def test_a_student_reads_the_feedback_of_their_team_once_open(scored, as_user):
    student = scored.students[0]
    client = as_user(student)
    closed = client.get(f"/feedback/teams/{scored.teams[0].id}")
    assert closed.status_code == 409
    assert says(closed, "The organisers have not opened the juries' feedback yet.")
    open_feedback(scored)
    index = client.get("/feedback/")
    assert index.status_code == 302 and index.headers["Location"].endswith(
        f"/feedback/teams/{scored.teams[0].id}")
    page = client.get(f"/feedback/teams/{scored.teams[0].id}")
    assert page.status_code == 200
    assert "Très bon prototype." in text(page) and "Excellent." not in text(page)
    assert says(page, "Median")


def test_feedback_is_refused_before_the_results_are_published(world, as_user):
    world.edition.settings = {service.SETTINGS_KEY: {"open": True}}
    _db.session.commit()
    client = as_user(world.students[0])
    response = client.get(f"/feedback/teams/{world.teams[0].id}")
    assert response.status_code == 409
    assert says(response, "The juries' feedback is available once the results are published.")
    assert says(client.get("/feedback/"),
                "The juries' feedback is available once the results are published.")


def test_a_student_cannot_read_another_teams_feedback(scored, as_user):
    open_feedback(scored)
    response = as_user(scored.students[0]).get(f"/feedback/teams/{scored.teams[1].id}")
    assert response.status_code == 404
    assert "Le pitch" not in text(response)
    with pytest.raises(NotFound):
        service.readable_feedback(scored.students[0], 10**6)


def test_the_challenges_organisation_reads_its_teams_feedback_unless_turned_off(scored, as_user):
    company = factories.company_user(scored.organisations[0])
    open_feedback(scored)
    client = as_user(company)
    assert client.get(f"/feedback/teams/{scored.teams[0].id}").status_code == 200
    assert client.get(f"/feedback/teams/{scored.teams[1].id}").status_code == 404  # Optymo's
    listing = text(client.get("/feedback/"))
    assert scored.teams[0].code in listing and scored.teams[1].code not in listing
    open_feedback(scored, companies=False)
    assert client.get(f"/feedback/teams/{scored.teams[0].id}").status_code == 403


def test_the_organisers_preview_shows_unpublished_rounds_with_a_warning(world, as_user):
    innovation = world.criteria[0]
    score(world, world.juries[0], world.teams[0], innovation, 9, "À creuser.")
    with pytest.raises(PhaseClosed):
        service.readable_feedback(world.students[0], world.teams[0].id)
    page = as_user(factories.organizer()).get(f"{SETTINGS}?team={world.teams[0].id}")
    assert page.status_code == 200
    assert "À creuser." in text(page)
    assert says(page, "The results of this round are not published: teams do not see it yet.")


def test_opening_before_the_results_shows_the_refusal_on_the_form(world, as_user):
    client = as_user(factories.organizer())
    response = post_form(client, SETTINGS, {"open": "y", "comments": "named",
                                            "companies": "y"})
    assert response.status_code == 200
    assert says(response, "Publish the results before opening the feedback to the teams.")
    assert 'value="named" selected' in text(response) or 'selected value="named"' in text(
        response)


def test_organisers_open_the_feedback_from_the_settings_page(scored, as_user):
    client = as_user(factories.organizer())
    response = post_form(client, SETTINGS, {"open": "y", "comments": "named"})
    assert response.status_code == 302
    assert service.feedback_settings(scored.edition) == service.FeedbackSettings(
        open=True, comments="named", companies=False)
    page = as_user(scored.students[0]).get(f"/feedback/teams/{scored.teams[0].id}")
    assert scored.juries[0].full_name in text(page)


def test_the_feedback_page_costs_the_same_queries_however_many_teams(scored, as_user):
    from tests.helpers import count_queries

    open_feedback(scored, comments="named")
    client = as_user(scored.students[0])
    path = f"/feedback/teams/{scored.teams[0].id}"
    client.get(path)
    with count_queries(_db.engine) as few:
        assert client.get(path).status_code == 200
    for index in range(8):
        member = factories.student(scored.edition)
        team = factories.team(scored.edition, scored.challenges[index % 2], members=[member])
        assign(scored.round, scored.juries[index % 3], team)
        for criterion in scored.criteria:
            score(scored, scored.juries[index % 3], team, criterion, index % 10, "Bien.")
    with count_queries(_db.engine) as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count
