"""Planted truth, real assignment, simulated juries: calibration must beat the raw mean."""

from __future__ import annotations

import statistics

import pytest

from crunchtime.scoring.assignment import assign_juries
from crunchtime.scoring.ranking import rank_teams
from crunchtime.scoring.simulation import (
    simulate_scores,
    spearman_to_truth,
    synthetic_judging,
    top_recall,
)

SEEDS = range(30)
COMPARED = ("raw", "zscore", "calibrated")


def judge(seed: int) -> dict[str, tuple[float, float]]:
    """(Spearman, top-10 recall) of each estimator for one synthetic edition."""
    judging = synthetic_judging(teams=300, juries=100, seed=seed)
    plan = assign_juries(judging.juries, judging.teams, k=3, conflicts=judging.conflicts,
                         seed=seed)
    assert plan.complete and plan.components == 1 and plan.load_spread <= 1
    scores = simulate_scores(judging, plan.pairs, seed=seed)
    rankings = rank_teams(scores, judging.criteria, estimators=COMPARED, draws=0, seed=seed)
    return {
        name: (spearman_to_truth(ranking, judging.quality), top_recall(ranking, judging.quality))
        for name, ranking in rankings.items()
    }


@pytest.fixture(scope="module")
def outcomes() -> list[dict[str, tuple[float, float]]]:
    results = [judge(seed) for seed in SEEDS]
    for name in COMPARED:
        print(f"{name}: mean Spearman {statistics.fmean(r[name][0] for r in results):.4f}, "
              f"top-10 recall {statistics.fmean(r[name][1] for r in results):.3f}")
    return results


def test_jury_effect_model_ranks_closer_to_the_truth_than_the_raw_mean_by_spearman(outcomes):
    raw = [outcome["raw"][0] for outcome in outcomes]
    calibrated = [outcome["calibrated"][0] for outcome in outcomes]
    assert statistics.fmean(calibrated) > statistics.fmean(raw) + 0.03
    better = sum(c > r for c, r in zip(calibrated, raw, strict=True))
    assert better >= 0.9 * len(outcomes)


def test_jury_effect_model_finds_more_of_the_true_top_10_than_the_raw_mean(outcomes):
    raw = [outcome["raw"][1] for outcome in outcomes]
    calibrated = [outcome["calibrated"][1] for outcome in outcomes]
    assert statistics.fmean(calibrated) > statistics.fmean(raw) + 0.05
    better = sum(c > r for c, r in zip(calibrated, raw, strict=True))
    worse = sum(c < r for c, r in zip(calibrated, raw, strict=True))
    assert better >= 0.6 * len(outcomes)
    assert worse <= 0.15 * len(outcomes)


def test_zscore_sits_between_raw_and_calibrated_on_spearman(outcomes):
    means = {name: statistics.fmean(o[name][0] for o in outcomes) for name in COMPARED}
    assert means["raw"] < means["zscore"] < means["calibrated"]
