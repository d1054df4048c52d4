"""The team's wish to continue, asked once the submission is handed in: yes/no, who, what
next; it becomes an incubation signal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.errors import Conflict, Forbidden
from crunchtime.models import Submission, Team
from crunchtime.services.incubation.signals import edition_signals
from crunchtime.services.teams.continuation import join_plan, save_continuation, split_plan
from tests.helpers import says
from tests.worlds import build_world, post


def test_the_plan_keeps_who_and_what_next_apart():
    assert split_plan(join_plan("  Léa,   Hugo ", "Un pilote\r\navec Optymo")) == (
        "Léa, Hugo", "Un pilote\navec Optymo")
    assert split_plan("Ancien texte libre") == ("", "Ancien texte libre")
    assert join_plan("", "") == ""


def test_a_member_answers_and_the_signal_reads_it(db, world, as_user):
    team, member = world.teams[1], world.students[1]
    path = f"/team/{team.id}/future"
    assert says(as_user(member).get(path), "Do you want to continue the project after the week?")
    response = post(as_user(member), path, {"wants": "yes", "who": "Nina",
                                            "plan": "Candidater à l'incubateur"})
    assert response.status_code == 302
    signals = {s.team_id: s for s in edition_signals(world.edition)}
    assert signals[team.id].wants_to_continue is True
    assert (signals[team.id].continuation_who, signals[team.id].has_plan) == ("Nina", True)


def test_the_answer_is_required_and_other_students_cannot_answer(db, world, as_user):
    team = world.teams[1]
    response = post(as_user(world.students[1]), f"/team/{team.id}/future", {"who": "Nina"})
    assert response.status_code == 200 and says(response, "Answer yes or no.")
    with pytest.raises(Forbidden):
        save_continuation(world.students[2], team.id, True, "", "")


def test_before_handing_in_the_question_is_not_open_yet(db):
    world = build_world(phase="building", teams=3)
    team = world.teams[2]  # the third team has not handed in
    with pytest.raises(Conflict):
        save_continuation(world.students[2], team.id, True, "", "")
    db.session.execute(sa.update(Submission).where(Submission.team_id == team.id)
                       .values(submitted_at=sa.func.current_timestamp()))
    db.session.commit()
    save_continuation(world.students[2], team.id, False, "", "")
    assert db.session.get(Team, team.id).wants_to_continue is False
