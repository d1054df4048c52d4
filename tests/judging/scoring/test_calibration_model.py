"""The calibrated model: juries' scales and severities recovered, invariance to one jury's
shift or rescaling, scores at the ceiling read as "at least", warm refits, explanations."""

from __future__ import annotations

import itertools
import statistics

import numpy as np
import pytest
from scipy import stats

from crunchtime.scoring.assignment import assign_juries
from crunchtime.scoring.calibration import fit_calibration
from crunchtime.scoring.observations import CriterionScale, build_observations
from crunchtime.scoring.ranking import rank_teams
from crunchtime.scoring.simulation import (
    FAMILIES,
    Family,
    family_pairs,
    simulate_scores,
    synthetic_judging,
    top_recall,
)

PERCENT = {1: CriterionScale(weight=1.0, scale_min=0, scale_max=100)}
TEN = {c: CriterionScale(weight=1.0, scale_min=0, scale_max=10) for c in range(1, 6)}


def balanced_pairs(teams: int, juries: int, per_team: int, seed: int) -> list[tuple[int, int]]:
    """Each team seen by `per_team` distinct juries, loads equal, the graph well mixed."""
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(juries) for _ in range(teams * per_team // juries
                                                                     + 1)])
    pairs, at = [], 0
    for team in range(teams):
        chosen: list[int] = []
        while len(chosen) < per_team:
            jury = int(order[at % len(order)])
            at += 1
            if jury not in chosen:
                chosen.append(jury)
        pairs += [(1000 + jury, team + 1) for jury in chosen]
    return pairs


def continuous_world(seed: int, *, teams=120, juries=24, per_team=5):
    """Scores on 0–100 with no rounding to speak of and no score near a bound."""
    rng = np.random.default_rng(seed)
    quality = dict(enumerate(rng.normal(0, 1, teams), start=1))
    severity = {1000 + j: float(rng.normal(0, 0.5)) for j in range(juries)}
    slope = {1000 + j: float(rng.uniform(0.5, 1.5)) for j in range(juries)}
    scores = {}
    for jury, team in balanced_pairs(teams, juries, per_team, seed):
        latent = slope[jury] * (quality[team] + rng.normal(0, 0.3)) + severity[jury]
        scores[(jury, team, 1)] = float(np.clip(50 + 8 * latent, 1, 99))
    return scores, quality, severity, slope


def test_a_jurys_scale_and_severity_are_recovered_on_a_large_round():
    judging = synthetic_judging(teams=400, juries=40, seed=3, family="scale")
    pairs = balanced_pairs(400, 40, 5, seed=3)  # 50 teams per jury
    scores = simulate_scores(judging, pairs, seed=3)
    fit = fit_calibration(build_observations(scores, judging.criteria))
    juries = sorted(judging.slope)[:40]
    slope = [judging.slope[jury] for jury in juries]
    severity = [judging.severity[jury] for jury in juries]
    assert stats.pearsonr(fit.scale, slope).statistic > 0.95
    assert stats.pearsonr(fit.severity, severity).statistic > 0.95
    ratio = np.array(fit.scale) / np.array(slope)
    assert np.std(ratio) / np.mean(ratio) < 0.15  # the same slopes, up to one common unit


@pytest.mark.parametrize("change", ["shift", "rescale"])
def test_a_pure_shift_or_rescaling_of_one_jurys_scores_leaves_the_ranking_unchanged(change):
    scores, *_ = continuous_world(seed=11)
    jury = 1007
    changed = dict(scores)
    for cell, value in scores.items():
        if cell[0] == jury:
            changed[cell] = value + 12 if change == "shift" else 50 + 0.4 * (value - 50)
    assert all(0 < value < 100 for value in changed.values())
    before = rank_teams(scores, PERCENT, estimators=["calibrated"], draws=0)["calibrated"]
    after = rank_teams(changed, PERCENT, estimators=["calibrated"], draws=0)["calibrated"]
    assert after.order()[:10] == before.order()[:10]
    estimates = [{row.team: row.estimate for row in ranking.standings}
                 for ranking in (before, after)]
    teams = sorted(estimates[0])
    assert stats.spearmanr([estimates[0][t] for t in teams],
                           [estimates[1][t] for t in teams]).statistic > 0.999
    raw = rank_teams(changed, PERCENT, estimators=["raw"], draws=0)["raw"]
    assert raw.order()[:10] != before.order()[:10]  # the change does move a naive ranking


