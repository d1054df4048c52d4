"""Properties of the assignment over random small inputs."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crunchtime.scoring import Conflict, Jury, Team, assign_juries


@st.composite
def instances(draw):
    n_juries = draw(st.integers(1, 7))
    n_teams = draw(st.integers(1, 12))
    juries = [Jury(100 + j, organisation=draw(st.none() | st.integers(0, 3)))
              for j in range(n_juries)]
    teams = [Team(t, challenge=t, organisation=draw(st.integers(0, 3)),
                  students={10 * t + s for s in range(2)}) for t in range(n_teams)]
    kinds = st.sampled_from(["team", "organisation", "student"])
    conflicts = draw(st.lists(
        st.builds(Conflict, st.sampled_from([j.id for j in juries]), kinds, st.integers(0, 40)),
        max_size=10,
    ))
    return juries, teams, conflicts, draw(st.integers(1, 4)), draw(st.sampled_from(
        ["per_challenge", "final"]))


def forbidden(jury, team, conflicts, final: bool) -> bool:
    for conflict in conflicts:
        if conflict.jury != jury.id:
            continue
        if conflict.kind == "team" and conflict.target == team.id:
            return True
        if conflict.kind == "organisation" and conflict.target == team.organisation:
            return True
        if conflict.kind == "student" and conflict.target in team.students:
            return True
    return final and jury.organisation is not None and jury.organisation == team.organisation


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 3))
def test_assignment_never_violates_a_conflict_and_covers_each_team_as_far_as_possible(
    instance, seed
):
    juries, teams, conflicts, k, round_kind = instance
    plan = assign_juries(juries, teams, k=k, conflicts=conflicts, round_kind=round_kind,
                         seed=seed)
    by_id = {jury.id: jury for jury in juries}
    final = round_kind == "final"
    assert not any(forbidden(by_id[j], teams[t], conflicts, final) for j, t in plan.pairs)
    assert len(set(plan.pairs)) == len(plan.pairs)
    cover = Counter(team for _, team in plan.pairs)
    for team in teams:
        eligible = sum(not forbidden(jury, team, conflicts, final) for jury in juries)
        assert min(cover[team.id], k) == min(k, eligible)
        assert plan.missing.get(team.id, 0) == max(0, k - eligible)
    assert plan.total_missing == sum(plan.missing.values())
    allowed = [(j, t) for j in juries for t in teams if not forbidden(j, t, conflicts, final)]
    if connected(allowed):  # joining every jury is feasible: the plan does it
        assert plan.components == (1 if allowed else 0)


def connected(edges) -> bool:
    """Whether the jury–team pairs form one group (nodes without a pair left out)."""
    neighbours: dict = {}
    for jury, team in edges:
        neighbours.setdefault(("jury", jury.id), set()).add(("team", team.id))
        neighbours.setdefault(("team", team.id), set()).add(("jury", jury.id))
    if not neighbours:
        return True
    seen, todo = set(), [next(iter(neighbours))]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(neighbours[node] - seen)
    return len(seen) == len(neighbours)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.integers(1, 15), st.integers(2, 4), st.integers(0, 5))
def test_without_conflicts_loads_differ_by_at_most_one_and_the_graph_is_connected(
    n_juries, n_teams, k, seed
):
    juries = [Jury(j) for j in range(n_juries)]
    teams = [Team(t, challenge=t) for t in range(n_teams)]
    plan = assign_juries(juries, teams, k=k, seed=seed)
    assert plan.components == 1
    spread = max(plan.loads.values()) - min(plan.loads.values())
    assert spread <= (1 if plan.bridges == 0 else 2), (plan.loads, plan.bridges)
    assert plan.load_spread == spread


def test_a_jury_left_idle_joins_two_juries_that_may_not_score_each_others_teams():
    juries = [Jury(0), Jury(1), Jury(2)]
    teams = [Team(10, challenge=10), Team(11, challenge=11)]
    conflicts = [Conflict(1, "team", 11), Conflict(2, "team", 10)]
    for seed in range(6):  # some seeds leave jury 0 idle: 1–10 and 2–11 cannot be swapped
        plan = assign_juries(juries, teams, k=1, conflicts=conflicts, seed=seed)
        assert plan.components == 1, plan.pairs
        assert (1, 11) not in plan.pairs and (2, 10) not in plan.pairs
