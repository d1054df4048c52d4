"""Who the model may place: never a student without consent; incomplete profiles and students
without wishes placed by fit or left out, as the organiser chooses (issue 17, item 5)."""

from __future__ import annotations

import dataclasses

import pytest

from crunchtime.matching import MatchingParameters, evaluate, run_matching, sort_students
from tests.matching.helpers import challenge, student

SMALL = MatchingParameters(team_size_min=2, team_size_max=3)


def _cohort():
    """12 students: 0-1 without consent, 2 without skills, 3 without a programme, 4-5
    without choices (profile complete), the others complete and ranked."""
    students = [student(i, choices=("C1", "C2") if i % 2 else ("C2", "C1"))
                for i in range(12)]
    students[0] = dataclasses.replace(students[0], consented=False)
    students[1] = dataclasses.replace(students[1], consented=False, choices=())
    students[2] = dataclasses.replace(students[2], skills=())
    students[3] = dataclasses.replace(students[3], programme="")
    students[4] = dataclasses.replace(students[4], choices=())
    students[5] = dataclasses.replace(students[5], choices=())
    return students, [challenge("C1", 2), challenge("C2", 2)]


def _placed(result) -> set[int]:
    return {p.student_id for p in result.placements}


@pytest.mark.parametrize("leave_out", [False, True])
def test_students_without_consent_are_never_placed_whatever_the_choice(leave_out):
    students, challenges = _cohort()
    result = run_matching(students, challenges,
                          dataclasses.replace(SMALL, leave_out_incomplete=leave_out))
    assert not _placed(result) & {0, 1}
    assert result.left_out["no_consent"] == (0, 1)
    assert result.metrics["left_out"]["no_consent"] == 2
    assert result.metrics["unplaced_students"] == 0  # of the students it may place


def test_incomplete_profiles_and_no_wishes_are_placed_by_fit_by_default():
    students, challenges = _cohort()
    result = run_matching(students, challenges, SMALL)
    assert _placed(result) == set(range(2, 12))
    assert result.metrics["left_out"] == {"no_consent": 2, "no_profile": 0, "no_wishes": 0}
    assert result.metrics["placed_by_fit"] == {"no_profile": 2, "no_wishes": 2}
    assert {p.explanation.kind for p in result.placements if p.student_id in (4, 5)} == {
        "fit_no_choices"}


def test_incomplete_profiles_and_no_wishes_are_left_out_when_the_organiser_says_so():
    students, challenges = _cohort()
    result = run_matching(students, challenges,
                          dataclasses.replace(SMALL, leave_out_incomplete=True))
    assert _placed(result) == set(range(6, 12))
    assert result.left_out == {"no_consent": (0, 1), "no_profile": (2, 3), "no_wishes": (4, 5)}
    assert result.metrics["left_out"] == {"no_consent": 2, "no_profile": 2, "no_wishes": 2}
    assert result.metrics["students"] == 6


def test_each_student_counts_under_one_reason_the_most_serious():
    students, _ = _cohort()
    sorted_out = sort_students(students, leave_out_incomplete=True)
    counted = [i for ids in sorted_out.left_out.values() for i in ids]
    assert sorted(counted) == [0, 1, 2, 3, 4, 5]  # student 1: no consent and no wishes: once
    assert [s.id for s in sorted_out.placeable] == list(range(6, 12))


def test_a_pin_on_a_student_left_out_is_a_caller_error():
    students, challenges = _cohort()
    with pytest.raises(ValueError, match="pin 0"):
        run_matching(students, challenges, dataclasses.replace(SMALL, pins={0: "C1"}))


def test_figures_after_a_move_ignore_the_students_left_out():
    students, challenges = _cohort()
    params = dataclasses.replace(SMALL, leave_out_incomplete=True)
    result = run_matching(students, challenges, params)
    metrics = evaluate(students, challenges, params, result.teams)
    assert metrics["students"] == 6 and metrics["unplaced_students"] == 0
    assert metrics["objective"] == pytest.approx(result.metrics["objective"])