def test_a_team_at_the_ceiling_never_falls_below_a_team_all_its_juries_scored_lower():
    violations, checked = [], 0
    for seed in range(6):
        judging = synthetic_judging(teams=90, juries=30, seed=seed, family="ceiling")
        # Overlapping panels: teams 3p+1..3p+3 seen by juries p, p+1, p+2 (mod 30), so
        # the three teams of a panel share their juries and the panels are connected.
        pairs = [(judging.juries[(panel + offset) % 30].id, 3 * panel + number)
                 for panel in range(30) for number in (1, 2, 3) for offset in range(3)]
        scores = simulate_scores(judging, pairs, seed=seed)
        obs = build_observations(scores, judging.criteria)
        ranking = rank_teams(scores, judging.criteria, estimators=["calibrated"],
                             draws=0)["calibrated"]
        rank = {row.team: row.rank for row in ranking.standings}
        rows = {}
        for jury, team, value in zip(obs.jury, obs.team, obs.value, strict=True):
            rows.setdefault(obs.team_ids[team], {})[obs.jury_ids[jury]] = value
        at_top = {team for team, given in rows.items() if min(given.values()) == 1.0}
        assert at_top, "the family must put some teams at the ceiling"
        for high, low in itertools.permutations(rows, 2):
            dominated = high in at_top and rows[high].keys() == rows[low].keys() and all(
                rows[high][jury] > rows[low][jury] for jury in rows[high])
            checked += dominated
            if dominated and rank[high] > rank[low]:
                violations.append((seed, high, low))
    assert checked >= 20, checked
    assert violations == []


def test_ten_out_of_ten_from_a_generous_jury_is_read_as_at_least_ten():
    """Juries N and N2 agree; G gives three points more, so 10/10 from G means "at least".
    Team 9 (N: 9, G: 10) and team 10 (N: 9, N2: 9) are equally good. Subtracting G's
    generosity from a 10 that could not go higher pulls team 9 down; read as censored,
    the 10 keeps it level with team 10."""
    neutral, generous, other = 1, 2, 3
    scores = {}
    for team in range(1, 9):
        for criterion in TEN:
            scores[(neutral, team, criterion)] = team - 1
            scores[(other, team, criterion)] = team - 1
            scores[(generous, team, criterion)] = team + 2
    for criterion in TEN:
        scores[(neutral, 9, criterion)] = 9
        scores[(generous, 9, criterion)] = 10
        scores[(neutral, 10, criterion)] = 9
        scores[(other, 10, criterion)] = 9
    rankings = rank_teams(scores, TEN, estimators=["calibrated", "additive"], draws=0)
    estimate = {name: {row.team: row.estimate for row in ranking.standings}
                for name, ranking in rankings.items()}
    assert estimate["additive"][9] < estimate["additive"][10] - 0.05
    assert estimate["calibrated"][9] == pytest.approx(estimate["calibrated"][10], abs=0.02)
    assert rankings["calibrated"].order()[:2] in ([9, 10], [10, 9])


def test_identical_criteria_count_once_halo_does_not_shrink_the_interval():
    """A jury giving one value to every criterion of a team says one thing, not five."""
    scores, *_ = continuous_world(seed=5, teams=40, juries=10, per_team=3)
    single = rank_teams(scores, PERCENT, estimators=["calibrated"], draws=0)["calibrated"]
    five = {c: CriterionScale(1.0, 0, 100) for c in range(1, 6)}
    repeated = {(j, t, c): v for (j, t, _one), v in scores.items() for c in five}
    halo = rank_teams(repeated, five, estimators=["calibrated"], draws=0)["calibrated"]
    for one, many in zip(single.standings, halo.standings, strict=True):
        assert (one.team, one.ci_low, one.ci_high) == pytest.approx(
            (many.team, many.ci_low, many.ci_high), rel=1e-6)


def test_a_warm_refit_agrees_with_a_cold_fit_in_fewer_steps():
    judging = synthetic_judging(seed=4, family="mixed")
    plan = assign_juries(judging.juries, judging.teams, k=3, conflicts=judging.conflicts,
                         seed=4)
    scores = simulate_scores(judging, family_pairs(judging, plan.pairs, seed=4), seed=4)
    cells = sorted(scores)
    earlier = fit_calibration(build_observations({c: scores[c] for c in cells[:-40]},
                                                 judging.criteria))
    obs = build_observations(scores, judging.criteria)
    cold = fit_calibration(obs)
    warm = fit_calibration(obs, warm=earlier.state)
    assert warm.steps < cold.steps
    assert warm.effects.quality == pytest.approx(cold.effects.quality, abs=2e-3)
    assert stats.spearmanr(warm.effects.quality, cold.effects.quality).statistic > 0.999


def test_a_teams_position_is_explained_by_its_raw_mean_and_each_jurys_correction():
    scores, *_ = continuous_world(seed=8, teams=60, juries=12, per_team=3)
    scores = {cell: value for cell, value in scores.items()}
    harsh = 1003
    for cell in [cell for cell in scores if cell[0] == harsh]:
        scores[cell] = max(1.0, scores[cell] - 20)
    ranking = rank_teams(scores, PERCENT, estimators=["calibrated"], draws=0)["calibrated"]
    for row in ranking.standings:
        explanation = ranking.explanations[row.team]
        given = [scores[(j.jury, row.team, 1)] / 100 for j in explanation.juries]
        assert explanation.raw_mean == pytest.approx(statistics.fmean(given))
        assert [j.observed for j in explanation.juries] == pytest.approx(given)
        weights = np.array([j.scale ** 2 for j in explanation.juries])
        corrected = np.array([j.corrected for j in explanation.juries])
        assert explanation.estimate == pytest.approx(row.estimate)
        assert row.estimate == pytest.approx(float(weights @ corrected / weights.sum()),
                                             abs=1e-9)
    harsh_corrections = [j.correction for e in ranking.explanations.values() for j in e.juries
                         if j.jury == harsh]
    assert harsh_corrections and min(harsh_corrections) > 0.1


