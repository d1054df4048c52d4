"""Property tests: on small random editions the optimiser's objective equals an independent
explicit integer program's optimum, and every constraint holds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crunchtime.matching import MatchingInfeasible, MatchingParameters, run_matching
from crunchtime.matching.fit import compute_fit
from crunchtime.matching.units import build_units, rank_matrix, student_utility
from tests.matching.helpers import challenge, reference_optimum, student

WORDS = ("énergie", "hydrogène", "mobilité", "santé", "numérique", "design", "vélo", "école")
PROGRAMMES = ("Informatique", "Énergie", "Mécanique")


@st.composite
def editions(draw):
    n_challenges = draw(st.integers(1, 4))
    codes = [f"C{j}" for j in range(n_challenges)]
    challenges = [
        challenge(code, draw(st.integers(0, 3)), " ".join(draw(st.lists(
            st.sampled_from(WORDS), min_size=1, max_size=3))))
        for code in codes
    ]
    students = []
    for i in range(draw(st.integers(0, 14))):
        choices = draw(st.lists(st.sampled_from(codes), unique=True, max_size=3))
        group = draw(st.sampled_from([None, None, None, "G1", "G2", "G3"]))
        students.append(student(i, draw(st.sampled_from(PROGRAMMES)), choices, group,
                                year=draw(st.integers(1, 3)),
                                interests=" ".join(draw(st.lists(st.sampled_from(WORDS),
                                                                 min_size=1, max_size=3)))))
    size_min = draw(st.integers(1, 3))
    pins = {}
    if students and draw(st.booleans()):
        pins = {draw(st.sampled_from(students)).id: draw(st.sampled_from(codes))}
    params = MatchingParameters(
        team_size_min=size_min,
        team_size_max=size_min + draw(st.integers(0, 2)),
        max_same_programme_per_team=draw(st.sampled_from([None, None, 1, 2])),
        candidates_per_student=draw(st.sampled_from([None, 1, 2])),
        prune_above_edges=0,  # small instances: prune whenever K says so
        pins=pins,
        seed=draw(st.integers(0, 3)),
    )
    return students, challenges, params


def _student_utility(students, challenges, params):
    fit = compute_fit(students, challenges, params.fit, params.seed, measure_auc=False).matrix
    ranks = rank_matrix(students, challenges)
    utility = student_utility(ranks, fit, params)
    try:
        units = build_units(students, challenges, ranks, fit, params)
    except MatchingInfeasible:
        return None
    return np.where(units.allowed[units.unit_of], utility, -np.inf)


def _check_constraints(result, students, challenges, params):
    wanted = {c.code: c.teams_wanted for c in challenges}
    placed = [i for team in result.teams for i in team.student_ids]
    assert sorted(placed) == sorted(s.id for s in students)
    for code in wanted:
        assert sum(t.challenge_code == code for t in result.teams) <= wanted[code]
    team_of = {i: t for t, team in enumerate(result.teams) for i in team.student_ids}
    for team in result.teams:
        assert params.team_size_min <= len(team.student_ids) <= params.team_size_max
    for s in students:
        mates = [x for x in students if s.group is not None and x.group == s.group]
        assert {team_of[x.id] for x in mates} <= {team_of[s.id]}
        if s.id in params.pins:
            assert result.teams[team_of[s.id]].challenge_code == params.pins[s.id]
    m = result.metrics
    assert m["capacity_violations"] == m["size_violations"] == m["group_violations"] == 0
    assert m["programme_cap_violations"] == m["pin_violations"] == 0


def _assert_matches_reference(edition):
    students, challenges, params = edition
    utility = _student_utility(students, challenges, params)
    expected = None if utility is None else reference_optimum(students, challenges, params,
                                                              utility)
    if expected is None:
        with pytest.raises(MatchingInfeasible):
            run_matching(students, challenges, params)
        return
    result = run_matching(students, challenges, params)
    assert result.metrics["objective"] == pytest.approx(expected, rel=1e-7, abs=1e-6)
    assert result.metrics["certified_optimal"] or not students
    _check_constraints(result, students, challenges, params)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(editions())
def test_objective_equals_explicit_optimum_and_constraints_hold(edition):
    _assert_matches_reference(edition)


@st.composite
def grouped_editions(draw):
    """Few challenges, many friend groups and tight sizes: where splits into teams fail."""
    codes = ["C0", "C1"]
    challenges = [challenge(code, draw(st.integers(1, 3))) for code in codes]
    students = [
        student(i, draw(st.sampled_from(PROGRAMMES[:2])),
                draw(st.lists(st.sampled_from(codes), unique=True, max_size=2)),
                draw(st.sampled_from([None, "G1", "G1", "G2", "G2", "G3", "G4"])))
        for i in range(draw(st.integers(4, 13)))
    ]
    size_min = draw(st.integers(2, 4))
    params = MatchingParameters(
        team_size_min=size_min, team_size_max=size_min + draw(st.integers(0, 1)),
        max_same_programme_per_team=draw(st.sampled_from([None, 2, 3])),
        candidates_per_student=None)
    return students, challenges, params


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grouped_editions())
def test_friend_group_heavy_editions_match_the_explicit_optimum(edition):
    _assert_matches_reference(edition)
