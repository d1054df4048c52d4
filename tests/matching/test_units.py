"""Units: friend groups move as one, stated choices dominate fit, pins and pruning."""

from __future__ import annotations

import numpy as np
import pytest

from crunchtime.matching import MatchingInfeasible, MatchingParameters
from crunchtime.matching.units import build_units, rank_matrix, student_utility
from tests.matching.helpers import challenge, student

CHALLENGES = [challenge(f"C{j}", teams=1) for j in range(5)]


def _units(students, **params):
    parameters = MatchingParameters(**params)
    fit = np.random.default_rng(0).random((len(students), len(CHALLENGES)))
    return build_units(students, CHALLENGES, rank_matrix(students, CHALLENGES), fit, parameters)


def test_friend_group_members_form_one_unit_with_summed_utility():
    students = [student(0, choices=("C1",), group="G"), student(1, choices=("C2",), group="G"),
                student(2, choices=("C1",))]
    units = _units(students, candidates_per_student=None)
    assert [len(m) for m in units.members] == [2, 1]
    assert units.unit_of.tolist() == [0, 0, 1]
    assert units.utility[0, 1] > 100 and units.utility[0, 2] > 75


def test_any_stated_choice_outweighs_every_unranked_challenge():
    params = MatchingParameters()
    ranks = np.array([[5, 0, 0]], dtype=np.int8)
    fit = np.array([[0.0, 1.0, 1.0]])
    utility = student_utility(ranks, fit, params)
    assert utility[0, 0] > utility[0, 1:].max()


def test_pruning_keeps_ranked_challenges_and_the_k_best_by_fit():
    units = _units([student(0, choices=("C4",))], candidates_per_student=2, prune_above_edges=0)
    assert units.allowed[0].sum() in (2, 3) and units.allowed[0, 4]


def test_a_pin_leaves_its_unit_only_the_pinned_challenge():
    students = [student(0, group="G"), student(1, group="G", choices=("C0",))]
    units = _units(students, pins={0: "C3"})
    assert units.allowed[0].tolist() == [False, False, False, True, False]


def test_conflicting_pins_inside_a_group_are_infeasible():
    students = [student(0, group="G"), student(1, group="G")]
    with pytest.raises(MatchingInfeasible) as caught:
        _units(students, pins={0: "C1", 1: "C2"})
    assert caught.value.code == "pins_conflict"


def test_a_challenge_wanting_no_team_is_never_a_candidate():
    challenges = [challenge("C0", teams=0), challenge("C1", teams=1)]
    students = [student(0, choices=("C0",))]
    units = build_units(students, challenges, rank_matrix(students, challenges),
                        np.ones((1, 2)), MatchingParameters())
    assert units.allowed[0].tolist() == [False, True]