@pytest.mark.parametrize("family", ["ceiling", "scale"])
def test_the_calibrated_model_finds_more_of_the_top_10_than_severity_alone(family):
    recall = {"additive": [], "calibrated": [], "raw": []}
    for seed in range(8):
        judging = synthetic_judging(seed=seed, family=family)
        plan = assign_juries(judging.juries, judging.teams, k=3,
                             conflicts=judging.conflicts, seed=seed)
        scores = simulate_scores(judging, plan.pairs, seed=seed)
        rankings = rank_teams(scores, judging.criteria, estimators=list(recall), draws=0)
        for name, ranking in rankings.items():
            recall[name].append(top_recall(ranking, judging.quality))
    mean = {name: statistics.fmean(values) for name, values in recall.items()}
    assert mean["calibrated"] > mean["additive"] + 0.05
    assert mean["calibrated"] > mean["raw"] + 0.05


def test_every_family_is_seeded_and_the_original_family_is_unchanged():
    assert set(FAMILIES) >= {"severity", "scale", "ceiling", "floor", "halo", "harsh_few",
                             "unbalanced"}
    first = synthetic_judging(teams=30, juries=10, seed=1, family="halo")
    again = synthetic_judging(teams=30, juries=10, seed=1, family="halo")
    pairs = [(jury.id, team.id) for jury in first.juries[:3] for team in first.teams[:5]]
    assert simulate_scores(first, pairs, seed=2) == simulate_scores(again, pairs, seed=2)
    original = synthetic_judging(teams=30, juries=10, seed=1)
    assert original.family == Family() and original.quality == first.quality
    assert original.severity == synthetic_judging(teams=30, juries=10, seed=1,
                                                  family=Family(halo_sd=0.5)).severity


def test_unbalanced_loads_keep_each_teams_number_of_juries():
    judging = synthetic_judging(teams=120, juries=40, seed=2, family="unbalanced")
    plan = assign_juries(judging.juries, judging.teams, k=3, conflicts=judging.conflicts,
                         seed=2)
    pairs = family_pairs(judging, plan.pairs, seed=2)
    per_team = {team: sum(1 for _j, t in pairs if t == team) for team in judging.quality}
    assert set(per_team.values()) == {3} and len(set(pairs)) == len(pairs)
    loads = sorted(sum(1 for j, _t in pairs if j == jury.id) for jury in judging.juries)
    assert loads[-1] >= 3 * loads[len(loads) // 2]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_schur_complement_over_team_pairs_equals_the_dense_product(seed):
    """The joint step sums the teams out over pairs of rows of one team (calibration
    _TeamPairs); it must give what the dense teams × juries algebra gives, whatever each
    team's number of rows (one, several, a jury twice on a team)."""
    from crunchtime.scoring.calibration import _joint_terms, _team_pairs

    rng = np.random.default_rng(seed)
    n_juries, n_teams = 7, 12
    team = np.concatenate([np.arange(n_teams), rng.integers(0, n_teams, 30)])
    jury = rng.integers(0, n_juries, len(team))
    rows = rng.normal(0, 0.2, len(team))
    scale = np.exp(rng.normal(0, 0.3, n_juries))
    ridge, quality_ridge = 0.7, 0.2

    weight = scale[jury] ** 2
    values = rows / scale[jury]
    cross = np.zeros((n_teams, n_juries))
    np.add.at(cross, (team, jury), weight)
    per_team = cross.sum(axis=1) + quality_ridge
    team_sums = np.bincount(team, weights=weight * values, minlength=n_teams)
    jury_sums = np.bincount(jury, weights=weight * values, minlength=n_juries)
    scaled = cross / per_team[:, None]
    schur = np.diag(cross.sum(axis=0) + ridge) - cross.T @ scaled
    shift = np.linalg.solve(schur, jury_sums - scaled.T @ team_sums)
    quality = (team_sums - cross @ shift) / per_team

    pairs = _team_pairs(jury, team, n_juries, n_teams)
    assert len(pairs.first) == sum(count**2 for count in np.bincount(team))
    severity, fitted = _joint_terms(rows, jury, team, pairs, scale, n_juries, n_teams, ridge,
                                    quality_ridge)
    np.testing.assert_allclose(fitted, quality, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(severity, shift * scale, rtol=1e-10, atol=1e-12)
