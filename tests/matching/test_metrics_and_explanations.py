"""Fairness metrics, violation counts, move evaluation and structured explanations."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from crunchtime.matching import MatchingParameters, Team, evaluate, run_matching
from crunchtime.matching.explain import Explainer
from tests.matching.helpers import challenge, cohort_inputs, student

PARAMS = MatchingParameters(team_size_min=2, team_size_max=3, max_same_programme_per_team=2)
STUDENTS = [student(0, "A", ("C1", "C2")), student(1, "A", ("C1",)), student(2, "B", ("C2",)),
            student(3, "B", ()), student(4, "A", ("C1", "C2"), group="G"),
            student(5, "B", ("C2",), group="G")]
CHALLENGES = [challenge("C1", 1), challenge("C2", 1)]
FIT = np.full((6, 2), 0.5)


def test_choice_shares_count_only_students_who_ranked_something():
    teams = [Team("C1", 0, (0, 1, 3)), Team("C2", 0, (2, 4, 5))]
    m = evaluate(STUDENTS, CHALLENGES, PARAMS, teams, fit=FIT)
    assert m["first_choice_share"] == pytest.approx(4 / 5)
    assert m["top3_share"] == m["any_choice_share"] == pytest.approx(1.0)
    assert m["no_choice_students"] == 1 and m["mean_fit"] == pytest.approx(0.5)
    assert set(m["by_programme"]) == {"A", "B"}
    assert m["by_programme"]["B"]["first_choice_share"] == pytest.approx(1.0)
    assert all(m[k] == 0 for k in ("capacity_violations", "size_violations", "group_violations",
                                   "programme_cap_violations", "unplaced_students"))


def test_every_kind_of_violation_is_counted():
    teams = [Team("C1", 0, (0, 1, 2, 3)), Team("C1", 1, (4,)), Team("C2", 0, (0, 5))]
    m = evaluate(STUDENTS, CHALLENGES, PARAMS, teams, fit=FIT)
    assert m["capacity_violations"] == 1
    assert m["size_violations"] == 2
    assert m["group_violations"] == 1
    assert m["duplicate_placements"] == 1
    capped = evaluate(STUDENTS, CHALLENGES, PARAMS,
                      [Team("C1", 0, (0, 1, 4)), Team("C2", 0, (2, 3, 5))], fit=FIT)
    assert capped["programme_cap_violations"] == 2 and capped["group_violations"] == 1


def test_moving_a_student_shows_what_it_costs():
    students, challenges = cohort_inputs(200, seed=5)
    result = run_matching(students, challenges, MatchingParameters())
    teams = list(result.teams)
    first = next(p for p in result.placements if p.rank == 1 and p.explanation.kind == "choice")
    source = next(t for t in teams if first.student_id in t.student_ids)
    target = next(t for t in teams if t.challenge_code != source.challenge_code)
    moved = [replace(t, student_ids=tuple(i for i in t.student_ids if i != first.student_id))
             if t is source else replace(t, student_ids=(*t.student_ids, first.student_id))
             if t is target else t for t in teams]
    after = evaluate(students, challenges, MatchingParameters(), moved, fit=result.fit,
                     lp_bound=result.metrics["lp_bound"])
    assert after["objective"] < result.metrics["objective"]
    assert after["first_choice_share"] < result.metrics["first_choice_share"]
    assert after["objective_ratio_to_lp_bound"] < result.metrics["objective_ratio_to_lp_bound"]
    size = MatchingParameters()
    broken = ((len(source.student_ids) - 1 < size.team_size_min)
              + (len(target.student_ids) + 1 > size.team_size_max))
    assert result.metrics["size_violations"] == 0
    assert after["size_violations"] == broken
    assert after["capacity_violations"] == 0 and after["unplaced_students"] == 0


def test_students_moved_by_hand_are_outside_their_choices_for_that_reason():
    teams = [Team("C1", 0, (0, 3, 4, 5)), Team("C2", 0, (1, 2))]
    assert evaluate(STUDENTS, CHALLENGES, PARAMS, teams,
                    fit=FIT)["outside_choices_by_reason"] == {"capacity": 1, "group": 1}
    moved = evaluate(STUDENTS, CHALLENGES, PARAMS, teams, fit=FIT, moved={1, 3})
    assert moved["outside_choices_by_reason"] == {"group": 1, "moved": 1}


def test_explanations_are_structured_with_first_choice_demand_and_seats():
    explainer = Explainer(STUDENTS, CHALLENGES, replace(PARAMS, pins={3: "C2"}))
    second = explainer.explain(STUDENTS[0], "C2", 0.41)
    assert (second.kind, second.rank, second.first_choice) == ("choice", 2, "C1")
    assert (second.first_choice_demand, second.first_choice_seats) == (3, 3)
    assert explainer.explain(STUDENTS[1], "C1", 0.3).first_choice is None
    assert explainer.explain(STUDENTS[1], "C2", 0.3).kind == "fit_choices_full"
    assert explainer.explain(STUDENTS[5], "C1", 0.3).kind == "group"
    assert explainer.explain(STUDENTS[3], "C2", 0.3).kind == "pinned"
    no_pins = Explainer(STUDENTS, CHALLENGES, PARAMS)
    assert no_pins.explain(STUDENTS[3], "C1", 0.3).kind == "fit_no_choices"
