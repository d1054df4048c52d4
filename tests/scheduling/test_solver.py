"""The pitch-schedule solver: slots, clashes, objective, exactness and infeasibility."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import timedelta

import pytest
from ortools.sat.python import cp_model

from crunchtime.scheduling import (
    Infeasible,
    Placement,
    build_slots,
    check_placements,
    greedy_schedule,
    solve_schedule,
)
from crunchtime.scheduling.costs import evaluate, lower_bound
from crunchtime.scheduling.improve import improve_schedule
from crunchtime.scheduling.model import ScheduleModel
from tests.scheduling.solver_instances import MORNING, problem, slots, two_panels


def reason_keys(error: pytest.ExceptionInfo) -> set[str]:
    return {reason.constraint for reason in error.value.reasons}


def test_six_hours_of_twenty_minutes_make_eighteen_slots():
    window = build_slots(MORNING, MORNING + timedelta(hours=6), 20, [])
    assert len(window) == 18
    assert [s.index for s in window] == list(range(18))
    assert window[-1].end == MORNING + timedelta(hours=6)


def test_slots_restart_at_the_end_of_a_break():
    lunch = (MORNING + timedelta(minutes=50), MORNING + timedelta(minutes=90))
    window = build_slots(MORNING, MORNING + timedelta(hours=2), 20, [lunch])
    starts = [s.start - MORNING for s in window]
    assert starts == [timedelta(minutes=m) for m in (0, 20, 90)]
    assert all(s.end <= lunch[0] or s.start >= lunch[1] for s in window)


def test_slots_refuse_an_empty_window():
    with pytest.raises(ValueError):
        build_slots(MORNING, MORNING, 20, [])
    with pytest.raises(ValueError):
        build_slots(MORNING, MORNING + timedelta(hours=1), 0, [])


def test_check_placements_names_every_clash_kind():
    instance = problem(
        [("T1", "C", "A"), ("T2", "C", "A"), ("T3", "C", "B"), ("T4", "C", "D")],
        rooms=(("R1", 1), ("R2", 1)),
        slot_count=3,
        unavailable={"D": frozenset({2})},
    )
    clashes = check_placements(
        instance,
        [
            Placement("T1", 0, "R1"),
            Placement("T2", 0, "R2"),  # jury A twice at slot 0
            Placement("T3", 0, "R1"),  # R1 holds one pitch
            Placement("T4", 2, "R2"),  # D is away at slot 2
            Placement("T4", 1, "R2"),  # T4 twice
            Placement("T9", 7, "R1"),  # past the window
            Placement("T8", 1, "R9"),  # no such room
        ],
    )
    by_kind = {clash.kind: clash for clash in clashes}
    assert set(by_kind) == {
        "jury_busy",
        "room_full",
        "jury_unavailable",
        "team_busy",
        "out_of_window",
        "unknown_room",
    }
    assert by_kind["jury_busy"].people == ("A", "T1", "T2")
    assert by_kind["room_full"].people == ("R1", "T1", "T3")
    assert by_kind["jury_unavailable"].people == ("D", "T4")
    assert by_kind["team_busy"].people == ("T4",)
    assert check_placements(instance, [Placement("T1", 0, "R1"), Placement("T2", 1, "R1")]) == []


def test_objective_counts_room_changes_switches_idle_and_span():
    instance = problem(
        [("T1", "C1", "A"), ("T2", "C2", "A"), ("T3", "C1", "A")],
        rooms=(("R1", 1), ("R2", 1)),
        slot_count=5,
    )
    figures = evaluate(
        instance, [Placement("T1", 0, "R1"), Placement("T2", 1, "R2"), Placement("T3", 3, "R2")]
    )
    # one room change (10), two challenge switches (2 x 4), one idle slot (2), span 4 (4)
    assert figures.objective == 10 + 8 + 2 + 4
    assert figures.room_changes == {"A": 1}
    assert figures.idle_minutes == {"A": 20}


def test_greedy_takes_the_first_free_slot_and_room():
    instance = problem(
        [("T1", "C", "A"), ("T2", "C", "A"), ("T3", "C", "B")], rooms=(("R1", 1), ("R2", 1))
    )
    placed = {p.team: (p.slot, p.room) for p in greedy_schedule(instance).placements}
    assert placed == {"T1": (0, "R1"), "T2": (1, "R1"), "T3": (0, "R2")}


def test_panels_stay_in_one_room_with_challenges_in_a_row():
    instance = two_panels()
    schedule = solve_schedule(instance)
    assert check_placements(instance, schedule.placements) == []
    assert schedule.status == "optimal"
    assert schedule.room_changes == dict.fromkeys("ABCDEF", 0)
    assert schedule.idle_minutes == dict.fromkeys("ABCDEF", 0)
    assert evaluate(instance, schedule.placements).challenge_switches == dict.fromkeys("ABCDEF", 1)
    assert schedule.objective == schedule.bound == lower_bound(instance)


def test_exact_solver_matches_brute_force_on_a_tiny_round():
    instance = problem(
        [("T1", "C1", "A", "B"), ("T2", "C2", "A"), ("T3", "C1", "B"), ("T4", "C2", "A", "B")],
        rooms=(("R1", 1), ("R2", 1)),
        slot_count=4,
        unavailable={"B": frozenset({0})},
    )
    spots = [(s, r) for s in range(4) for r in ("R1", "R2")]
    best = min(
        evaluate(instance, placements).objective
        for choice in itertools.product(spots, repeat=4)
        if not check_placements(
            instance,
            placements := [
                Placement(t, s, r)
                for t, (s, r) in zip(("T1", "T2", "T3", "T4"), choice, strict=True)
            ],
        )
    )
    schedule = solve_schedule(instance)
    assert schedule.objective == best
    assert schedule.status == "optimal"
    assert schedule.bound == best


def test_locked_placements_are_kept_and_the_rest_solved_around_them():
    instance = replace(two_panels(), locked={"T00": (4, "R2"), "T10": (0, "R2")})
    schedule = solve_schedule(instance)
    placed = {p.team: (p.slot, p.room) for p in schedule.placements}
    assert placed["T00"] == (4, "R2")
    assert placed["T10"] == (0, "R2")
    assert check_placements(instance, schedule.placements) == []


def test_more_pitches_than_places_is_explained_with_the_counts():
    instance = problem([(f"T{i}", "C", f"J{i}") for i in range(5)], slot_count=2)
    with pytest.raises(Infeasible) as error:
        solve_schedule(instance)
    (reason,) = error.value.reasons
    assert reason.constraint == "capacity"
    assert reason.detail == {"pitches": 5, "places": 2, "rooms": 1, "tables": 1, "slots": 2}


def test_a_jury_away_all_day_is_named():
    instance = problem(
        [("T1", "C", "A", "B")], rooms=(("R1", 2),), unavailable={"A": frozenset(range(4))}
    )
    with pytest.raises(Infeasible) as error:
        solve_schedule(instance)
    assert [(r.constraint, r.people) for r in error.value.reasons] == [("jury_unavailable", ("A",))]


def test_a_jury_with_more_pitches_than_its_slots_is_named():
    instance = problem(
        [(f"T{i}", "C", "A") for i in range(3)],
        rooms=(("R1", 3),),
        slot_count=3,
        unavailable={"A": frozenset({1})},
    )
    with pytest.raises(Infeasible) as error:
        greedy_schedule(instance)
    (reason,) = error.value.reasons
    assert reason.constraint == "jury_overload"
    assert reason.people[0] == "A"
    assert reason.detail == {"pitches": 3, "available": 2}


def test_juries_never_free_together_are_named_with_their_team():
    instance = problem(
        [("T1", "C", "A", "B")],
        slot_count=2,
        unavailable={"A": frozenset({0}), "B": frozenset({1})},
    )
    with pytest.raises(Infeasible) as error:
        solve_schedule(instance)
    assert [(r.constraint, r.people) for r in error.value.reasons] == [
        ("no_common_slot", ("T1", "A", "B"))
    ]


def test_locked_placements_that_clash_are_named():
    instance = problem(
        [("T1", "C", "A"), ("T2", "C", "A")],
        rooms=(("R1", 1), ("R2", 1)),
        locked={"T1": (0, "R1"), "T2": (0, "R2")},
    )
    with pytest.raises(Infeasible) as error:
        solve_schedule(instance)
    (reason,) = error.value.reasons
    assert reason.constraint == "locked_clash"
    assert reason.people == ("A", "T1", "T2")
    assert reason.detail["kind"] == "jury_busy"


def test_solver_proves_a_subtle_infeasibility_and_names_who_is_involved():
    # each jury has two pitches and two slots, yet three teams pairwise sharing a
    # jury need three different slots; an unrelated team is not blamed
    instance = problem(
        [("T1", "C", "A", "B"), ("T2", "C", "B", "C"), ("T3", "C", "C", "A"), ("T4", "C", "D")],
        rooms=(("R1", 3),),
        slot_count=2,
    )
    with pytest.raises(Infeasible) as error:
        solve_schedule(instance)
    (reason,) = error.value.reasons
    assert reason.constraint == "solver_infeasible"
    assert set(reason.people) >= {"A", "B", "C"}
    assert "D" not in reason.people and "T4" not in reason.people


def test_a_team_given_twice_is_refused():
    with pytest.raises(ValueError):
        solve_schedule(problem([("T1", "C", "A"), ("T1", "C", "B")]))


def test_an_empty_round_is_an_empty_schedule():
    schedule = solve_schedule(problem([]))
    assert schedule.placements == ()
    assert schedule.status == "optimal"


def test_bound_never_exceeds_the_objective_and_optimal_means_proven():
    instance = replace(two_panels(), slots=slots(8))
    schedule = solve_schedule(instance)
    assert schedule.bound <= schedule.objective
    assert (schedule.status == "optimal") == (schedule.objective <= schedule.bound)


def brute_force_optimum(instance) -> int:
    teams = [pitch.team for pitch in instance.pitches]
    spots = [(s, room.key) for s in range(len(instance.slots)) for room in instance.rooms]
    best = None
    for choice in itertools.product(spots, repeat=len(teams)):
        placements = [Placement(t, s, r) for t, (s, r) in zip(teams, choice, strict=True)]
        if not check_placements(instance, placements):
            cost = evaluate(instance, placements).objective
            best = cost if best is None else min(best, cost)
    return best


def test_cp_sat_model_optimum_is_the_true_optimum_of_the_objective():
    # solved by the CP-SAT model alone, without the heuristics that could stop early
    instance = problem(
        [("T1", "C1", "A", "B"), ("T2", "C2", "A"), ("T3", "C1", "B", "C"), ("T4", "C2", "C")],
        rooms=(("R1", 1), ("R2", 1)),
        slot_count=4,
        unavailable={"C": frozenset({3})},
    )
    status, placements, bound, _ = ScheduleModel(instance, 0).solve(10.0, 2)
    assert status == cp_model.OPTIMAL
    assert check_placements(instance, placements) == []
    assert evaluate(instance, placements).objective == bound == brute_force_optimum(instance)


def test_local_search_keeps_every_constraint_and_never_worsens():
    rng = random.Random(7)
    juries = [f"J{j}" for j in range(12)]
    instance = problem(
        [(f"T{t}", f"C{t % 5}", *rng.sample(juries, 3)) for t in range(24)],
        rooms=(("R1", 2), ("R2", 2), ("R3", 1)),
        slot_count=14,
    )
    start = greedy_schedule(instance)
    better = improve_schedule(instance, start.placements, seconds=1.0, steps_per_pitch=200)
    assert check_placements(instance, better) == []
    assert evaluate(instance, better).objective <= start.objective


def test_teams_linked_by_juries_beyond_one_room_force_a_room_change_in_the_bound():
    # A sees T1,T2; B sees T2,T3; C sees T3,T4: four linked teams, rooms of three places
    instance = problem(
        [("T1", "C", "A"), ("T2", "C", "A", "B"), ("T3", "C", "B", "C"), ("T4", "C", "C")],
        rooms=(("R1", 1), ("R2", 1)),
        slot_count=3,
    )
    bound = lower_bound(instance)
    assert bound == 10 + 2  # one forced room change, and a span of two slots at least
    schedule = solve_schedule(instance)
    assert sum(schedule.room_changes.values()) >= 1
    assert bound <= schedule.objective == brute_force_optimum(instance)


def test_a_team_without_jury_still_gets_a_place():
    instance = problem(
        [("T1", "C", "A"), ("T2", "C"), ("T3", "C", "A"), ("T4", "C", "B"), ("T5", "C", "A", "B")],
        rooms=(("R1", 1), ("R2", 1)),
        slot_count=4,
    )
    schedule = solve_schedule(instance)
    assert sorted(p.team for p in schedule.placements) == ["T1", "T2", "T3", "T4", "T5"]
    assert check_placements(instance, schedule.placements) == []
