"""The whole pipeline on demo cohorts: valid, certified, seeded, pruning loss measured."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crunchtime.matching import MatchingParameters, run_matching
from crunchtime.matching.baseline import greedy_assignment, greedy_objective
from crunchtime.matching.units import build_units, rank_matrix
from tests.matching.helpers import cohort_inputs
from tests.matching.test_relaxation import demo_problem

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_run():
    students, challenges = cohort_inputs(420, seed=6)
    return students, challenges, run_matching(students, challenges, MatchingParameters(seed=6))


def test_demo_matching_is_valid_certified_and_near_its_bound(demo_run):
    students, _, result = demo_run
    m = result.metrics
    assert all(m[k] == 0 for k in ("capacity_violations", "size_violations", "group_violations",
                                   "unplaced_students", "duplicate_placements"))
    assert m["certified_optimal"] and m["objective_ratio_to_lp_bound"] >= 0.999
    assert m["team_diversity_ratio"] >= 0.99 and m["fit_auc"] > 0.75
    assert len(result.placements) == len(students)
    assert {"fit_seconds", "assign_seconds", "teams_seconds"} <= m.keys()


def test_placements_carry_utility_rank_and_explanation(demo_run):
    _, _, result = demo_run
    for placement in result.placements:
        assert placement.explanation.rank == placement.rank
        assert (placement.rank is None) == (placement.explanation.kind != "choice")
        team = next(t for t in result.teams if placement.student_id in t.student_ids)
        assert (team.challenge_code, team.index) == (placement.challenge_code,
                                                    placement.team_index)


def test_same_seed_gives_the_same_matching(demo_run):
    students, challenges, result = demo_run
    again = run_matching(students, challenges, MatchingParameters(seed=6))
    assert again.teams == result.teams and again.placements == result.placements


def test_diversity_cap_holds_and_costs_little():
    students, challenges = cohort_inputs(300, seed=7)
    free = run_matching(students, challenges, MatchingParameters())
    capped = run_matching(students, challenges, MatchingParameters(max_same_programme_per_team=2))
    assert capped.metrics["programme_cap_violations"] == 0
    assert capped.metrics["objective_ratio_to_lp_bound"] >= 0.999
    assert capped.metrics["objective"] <= free.metrics["objective"] + 1e-6


def pruned_share(students, challenges, fit, params) -> float:
    """The share of (unit, challenge) edges the candidate pruning keeps."""
    units = build_units(students, challenges, rank_matrix(students, challenges), fit, params)
    return float(units.allowed.mean())


@pytest.mark.parametrize(("k", "largest_loss"), [(20, 1e-6), (10, 2e-3), (3, 1.5e-2)])
def test_candidate_pruning_loss_against_the_unpruned_optimum(k, largest_loss):
    """Measured on demo editions of 600 students and 30 challenges (more than every K, so
    each K prunes), seeds 1-3: K=3 keeps 16 % of the edges and loses 0.48-0.97 % of the
    objective, K=10 keeps 35 % and loses 0.02-0.10 %, K=20 keeps 67 % and loses nothing.
    (At 1,700 students and 61 challenges, K=25 lost 0-0.08 %: see the matching report; the
    default keeps every edge below a million, so pruning is forced here.)"""
    for seed in (1, 3):
        students, challenges = cohort_inputs(600, seed=seed, challenges=30)
        params = MatchingParameters(candidates_per_student=k, prune_above_edges=0)
        pruned = run_matching(students, challenges, params)
        assert pruned_share(students, challenges, pruned.fit, params) < 0.9
        full = run_matching(students, challenges,
                            MatchingParameters(candidates_per_student=None))
        loss = 1 - pruned.metrics["objective"] / full.metrics["objective"]
        assert -1e-9 <= loss <= largest_loss


def test_pins_are_honoured_and_explained():
    students, challenges = cohort_inputs(150, seed=8)
    loner = next(s for s in students if s.group is None and s.choices)
    target = next(c.code for c in challenges if c.code not in loner.choices)
    result = run_matching(students, challenges, MatchingParameters(pins={loner.id: target}))
    placement = next(p for p in result.placements if p.student_id == loner.id)
    assert placement.challenge_code == target and placement.explanation.kind == "pinned"
    assert result.metrics["outside_choices_by_reason"].get("pinned") == 1


def test_greedy_baseline_never_beats_the_optimum():
    problem = demo_problem(300, seed=3)
    columns = greedy_assignment(problem)
    assert columns.shape == (problem.n_units,)
    result_bound = run_matching(*cohort_inputs(300, seed=3)).metrics["lp_bound"]
    assert greedy_objective(problem) <= result_bound


def test_benchmark_prints_one_json_object_on_its_last_line():
    run = subprocess.run([sys.executable, str(ROOT / "scripts/bench/matching.py"),
                          "--students", "300", "--seed", "3"],
                         capture_output=True, text=True, check=True, cwd=ROOT, timeout=120)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["bench"] == "matching" and figures["students"] == 300
    assert figures["violations"] == 0
    assert {"seconds", "fit_seconds", "assign_seconds", "teams_seconds", "peak_mb",
            "objective_ratio_to_lp_bound", "first_choice_share", "top3_share",
            "greedy_objective_ratio", "greedy_seconds", "fit_auc",
            "team_diversity_ratio", "objective_ratio_to_full_lp_bound"} <= figures.keys()
    assert figures["greedy_seconds"] > 0
    # The unpruned bound is at least the pruned one: the ratio to it can only be lower.
    full = figures["objective_ratio_to_full_lp_bound"]
    assert 0.99 < full <= figures["objective_ratio_to_lp_bound"] + 1e-6


def test_small_problems_keep_every_edge_and_large_ones_are_pruned():
    students, challenges = cohort_inputs(600, seed=1, challenges=30)
    kept = run_matching(students, challenges, MatchingParameters(candidates_per_student=5))
    assert pruned_share(students, challenges, kept.fit,
                        MatchingParameters(candidates_per_student=5)) == 1.0
    forced = MatchingParameters(candidates_per_student=5, prune_above_edges=100)
    assert pruned_share(students, challenges, kept.fit, forced) < 0.5
