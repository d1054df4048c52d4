"""A jury member declares conflicts of interest; unscored pairs that cross one are undone."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import AuditEvent, ConflictOfInterest, JuryAssignment, ScoreEvent
from tests.helpers import csrf_token, post_form, says, text
from tests.judging.conftest import profile_of


def test_jury_declares_a_team_conflict_and_the_team_leaves_its_queue(app, db, world, login):
    client = login(world.juries[0])
    page = client.get("/jury/conflicts")
    assert page.status_code == 200 and world.teams[1].code in text(page)
    response = post_form(client, "/jury/conflicts", {"kind": "team",
                                                     "team": str(world.teams[1].id),
                                                     "note": "Mon ancien stagiaire"})
    assert response.status_code == 302
    listing = client.get("/jury/conflicts")
    assert says(listing, "%(num)d team was taken out of your queue.",
                "%(num)d teams were taken out of your queue.", num=1)
    jury = profile_of(world.juries[0]).id
    assigned = set(db.session.scalars(sa.select(JuryAssignment.team_id)
                                      .where(JuryAssignment.jury_id == jury)))
    assert assigned == {world.teams[0].id}
    actions = {a.action for a in db.session.scalars(sa.select(AuditEvent))}
    assert {"judging.conflict_declare", "judging.unassign"} <= actions


def test_jury_declares_a_student_conflict_by_name_and_an_organisation(app, db, world, login):
    client = login(world.juries[1])
    student = world.students[2]
    post_form(client, "/jury/conflicts", {"kind": "student",
                                          "student": f"{student.last_name} {student.first_name}"})
    post_form(client, "/jury/conflicts", {"kind": "organisation",
                                          "organisation": str(world.organisations[0].id)})
    kinds = sorted(c.kind for c in db.session.scalars(sa.select(ConflictOfInterest)))
    assert kinds == ["organisation", "student"]
    page = client.get("/jury/conflicts")
    assert student.last_name in text(page) and "Alstom" in text(page)


def test_unclear_or_repeated_declarations_are_refused(app, db, world, login):
    client = login(world.juries[1])
    unknown = post_form(client, "/jury/conflicts", {"kind": "student", "student": "Personne"})
    assert unknown.status_code == 200
    assert says(unknown, "No student of this edition matches “%(query)s”.", query="Personne")
    no_team = post_form(client, "/jury/conflicts", {"kind": "team", "team": ""})
    assert says(no_team, "Choose a team of this edition.")
    post_form(client, "/jury/conflicts", {"kind": "team", "team": str(world.teams[3].id)})
    twice = post_form(client, "/jury/conflicts", {"kind": "team", "team": str(world.teams[3].id)})
    assert says(twice, "You have already declared this conflict.")


def test_jury_withdraws_a_conflict(app, db, world, login):
    client = login(world.juries[1])
    post_form(client, "/jury/conflicts", {"kind": "team", "team": str(world.teams[3].id)})
    conflict = db.session.scalar(sa.select(ConflictOfInterest))
    client.post(f"/jury/conflicts/{conflict.id}/withdraw",
                data={"csrf_token": csrf_token(client, "/jury/conflicts")})
    assert db.session.scalar(sa.select(ConflictOfInterest)) is None


def test_a_conflict_declared_after_scoring_refuses_new_scores_and_keeps_the_old_ones(
        app, db, world, organizer, login):
    from crunchtime.services.accounts.jury_profiles import jury_names
    from crunchtime.services.judging.ledger.queries import round_scores
    from tests.helpers import fr
    from tests.judging.conftest import api_client, post_event

    first, second = world.criteria
    declared = [  # (jury, team it scored, what it then declares)
        (world.juries[0], world.teams[0], {"kind": "team", "team": str(world.teams[0].id)}),
        (world.juries[0], world.teams[1], {"kind": "student",
                                           "student": world.students[1].email}),
        (world.juries[1], world.teams[0], {"kind": "organisation",
                                           "organisation": str(world.organisations[0].id)}),
    ]
    for number, (jury, team, conflict) in enumerate(declared):
        phone = api_client(app, jury)
        body = world.score_body(f"before-conflict-{number}", team=team, value=6)
        assert post_event(phone, body).status_code == 201
        page = login(jury)
        post_form(page, "/jury/conflicts", conflict)
        assert says(page.get("/jury/conflicts"), "You have already scored a team concerned: "
                    "the organisers will decide what to do with those scores.")
        for attempt, criterion in enumerate((first, second)):  # a correction, a new score
            refused = post_event(phone, world.score_body(
                f"after-conflict-{number}-{attempt}", team=team, criterion=criterion, value=9))
            assert refused.status_code == 403, conflict
            assert refused.json["message"] == fr(
                "You have declared a conflict of interest with this team: you can no longer "
                "score it.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreEvent)) == 3
    assert sorted(round_scores(world.round.id).values()) == [6.0, 6.0, 6.0]
    assert db.session.scalar(sa.select(sa.func.count(JuryAssignment.id))) == 3  # pairs kept
    sheet = login(world.juries[0]).get(f"/jury/rounds/{world.round.id}/teams/{world.teams[0].id}")
    assert says(sheet, "You have declared a conflict of interest with this team: you can no "
                "longer score it.") and "data-scoring" not in text(sheet)
    organiser = login(organizer)
    assignment = organiser.get(f"/organizer/judging/rounds/{world.round.id}/assignment")
    names = jury_names(world.edition)
    for jury, team, _conflict in declared:
        assert says(assignment, "%(name)s is assigned to %(team)s despite a conflict of "
                    "interest: retract the scores, then remove the pair.",
                    name=names[profile_of(jury).id], team=team.code)
