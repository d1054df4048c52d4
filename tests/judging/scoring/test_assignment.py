"""Jury assignment: coverage, balance, conflicts, connectivity, determinism, reports."""

from __future__ import annotations

from collections import Counter

import pytest

from crunchtime.scoring import AssignmentError, Conflict, Jury, Team, assign_juries
from crunchtime.scoring.simulation import synthetic_judging


def coverage(plan) -> Counter:
    return Counter(team for _, team in plan.pairs)


def simple_teams(n: int, **extra) -> list[Team]:
    return [Team(id=t, challenge=t, **extra) for t in range(1, n + 1)]


def simple_juries(n: int) -> list[Jury]:
    return [Jury(id=100 + j) for j in range(n)]


def test_every_team_gets_k_juries_with_balanced_loads_on_an_edition_sized_input():
    judging = synthetic_judging(teams=300, juries=100, seed=4)
    plan = assign_juries(judging.juries, judging.teams, k=3, conflicts=judging.conflicts, seed=4)
    assert plan.complete and plan.total_missing == 0 and plan.missing == {}
    assert set(coverage(plan).values()) == {3}
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1
    assert plan.load_spread <= 1
    assert plan.components == 1
    assert sum(plan.loads.values()) == len(plan.pairs) == 900


def test_not_enough_juries_for_k_says_how_many_are_missing_per_team_and_in_total():
    plan = assign_juries(simple_juries(2), simple_teams(10), k=3)
    assert plan.missing == {t: 1 for t in range(1, 11)}
    assert plan.total_missing == 10
    assert plan.juries_short == 1
    assert not plan.complete
    assert set(coverage(plan).values()) == {2}


def test_a_team_short_of_eligible_juries_gets_all_it_can_and_the_gap_is_reported():
    conflicts = [Conflict(100 + j, "team", 1) for j in range(3)]
    plan = assign_juries(simple_juries(4), simple_teams(6), k=3, conflicts=conflicts)
    assert plan.juries_of(1) == (103,)
    assert plan.missing == {1: 2}
    assert plan.total_missing == 2 and plan.juries_short == 2


def test_jury_with_conflicts_on_every_team_is_reported_and_left_out_of_the_balance():
    conflicts = [Conflict(100, "team", t) for t in range(1, 13)]
    plan = assign_juries(simple_juries(5), simple_teams(12), k=3, conflicts=conflicts)
    assert plan.unassignable_juries == (100,)
    assert plan.loads[100] == 0
    assert plan.complete
    others = [load for jury, load in plan.loads.items() if jury != 100]
    assert max(others) - min(others) <= 1 and plan.load_spread <= 1


def test_declared_team_organisation_and_student_conflicts_are_never_assigned():
    teams = [Team(t, challenge=t, organisation=t % 3, students={10 * t, 10 * t + 1})
             for t in range(1, 13)]
    conflicts = [Conflict(100, "team", 5), Conflict(101, "organisation", 1),
                 Conflict(102, "student", 71), Conflict(103, "student", 999)]
    plan = assign_juries(simple_juries(6), teams, k=3, conflicts=conflicts)
    pairs = set(plan.pairs)
    assert (100, 5) not in pairs
    assert not any(jury == 101 and teams[team - 1].organisation == 1 for jury, team in pairs)
    assert (102, 7) not in pairs
    assert plan.complete


def test_final_round_never_gives_a_jury_a_team_on_its_own_organisations_challenge():
    teams = [Team(t, challenge=t, organisation=t % 4) for t in range(1, 21)]
    juries = [Jury(100 + j, organisation=j % 4) for j in range(12)]
    plan = assign_juries(juries, teams, k=3, round_kind="final", seed=2)
    organisation = {jury.id: jury.organisation for jury in juries}
    assert all(organisation[j] != teams[t - 1].organisation for j, t in plan.pairs)
    assert plan.complete


def test_own_organisation_rule_can_be_switched_off_for_the_final_round():
    teams = [Team(1, challenge=1, organisation=7)]
    juries = [Jury(100, organisation=7)]
    kept = assign_juries(juries, teams, k=1, round_kind="final", exclude_own_organisation=False)
    excluded = assign_juries(juries, teams, k=1, round_kind="final")
    assert kept.pairs == ((100, 1),)
    assert excluded.pairs == () and excluded.missing == {1: 1}


