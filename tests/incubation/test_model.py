"""The classifier trained on past decisions (pure): on synthetic past editions with planted
decisions, its held-out precision@10 beats ranking by the raw jury score alone."""

from __future__ import annotations

import pytest

from crunchtime.incubation import ModelUnavailable, edition_features, train_model
from crunchtime.incubation.evaluation import precision_at_k, roc_auc
from crunchtime.incubation.synthetic import synthetic_edition

SEEDS = range(5)


def trained(seed: int, teams: int = 300):
    edition = synthetic_edition(teams, seed=seed)
    features = edition_features(edition.teams)
    rows = [features[team.team_id].vector() for team in edition.teams]
    raw = [team.raw_score for team in edition.teams]
    return edition, train_model(rows, edition.incubated, raw, seed=seed)


def test_the_classifier_beats_the_raw_jury_score_on_held_out_teams(capsys):
    results = [trained(seed)[1].evaluation for seed in SEEDS]
    model = sum(r.precision_at_k for r in results) / len(results)
    raw = sum(r.baseline_precision_at_k for r in results) / len(results)
    with capsys.disabled():
        for seed, r in zip(SEEDS, results, strict=True):
            print(f"\nseed {seed}: precision@10 classifier {r.precision_at_k:.2f} vs raw score "
                  f"{r.baseline_precision_at_k:.2f}; ROC AUC {r.roc_auc:.3f} vs "
                  f"{r.baseline_roc_auc:.3f}")
        print(f"mean precision@10 over {len(results)} synthetic past editions: classifier "
              f"{model:.2f}, raw jury score {raw:.2f}")
    assert model > raw
    assert all(r.precision_at_k >= r.baseline_precision_at_k for r in results)
    assert all(r.roc_auc > r.baseline_roc_auc for r in results)


def test_the_model_is_deterministic_and_its_probabilities_are_calibrated_shares():
    edition, first = trained(0, teams=200)
    _edition, second = trained(0, teams=200)
    assert first.evaluation == second.evaluation
    features = edition_features(edition.teams)
    probabilities = first.probabilities([features[t.team_id].vector() for t in edition.teams])
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    mean = sum(probabilities) / len(probabilities)
    assert abs(mean - sum(edition.incubated) / len(edition.incubated)) < 0.05
    assert first.coefficients["continuation"] > 0


def test_too_few_past_decisions_refuse_to_train_and_say_how_many():
    rows = [[0.5] * 8 for _ in range(30)]
    labels = [i < 3 for i in range(30)]
    with pytest.raises(ModelUnavailable) as refused:
        train_model(rows, labels, [0.5] * 30)
    assert refused.value.code == "too_few_decisions"
    assert refused.value.params == {"positives": 3, "negatives": 27, "needed": 6}


def test_precision_at_k_and_auc_on_a_known_ranking():
    labels = [True, False, True, False, False]
    scores = [0.9, 0.8, 0.7, None, 0.1]
    assert precision_at_k(labels, scores, 2) == 0.5
    assert precision_at_k(labels, scores, 10) == 0.4
    assert roc_auc(labels, scores) == pytest.approx(5 / 6)
    assert roc_auc([True, True], [0.1, 0.2]) is None
