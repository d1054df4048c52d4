"""Jury assignment from the organisers' page and `crunchtime assign-juries`: k juries per
team, balanced loads, conflicts never crossed, hand adjustments audited, edge cases said."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import AuditEvent, ConflictOfInterest, JuryAssignment, ScoreEvent
from crunchtime.services.judging.assignment import apply_assignment
from tests import factories
from tests.helpers import csrf_token, fr, says, text
from tests.judging.conftest import enter, make_round, profile_of


def pairs(judging_round) -> set[tuple[int, int]]:
    _db.session.expire_all()
    return {(a.jury_id, a.team_id) for a in _db.session.scalars(
        sa.select(JuryAssignment).where(JuryAssignment.round_id == judging_round.id))}


def fresh_round(world, **options):
    """Round 1 of the world without its hand-made pairs."""
    _db.session.execute(sa.delete(JuryAssignment))
    for name, value in options.items():
        setattr(world.round, name, value)
    _db.session.commit()
    return world.round


def declare(jury_user, **target):
    kind = next(iter(target)).removesuffix("_id")
    _db.session.add(ConflictOfInterest(jury_id=profile_of(jury_user).id, kind=kind, **target))
    _db.session.commit()


def test_organiser_assigns_juries_balanced_connected_and_audited(app, db, world, organizer,
                                                                 login):
    judging_round = fresh_round(world)
    extra = [factories.jury(world.edition) for _ in range(3)]
    client = login(organizer)
    path = f"/organizer/judging/rounds/{judging_round.id}/assignment"
    assert client.get(path).status_code == 200
    response = post_form_to(client, path, f"{path}/run", {"seed": "0"})
    assert response.status_code == 302
    made = pairs(judging_round)
    per_team = Counter(team for _jury, team in made)
    assert len(per_team) == 4 and min(per_team.values()) == 2
    loads = Counter(jury for jury, _team in made)
    juries = [profile_of(user).id for user in [*world.juries, *extra]]
    assert max(loads[j] for j in juries) - min(loads[j] for j in juries) <= 1
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "judging.assign"))
    assert audit.details["components"] == 1  # 10 people need 9 pairs: one bridge beyond k
    assert len(audit.details["created"]) == len(made) == 9
    assert audit.actor_id == organizer.id


def post_form_to(client, page, action, data):
    """POST a form shown on `page` to `action`, with the page's CSRF token."""
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)})


def test_assigning_again_keeps_the_pairs_already_made(app, db, world):
    before = pairs(world.round)
    outcome = apply_assignment(None, world.round, seed=3)
    after = pairs(world.round)
    assert before <= after and outcome.created == len(after) - len(before)


def test_declared_conflicts_of_interest_are_never_assigned(app, db, world):
    judging_round = fresh_round(world)
    declare(world.juries[0], team_id=world.teams[0].id)
    declare(world.juries[1], organisation_id=world.organisations[1].id)
    student_profile = world.teams[2].memberships[0].student_id
    declare(world.juries[2], student_id=student_profile)
    apply_assignment(None, judging_round)
    made = pairs(judging_round)
    jury = {user: profile_of(user).id for user in world.juries}
    assert (jury[world.juries[0]], world.teams[0].id) not in made
    assert not {(jury[world.juries[1]], team.id) for team in world.teams[1::2]} & made
    assert (jury[world.juries[2]], world.teams[2].id) not in made


def test_final_round_excludes_the_jury_of_the_challenge_organisation(app, db, world):
    final = make_round(world.edition, number=2, kind="final", status="draft", k=1)
    enter(final, *world.teams)
    alstom = factories.jury(world.edition, organisation=world.organisations[0])
    for user in world.juries:
        _db.session.delete(profile_of(user))
    _db.session.commit()
    other = factories.jury(world.edition)
    apply_assignment(None, final)
    made = pairs(final)
    alstom_teams = {team.id for team in world.teams[0::2]}
    assert not {(profile_of(alstom).id, team) for team in alstom_teams} & made
    assert {team for jury, team in made if jury == profile_of(other).id} >= alstom_teams