def test_round_one_prefers_juries_of_the_challenges_organisation_while_staying_connected():
    teams = [Team(t, challenge=t, organisation=1 if t <= 2 else 2) for t in range(1, 5)]
    juries = [Jury(100 + j, organisation=1 if j < 2 else 2) for j in range(4)]
    organisation = {jury.id: jury.organisation for jury in juries}

    def own(plan) -> int:
        return sum(organisation[j] == teams[t - 1].organisation for j, t in plan.pairs)

    round_one = assign_juries(juries, teams, k=2, seed=5)
    assert own(round_one) == 6
    assert round_one.components == 1 and round_one.swaps == 1
    assert own(assign_juries(juries, teams, k=2, round_kind="final")) == 0


def test_round_one_prefers_juries_with_matching_expertise():
    teams = [Team(t, challenge=t, tags={"energy" if t % 2 else "health"}) for t in range(1, 9)]
    juries = [Jury(100, tags={"energy"}), Jury(101, tags={"health"}), Jury(102),
              Jury(103, tags={"energy", "health"})]
    plan = assign_juries(juries, teams, k=2, seed=1)
    tags = {jury.id: jury.tags for jury in juries}
    matched = sum(bool(tags[j] & teams[t - 1].tags) for j, t in plan.pairs)
    assert matched >= 12
    assert plan.components == 1


def test_clustered_preferences_are_repaired_into_one_connected_component_by_swaps():
    teams = [Team(t, challenge=t, tags={"a" if t % 4 else "b"}) for t in range(40)]
    juries = [Jury(j, tags={"a" if j % 4 else "b"}) for j in range(12)]
    plan = assign_juries(juries, teams, k=3)
    assert plan.components == 1
    assert plan.swaps >= 1 and plan.bridges == 0
    assert plan.load_spread <= 1 and plan.complete


def test_when_balance_and_connectivity_clash_bridges_connect_at_the_cost_of_balance():
    plan = assign_juries(simple_juries(30), simple_teams(10), k=1, round_kind="final")
    assert plan.components == 1
    assert plan.bridges == 9
    assert plan.complete


def test_existing_pairs_are_kept_and_count_towards_k_and_the_load():
    existing = [(100, 1), (101, 1), (100, 2)]
    plan = assign_juries(simple_juries(4), simple_teams(8), k=2, existing=existing)
    assert set(existing) <= set(plan.pairs)
    assert coverage(plan)[1] == 2
    assert set(coverage(plan).values()) == {2}
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1


def test_existing_pair_that_is_a_conflict_or_names_an_unknown_id_is_refused():
    conflicts = [Conflict(100, "team", 1)]
    with pytest.raises(AssignmentError, match="conflict"):
        assign_juries(simple_juries(2), simple_teams(2), conflicts=conflicts,
                      existing=[(100, 1)])
    with pytest.raises(AssignmentError, match="unknown"):
        assign_juries(simple_juries(2), simple_teams(2), existing=[(100, 99)])


def test_unknown_round_kind_conflict_kind_and_duplicate_ids_are_refused():
    with pytest.raises(AssignmentError, match="round kind"):
        assign_juries(simple_juries(2), simple_teams(2), round_kind="semi")
    with pytest.raises(AssignmentError, match="conflict kind"):
        assign_juries(simple_juries(2), simple_teams(2), conflicts=[Conflict(100, "friend", 1)])
    with pytest.raises(AssignmentError, match="duplicate"):
        assign_juries([Jury(1), Jury(1)], simple_teams(2))


def test_same_seed_gives_the_same_plan_and_the_seed_changes_tie_breaks():
    judging = synthetic_judging(teams=60, juries=20, seed=3)
    first = assign_juries(judging.juries, judging.teams, k=3, seed=11, round_kind="final")
    again = assign_juries(list(reversed(judging.juries)), judging.teams, k=3, seed=11,
                          round_kind="final")
    other = assign_juries(judging.juries, judging.teams, k=3, seed=12, round_kind="final")
    assert first == again
    assert first.pairs != other.pairs


def test_no_teams_or_no_juries_gives_an_empty_plan():
    assert assign_juries(simple_juries(3), [], k=3).pairs == ()
    empty = assign_juries([], simple_teams(2), k=3)
    assert empty.pairs == () and empty.total_missing == 6 and empty.components == 0


def test_a_jury_that_alone_may_score_most_teams_takes_them_far_above_the_average_load():
    conflicts = [Conflict(101 + j, "team", t) for j in range(5) for t in range(1, 26)]
    plan = assign_juries(simple_juries(6), simple_teams(30), k=1, conflicts=conflicts)
    assert plan.loads[100] >= 25
    assert plan.complete and plan.components == 1
