"""The transparent score (pure): weights that make a usable score, features relative to the
edition, and the reasons each team is flagged for."""

from __future__ import annotations

import math

import pytest

from crunchtime.incubation import (
    DEFAULT_WEIGHTS,
    SIGNALS,
    TeamSignals,
    WeightsError,
    check_weights,
    edition_features,
    explain,
    transparent_scores,
)
from crunchtime.incubation.features import percentiles, top_percent


def test_default_weights_add_up_to_100_and_are_accepted():
    assert set(DEFAULT_WEIGHTS) == set(SIGNALS)
    assert check_weights(DEFAULT_WEIGHTS) == {name: float(DEFAULT_WEIGHTS[name])
                                              for name in SIGNALS}


@pytest.mark.parametrize("change, code", [
    ({"jury_score": 20}, "bad_total"),
    ({"jury_score": -5, "nominations": 55}, "negative"),
    ({"jury_score": 130, "nominations": -80}, "too_large"),
    ({"jury_score": "beaucoup"}, "not_a_number"),
    ({"jury_score": math.nan}, "not_a_number"),
    ({"jury_score": math.inf}, "not_a_number"),
    ({"charisma": 10}, "unknown_signal"),
])
def test_weights_that_make_no_usable_score_are_refused_with_the_reason(change, code):
    with pytest.raises(WeightsError) as refused:
        check_weights({**DEFAULT_WEIGHTS, **change})
    assert refused.value.code == code


def test_all_zero_weights_and_a_single_weight_above_100_are_refused():
    with pytest.raises(WeightsError) as zero:
        check_weights(dict.fromkeys(SIGNALS, 0))
    assert zero.value.code == "all_zero"
    with pytest.raises(WeightsError) as large:
        check_weights({"jury_score": 150})
    assert large.value.code == "too_large"


def test_a_total_of_90_names_the_total():
    with pytest.raises(WeightsError) as refused:
        check_weights({**DEFAULT_WEIGHTS, "jury_score": 20})
    assert refused.value.params == {"total": 90.0, "expected": 100}


def test_missing_signals_count_zero_so_one_signal_at_100_is_usable():
    assert check_weights({"jury_score": 100})["nominations"] == 0


def test_percentiles_rank_teams_and_share_ties():
    assert percentiles({1: 0.2, 2: 0.8, 3: 0.5, 4: None}) == {1: 0.0, 2: 1.0, 3: 0.5}
    assert percentiles({1: 0.5, 2: 0.5}) == {1: 0.5, 2: 0.5}
    assert top_percent({i: float(i) for i in range(1, 21)})[20] == 5


def team(team_id: int, **fields) -> TeamSignals:
    base = {"calibrated_score": 0.5, "score_low": 0.4, "score_high": 0.6, "raw_score": 0.5,
            "juries": 4, "parts_total": 9, "parts_done": 9,
            "text": f"Projet {team_id} : une plateforme différente {'x' * team_id}"}
    return TeamSignals(team_id=team_id, **{**base, **fields})


def test_features_lie_between_0_and_1_and_the_score_is_their_weighted_sum():
    teams = [team(1, calibrated_score=0.9, nominations=3, wants_to_continue=True,
                  has_plan=True, interested=("Alstom",), nomination_means={"impact": 5.0}),
             team(2, calibrated_score=0.3, parts_done=0), team(3)]
    features = edition_features(teams)
    for item in features.values():
        assert all(0.0 <= value <= 1.0 for value in item.values.values())
    best = features[1].values
    assert best["jury_score"] == 1.0 and best["nominations"] == 0.75
    assert best["continuation"] == 1.0 and best["company_interest"] == 1.0
    assert best["nomination_ratings"] == 1.0 and features[2].values["completeness"] == 0.0
    scores = transparent_scores(features, check_weights(DEFAULT_WEIGHTS))
    expected = sum(DEFAULT_WEIGHTS[name] * best[name] for name in SIGNALS)
    assert scores[1].score == pytest.approx(expected)
    assert scores[1].score > scores[3].score > scores[2].score


def test_reasons_name_the_top_contributing_signals_in_words_to_be():
    teams = [team(1, calibrated_score=0.95, nominations=3, interested=("Alstom",),
                  wants_to_continue=True, continuation_who="Léa, Hugo")]
    teams += [team(i, calibrated_score=0.1 + i / 100) for i in range(2, 21)]
    features = edition_features(teams)
    scores = transparent_scores(features, check_weights(DEFAULT_WEIGHTS))
    reasons = explain(teams[0], features[1], scores[1])
    assert [r["code"] for r in reasons] == ["top_score", "nominated", "continues"]
    assert reasons[0]["params"] == {"percent": 5}
    assert reasons[1]["params"] == {"count": 3, "juries": 4}
    assert reasons[2]["params"] == {"who": "Léa, Hugo", "plan": False}
    assert all(r["kind"] == "reason" and r["points"] > 0 for r in reasons)
    more = explain(teams[0], features[1], scores[1], limit=5)
    assert {"code": "interest", "params": {"organisations": ["Alstom"], "count": 1},
            "points": 10.0, "kind": "reason"} in more


def test_a_weak_relative_signal_is_no_reason_and_cautions_are_added():
    teams = [team(1, calibrated_score=0.1, score_low=0.0, score_high=0.5, nominations=1,
                  wants_to_continue=False, parts_done=0),
             team(2, calibrated_score=0.9)]
    features = edition_features(teams)
    scores = transparent_scores(features, check_weights(DEFAULT_WEIGHTS))
    reasons = explain(teams[0], features[1], scores[1])
    codes = [(r["code"], r["kind"]) for r in reasons]
    assert ("top_score", "reason") not in codes
    assert ("nominated", "reason") in codes
    assert {("uncertain_score", "caution"), ("no_submission", "caution"),
            ("stops", "caution")} <= set(codes)


def test_an_unscored_team_gets_no_score_feature_and_a_caution():
    teams = [team(1, calibrated_score=None, score_low=None, score_high=None), team(2)]
    features = edition_features(teams)
    assert features[1].values["jury_score"] == 0.0 and features[1].score_top_percent is None
    scores = transparent_scores(features, check_weights(DEFAULT_WEIGHTS))
    assert explain(teams[0], features[1], scores[1])[-1]["code"] == "unscored"