def test_not_enough_juries_says_how_many_are_missing(app, db, world, organizer, login):
    judging_round = fresh_round(world, juries_per_team=5)
    client = login(organizer)
    page = f"/organizer/judging/rounds/{judging_round.id}/assignment"
    post_form_to(client, page, f"{page}/run", {"seed": "0"})
    shown = client.get(page)
    assert says(shown, "Not enough juries: %(num)d team has fewer than %(k)d juries.",
                "Not enough juries: %(num)d teams have fewer than %(k)d juries.", num=4, k=5)
    assert says(shown, "%(places)d jury places are missing; at least %(juries)d more "
                       "conflict-free juries are needed for every team to have %(k)d.",
                places=8, juries=2, k=5)


def test_a_jury_with_conflicts_on_every_team_is_named_and_left_out(app, db, world, organizer,
                                                                   login):
    judging_round = fresh_round(world)
    for organisation in world.organisations:
        declare(world.juries[2], organisation_id=organisation.id)
    client = login(organizer)
    page = f"/organizer/judging/rounds/{judging_round.id}/assignment"
    post_form_to(client, page, f"{page}/run", {"seed": "0"})
    name = world.juries[2].full_name
    message = ("%(name)s has a conflict of interest with every team of the round: "
               "not assigned.")
    assert says(client.get(page), message, name=name)
    assert profile_of(world.juries[2]).id not in {jury for jury, _ in pairs(judging_round)}


def test_hand_adjustments_refuse_conflicts_and_are_audited(app, db, world, organizer, login):
    declare(world.juries[2], team_id=world.teams[3].id)
    client = login(organizer)
    page = f"/organizer/judging/rounds/{world.round.id}/assignment"
    refused = post_form_to(client, page, f"{page}/pairs",
                           {"jury": profile_of(world.juries[2]).id, "team": world.teams[3].id})
    assert refused.status_code == 200
    assert says(refused, "This jury has a conflict of interest with this team.")
    added = post_form_to(client, page, f"{page}/pairs",
                         {"jury": profile_of(world.juries[2]).id, "team": world.teams[2].id})
    assert added.status_code == 302
    assignment = db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.jury_id == profile_of(world.juries[2]).id))
    post_form_to(client, page, f"{page}/pairs/{assignment.id}/remove", {})
    actions = [a.action for a in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["judging.assign_hand", "judging.unassign"]


def test_a_pair_with_scores_cannot_be_removed_before_a_retraction(app, db, world, organizer,
                                                                  login):
    assignment = db.session.scalar(sa.select(JuryAssignment).where(
        JuryAssignment.jury_id == profile_of(world.juries[1]).id))
    db.session.add(ScoreEvent(client_event_id="seed-score-1", round_id=world.round.id,
                              jury_id=assignment.jury_id, team_id=assignment.team_id,
                              criterion_id=world.criteria[0].id, kind="score", value=5))
    db.session.commit()
    client = login(organizer)
    page = f"/organizer/judging/rounds/{world.round.id}/assignment"
    post_form_to(client, page, f"{page}/pairs/{assignment.id}/remove", {})
    assert says(client.get(page), "This jury has scores on this team: retract them first.")
    assert db.session.get(JuryAssignment, assignment.id) is not None


def test_assign_juries_command_assigns_and_reports(app, db, world):
    fresh_round(world)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["assign-juries", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "8 pairs" in dry.output and "Dry run" in dry.output and pairs(world.round) == set()
    result = runner.invoke(args=["assign-juries", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "8 assignments added" in result.output and len(pairs(world.round)) == 8
    short = runner.invoke(args=["assign-juries", "--round", "9"])
    assert short.exit_code != 0 and "No such judging round" in short.output


def test_assign_juries_command_warns_when_juries_are_missing(app, db, world):
    fresh_round(world, juries_per_team=4)
    result = app.test_cli_runner().invoke(args=["assign-juries"])
    assert result.exit_code == 0
    assert "Not enough juries: 4 teams have fewer than 4 juries." in result.output


def test_assignment_outside_its_phases_is_refused(app, db, world, organizer, login):
    world.edition.phase = "results"
    db.session.commit()
    client = login(organizer)
    page = f"/organizer/judging/rounds/{world.round.id}/assignment"
    response = post_form_to(client, page, f"{page}/run", {"seed": "0"})
    assert response.status_code == 200
    assert fr("Building") in text(response) and fr("Judging") in text(response)
