"""The edge cases of issue 4, item 6, each handled and said clearly."""

from __future__ import annotations

import pytest

from crunchtime.matching import MatchingInfeasible, MatchingParameters, run_matching
from tests.matching.helpers import challenge, cohort_inputs, student

SMALL = MatchingParameters(team_size_min=2, team_size_max=3)


def _valid(result) -> bool:
    m = result.metrics
    return m["capacity_violations"] == m["size_violations"] == m["group_violations"] == 0 \
        and m["unplaced_students"] == 0


def test_students_with_no_choices_are_placed_by_fit_and_said_so():
    students = [student(i, interests="vélo" if i < 3 else "santé") for i in range(6)]
    challenges = [challenge("C1", 1, "le vélo en ville"), challenge("C2", 1, "santé hôpital")]
    result = run_matching(students, challenges, SMALL)
    assert _valid(result)
    assert {p.explanation.kind for p in result.placements} == {"fit_no_choices"}
    assert {p.challenge_code for p in result.placements if p.student_id < 3} == {"C1"}


def test_more_seats_than_students_opens_fewer_teams():
    students = [student(i, choices=("C1",)) for i in range(5)]
    result = run_matching(students, [challenge("C1", 4), challenge("C2", 3)], SMALL)
    assert _valid(result) and len(result.teams) == 2
    assert {t.challenge_code for t in result.teams} == {"C1"}


def test_fewer_seats_than_students_names_the_challenges_needing_more_teams():
    students = [student(i, choices=("C1", "C2") if i % 3 else ("C2",)) for i in range(20)]
    with pytest.raises(MatchingInfeasible) as caught:
        run_matching(students, [challenge("C1", 2), challenge("C2", 2), challenge("C3", 1)],
                     SMALL)
    error = caught.value
    assert error.code == "not_enough_seats"
    assert error.details["students"] == 20 and error.details["seats"] == 15
    assert error.details["missing_seats"] == 5 and error.details["extra_teams_needed"] == 2
    assert [c["code"] for c in error.details["challenges"]] == ["C1"]
    assert error.details["challenges"][0]["extra_teams"] == 2


def test_a_challenge_nobody_ranked_can_still_host_a_team():
    students = [student(i, choices=("C1",), interests="vélo") for i in range(6)]
    students += [student(6 + i, interests="hydrogène") for i in range(3)]
    challenges = [challenge("C1", 2, "vélo"), challenge("C2", 1, "hydrogène électrolyseur")]
    result = run_matching(students, challenges, SMALL)
    assert _valid(result)
    assert [p.challenge_code for p in result.placements[6:]] == ["C2"] * 3


def test_everyone_ranking_the_same_three_first_still_gives_valid_teams():
    students, challenges = cohort_inputs(280, seed=4)
    same = tuple(c.code for c in challenges[:3])
    students = [s.__class__(s.id, s.programme, s.year, s.skills, s.interests, same, s.group)
                for s in students]
    result = run_matching(students, challenges, MatchingParameters())
    assert _valid(result) and result.metrics["certified_optimal"]
    seats = sum(6 * c.teams_wanted for c in challenges[:3])
    assert result.metrics["any_choice_share"] <= seats / len(students) + 1e-9
    missed = [p for p in result.placements if p.rank is None]
    assert missed and all(p.explanation.kind in ("fit_choices_full", "group") for p in missed)
    assert missed[0].explanation.first_choice_demand == len(students)


def test_a_group_whose_members_ranked_different_challenges_stays_together():
    students = [student(0, choices=("C1",), group="G"), student(1, choices=("C2",), group="G"),
                student(2, choices=("C1",)), student(3, choices=("C2",)),
                student(4, choices=("C2",)), student(5, choices=("C1",))]
    result = run_matching(students, [challenge("C1", 1), challenge("C2", 1)], SMALL)
    assert _valid(result)
    placed = {p.student_id: p for p in result.placements}
    assert placed[0].challenge_code == placed[1].challenge_code
    assert {placed[0].explanation.kind, placed[1].explanation.kind} == {"choice", "group"}


def test_a_group_larger_than_any_team_is_rejected_with_its_key():
    students = [student(i, group="G7") for i in range(4)] + [student(9)]
    with pytest.raises(MatchingInfeasible) as caught:
        run_matching(students, [challenge("C1", 3)], SMALL)
    assert caught.value.code == "group_too_large"
    assert caught.value.details == {"groups": [{"group": "G7", "size": 4}], "team_size_max": 3}


def test_a_student_count_no_team_sizes_can_make_is_rejected():
    students = [student(i) for i in range(7)]
    with pytest.raises(MatchingInfeasible) as caught:
        run_matching(students, [challenge("C1", 5)], MatchingParameters())
    assert caught.value.code == "size_bounds_unreachable"


def test_team_size_bounds_friend_groups_cannot_meet_are_infeasible():
    students = [student(i, group=f"G{i // 3}") for i in range(6)]
    with pytest.raises(MatchingInfeasible) as caught:
        run_matching(students, [challenge("C1", 2)],
                     MatchingParameters(team_size_min=2, team_size_max=2))
    assert caught.value.code in {"group_too_large", "no_feasible_assignment"}
    students = [student(i, group=f"G{i // 3}") for i in range(9)]
    with pytest.raises(MatchingInfeasible) as caught:
        run_matching(students, [challenge("C1", 2)],
                     MatchingParameters(team_size_min=4, team_size_max=5))
    assert caught.value.code == "no_feasible_assignment"


def test_pins_beyond_a_challenge_seats_are_rejected():
    students = [student(i) for i in range(8)]
    pins = {i: "C1" for i in range(4)}
    with pytest.raises(MatchingInfeasible) as caught:
        run_matching(students, [challenge("C1", 1), challenge("C2", 2)],
                     MatchingParameters(team_size_min=2, team_size_max=3, pins=pins))
    assert caught.value.details["challenges"] == [{"code": "C1", "pinned": 4, "seats": 3}]


def test_no_students_gives_an_empty_matching():
    result = run_matching([], [challenge("C1", 2)], SMALL)
    assert result.teams == () and result.metrics["objective"] == 0.0
