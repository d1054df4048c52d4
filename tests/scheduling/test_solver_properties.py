"""Properties of the solver on generated rounds: every constraint holds, never worse than greedy."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crunchtime.scheduling import (
    Infeasible,
    Problem,
    check_placements,
    greedy_schedule,
    solve_schedule,
)
from crunchtime.scheduling.costs import evaluate
from tests.scheduling.solver_instances import problem

KNOWN_REASONS = {
    "capacity",
    "jury_unavailable",
    "jury_overload",
    "no_common_slot",
    "locked_clash",
    "solver_infeasible",
}


@st.composite
def rounds(draw) -> Problem:
    juries = [f"J{j}" for j in range(draw(st.integers(1, 6)))]
    slot_count = draw(st.integers(2, 6))
    rooms = [(f"R{r}", draw(st.integers(1, 2))) for r in range(draw(st.integers(1, 3)))]
    pitches = []
    for t in range(draw(st.integers(1, 9))):
        seen = draw(st.lists(st.sampled_from(juries), min_size=1, max_size=3, unique=True))
        pitches.append((f"T{t}", f"C{draw(st.integers(0, 2))}", *seen))
    unavailable = {
        jury: frozenset(draw(st.sets(st.integers(0, slot_count - 1), max_size=slot_count)))
        for jury in draw(st.lists(st.sampled_from(juries), max_size=3, unique=True))
    }
    return problem(
        pitches,
        rooms=tuple(rooms),
        slot_count=slot_count,
        unavailable=unavailable,
        time_limit_seconds=5.0,
    )


def with_some_locks(instance: Problem, draw) -> Problem:
    """Lock a few placements of a valid (greedy) schedule, so the locks are consistent."""
    try:
        placements = greedy_schedule(instance).placements
    except Infeasible:
        return instance
    chosen = draw(st.lists(st.sampled_from(placements), max_size=3, unique=True))
    return replace(instance, locked={p.team: (p.slot, p.room) for p in chosen})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(), st.data())
def test_solver_respects_every_constraint_and_never_loses_to_greedy(instance, data):
    instance = with_some_locks(instance, data.draw)
    try:
        baseline = greedy_schedule(instance)
    except Infeasible:
        baseline = None
    try:
        schedule = solve_schedule(instance)
    except Infeasible as error:
        assert baseline is None, "greedy found a schedule the solver called impossible"
        assert error.reasons
        assert {reason.constraint for reason in error.reasons} <= KNOWN_REASONS
        return
    assert check_placements(instance, schedule.placements) == []
    assert sorted(p.team for p in schedule.placements) == sorted(p.team for p in instance.pitches)
    placed = {p.team: (p.slot, p.room) for p in schedule.placements}
    assert all(placed[team] == spot for team, spot in instance.locked.items())
    assert schedule.objective == evaluate(instance, schedule.placements).objective
    assert schedule.bound <= schedule.objective
    if baseline is not None:
        assert check_placements(instance, baseline.placements) == []
        assert schedule.objective <= baseline.objective


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_greedy_is_valid_or_explains_itself(instance):
    try:
        schedule = greedy_schedule(instance)
    except Infeasible as error:
        keys = {reason.constraint for reason in error.reasons}
        assert keys <= KNOWN_REASONS | {"greedy_stuck"}
        return
    assert check_placements(instance, schedule.placements) == []
    assert len(schedule.placements) == len(instance.pitches)
