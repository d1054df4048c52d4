"""The three estimators: normalisation, calibration, uncertainty, tie-breaks, edge cases."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from crunchtime.scoring import CriterionScale, RankingError, rank_teams
from crunchtime.scoring.assignment import assign_juries
from crunchtime.scoring.jury_effects import fit_jury_effects
from crunchtime.scoring.observations import build_observations
from crunchtime.scoring.ranking import (
    FLAG_DISCONNECTED,
    FLAG_NO_REPLICATION,
    FLAG_SINGLE_JURY,
    FLAG_UNSCORED,
)
from crunchtime.scoring.simulation import simulate_scores, synthetic_judging

RUBRIC = {1: CriterionScale(weight=2, scale_min=0, scale_max=10),
          2: CriterionScale(weight=1, scale_min=1, scale_max=5)}
PERCENT = {1: CriterionScale(weight=1, scale_min=0, scale_max=100)}
QUALITY = {1: 0.70, 2: 0.65, 3: 0.60, 4: 0.55, 5: 0.50, 6: 0.45}
SEVERITY = {1: -0.2, 2: 0.0, 3: 0.2}
PANELS = {1: (1, 2), 2: (1, 2), 3: (1, 3), 4: (2, 3), 5: (3, 2), 6: (3, 1)}


def planted_scores(panels=PANELS) -> dict:
    """Noise-free additive scores on a 0–100 scale: the raw mean puts team 4 first."""
    return {(jury, team, 1): round(100 * (QUALITY[team] + SEVERITY[jury]))
            for team, juries in panels.items() for jury in juries}


def estimates(ranking) -> dict[int, float]:
    return {row.team: row.estimate for row in ranking.standings}


def small_edition(seed: int = 1):
    judging = synthetic_judging(teams=60, juries=20, challenges=12, organisations=8, seed=seed)
    plan = assign_juries(judging.juries, judging.teams, k=3, seed=seed)
    return judging, simulate_scores(judging, plan.pairs, seed=seed)


def test_raw_mean_scales_each_criterion_to_0_1_and_weights_it():
    scores = {(1, 10, 1): 10, (1, 10, 2): 3, (2, 10, 1): 5, (2, 10, 2): 5,
              (1, 11, 1): 0, (1, 11, 2): 1, (3, 11, 2): 5}
    raw = rank_teams(scores, RUBRIC, estimators=["raw"])["raw"]
    assert estimates(raw)[10] == pytest.approx((2.5 / 3 + 2 / 3) / 2)
    assert estimates(raw)[11] == pytest.approx(0.5)
    first, second = raw.standings
    assert (first.team, first.n_scores, first.n_juries) == (10, 4, 2)
    assert (second.team, second.n_scores, second.n_juries) == (11, 3, 2)


def test_jury_effect_model_undoes_a_lenient_jury_that_misleads_the_raw_mean():
    rankings = rank_teams(planted_scores(), PERCENT, top_k=2)
    truth = sorted(QUALITY, key=QUALITY.get, reverse=True)
    assert rankings["raw"].order()[0] == 4
    assert rankings["calibrated"].order() == truth
    severities = rankings["calibrated"].severities
    assert [round(severities[j], 2) for j in (1, 2, 3)] == [-0.2, 0.0, 0.2]


def test_jury_effect_fit_recovers_planted_effects_with_a_negligible_ridge():
    scores = planted_scores()
    jury = np.array([j - 1 for j, _, _ in scores])
    team = np.array([t - 1 for _, t, _ in scores])
    values = np.array(list(scores.values())) / 100
    fit = fit_jury_effects(jury, team, values, 3, 6, ridge=1e-9)
    assert fit.quality == pytest.approx([QUALITY[t] for t in range(1, 7)], abs=1e-6)
    assert fit.severity == pytest.approx([SEVERITY[j] for j in (1, 2, 3)], abs=1e-6)


def test_severities_sum_to_zero_within_each_component_of_a_disconnected_graph():
    panels = {1: (1, 2), 2: (1, 2), 3: (2,), 4: (3, 4), 5: (3, 4), 6: (4,)}
    severity = {1: -0.2, 2: 0.0, 3: 0.1, 4: 0.3}
    scores = {(j, t, 1): round(100 * (QUALITY[t] + severity[j]))
              for t, juries in panels.items() for j in juries}
    calibrated = rank_teams(scores, PERCENT, estimators=["calibrated"])["calibrated"]
    assert calibrated.components == 2
    assert FLAG_DISCONNECTED in calibrated.flags
    assert calibrated.severities[1] + calibrated.severities[2] == pytest.approx(0, abs=1e-9)
    assert calibrated.severities[3] + calibrated.severities[4] == pytest.approx(0, abs=1e-9)


def test_teams_without_scores_rank_last_by_id_and_are_flagged():
    rankings = rank_teams(planted_scores(), PERCENT, teams=[99, 98, 1])
    for ranking in rankings.values():
        last = ranking.standings[-2:]
        assert [row.team for row in last] == [98, 99]
        assert [row.rank for row in last] == [7, 8]
        assert all(not row.scored and row.estimate is None and row.p_top_k == 0 for row in last)
        assert FLAG_UNSCORED in ranking.flags


def test_no_scores_at_all_ranks_every_team_as_unscored():
    rankings = rank_teams({}, PERCENT, teams=[2, 1])
    for ranking in rankings.values():
        assert ranking.order() == [1, 2]
        assert ranking.components == 0


def test_a_single_jury_ranks_by_its_scores_and_says_intervals_cannot_be_estimated():
    scores = {(7, 1, 1): 40, (7, 2, 1): 90, (7, 3, 1): 60}
    rankings = rank_teams(scores, PERCENT, top_k=2)
    for ranking in rankings.values():
        assert ranking.order() == [2, 3, 1]
        assert {FLAG_SINGLE_JURY, FLAG_NO_REPLICATION} <= set(ranking.flags)
        assert all(row.ci_low is None and row.ci_high is None for row in ranking.standings)
        assert [row.p_top_k for row in ranking.standings] == [1.0, 1.0, 0.0]
    assert rankings["calibrated"].severities == {7: pytest.approx(0.0)}


def test_ties_break_by_number_of_scores_then_by_team_id():
    scores = {(1, 3, 1): 50, (1, 1, 1): 50, (1, 2, 1): 50, (2, 2, 1): 50}
    raw = rank_teams(scores, PERCENT, estimators=["raw"])["raw"]
    assert raw.order() == [2, 1, 3]
    assert [row.rank for row in raw.standings] == [1, 2, 3]


def test_intervals_hold_the_estimate_and_top_k_probabilities_add_up_to_k():
    judging, scores = small_edition()
    rankings = rank_teams(scores, judging.criteria, top_k=5, draws=500, seed=3)
    for ranking in rankings.values():
        rows = ranking.standings
        assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
        assert all(row.ci_low < row.estimate < row.ci_high for row in rows)
        assert sum(row.p_top_k for row in rows) == pytest.approx(5)
        assert all(0 <= row.p_top_k <= 1 for row in rows)
        assert ranking.flags == ()


def test_the_same_seed_gives_the_same_rankings():
    judging, scores = small_edition(seed=2)
    first = rank_teams(scores, judging.criteria, draws=300, seed=9)
    assert first == rank_teams(dict(reversed(scores.items())), judging.criteria, draws=300,
                               seed=9)


def test_posterior_draws_and_intervals_match_the_dense_covariance():
    _, scores = small_edition(seed=5)
    juries = sorted({j for j, _, _ in scores})
    teams = sorted({t for _, t, _ in scores})
    pairs = sorted({(j, t) for j, t, _ in scores})
    jury = np.array([juries.index(j) for j, _ in pairs])
    team = np.array([teams.index(t) for _, t in pairs])
    values = np.random.default_rng(0).normal(size=len(pairs))
    fit = fit_jury_effects(jury, team, values, len(juries), len(teams))
    design = np.zeros((len(pairs), len(teams) + len(juries)))
    design[np.arange(len(pairs)), team] = 1
    design[np.arange(len(pairs)), len(teams) + jury] = 1
    precision = design.T @ design + np.diag([0.0] * len(teams) + [fit.ridge] * len(juries))
    covariance = fit.residual_variance * np.linalg.inv(precision)[: len(teams), : len(teams)]
    assert fit.quality_std**2 == pytest.approx(np.diag(covariance), rel=1e-8)
    solution = np.linalg.solve(precision, design.T @ values)
    assert fit.quality == pytest.approx(solution[: len(teams)], abs=1e-9)
    draws = fit.draw_qualities(np.random.default_rng(1), 40_000)
    assert draws.mean(axis=0) == pytest.approx(fit.quality, abs=0.05)
    assert np.cov(draws.T) == pytest.approx(covariance, abs=0.02)


def test_ridge_estimated_by_em_stays_within_its_bounds_and_shrinks_severities():
    judging, scores = small_edition(seed=6)
    calibrated = rank_teams(scores, judging.criteria, estimators=["calibrated"])["calibrated"]
    planted = [judging.severity[j] for j in sorted(calibrated.severities)]
    fitted = [calibrated.severities[j] for j in sorted(calibrated.severities)]
    assert np.corrcoef(planted, fitted)[0, 1] > 0.8
    assert math.fsum(fitted) == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize(
    ("scores", "options", "message"),
    [
        ({(1, 1, 9): 5}, {}, "unknown criterion"),
        ({(1, 1, 1): 101}, {}, "off the scale"),
        ({(1, 1, 1): 50}, {"estimators": ["median"]}, "unknown estimator"),
        ({(1, 1, 1): 50}, {"top_k": 0}, "top_k"),
        ({(1, 1, 1): 50}, {"level": 1.5}, "level"),
    ],
)
def test_unrankable_input_is_refused_with_the_reason(scores, options, message):
    with pytest.raises(RankingError, match=message):
        rank_teams(scores, PERCENT, **options)


def test_a_round_without_teams_or_scores_ranks_nobody():
    """The live board of an edition whose round exists before the matching (no teams yet)."""
    rankings = rank_teams({}, RUBRIC, teams=[], draws=0)
    assert all(ranking.standings == () and ranking.components == 0
               for ranking in rankings.values())


def reference_observations(scores, criteria, teams=()):
    """The plain loop build_observations must equal, bit for bit."""
    totals = {}
    for (jury, team, criterion), value in sorted(scores.items()):
        scale = criteria[criterion]
        total = totals.setdefault((jury, team), [0.0, 0.0, 0])
        total[0] += scale.weight * scale.normalise(value)
        total[1] += scale.weight
        total[2] += 1
    return totals, tuple(sorted(set(teams) | {team for _jury, team in totals}))


@pytest.mark.parametrize("seed", range(40))
def test_observations_equal_a_plain_loop_over_the_sorted_scores(seed):
    rng = random.Random(seed)
    criteria = {c: CriterionScale(rng.choice([0.5, 1.0, 3.3]), 0, rng.choice([5, 10, 20]))
                for c in rng.sample(range(1, 50), rng.randint(1, 5))}
    scores = {}
    for _ in range(rng.randint(0, 300)):
        criterion = rng.choice(list(criteria))
        cell = (rng.randint(1, 20), rng.randint(1, 40), criterion)
        scores[cell] = float(rng.randint(0, int(criteria[criterion].scale_max)))
    teams = rng.sample(range(1, 60), rng.randint(0, 8))
    obs = build_observations(scores, criteria, teams)
    totals, team_ids = reference_observations(scores, criteria, teams)
    assert obs.team_ids == team_ids
    rows = [(obs.jury_ids[j], obs.team_ids[t]) for j, t in zip(obs.jury, obs.team, strict=True)]
    assert rows == sorted(totals)
    assert obs.value.tolist() == [totals[row][0] / totals[row][1] for row in rows]
    assert obs.n_criteria.tolist() == [totals[row][2] for row in rows]


def test_observations_refuse_unknown_criteria_and_values_off_the_scale():
    with pytest.raises(RankingError, match="unknown criterion 99"):
        build_observations({(1, 2, 99): 3.0}, {1: CriterionScale()})
    with pytest.raises(RankingError, match="off the scale"):
        build_observations({(1, 2, 1): 11.0}, {1: CriterionScale()})
