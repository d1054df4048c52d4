"""Parameter validation keeps a stated choice worth more than any unranked challenge."""

from __future__ import annotations

import pytest

from crunchtime.matching import MatchingParameters


def test_default_parameters_make_the_last_choice_beat_the_best_fit():
    params = MatchingParameters()
    assert params.rank_weights[-1] > params.fit_weight * 1.0
    assert (params.team_size_min, params.team_size_max) == (5, 6)
    assert params.candidates_per_student == 25 and params.max_same_programme_per_team is None


@pytest.mark.parametrize("changes", [
    {"fit_weight": 30.0},
    {"rank_weights": (100.0, 100.0, 55.0)},
    {"rank_weights": ()},
    {"team_size_min": 7},
    {"team_size_min": 0},
    {"candidates_per_student": 0},
    {"max_same_programme_per_team": 0},
    {"time_limit": 0},
])
def test_parameters_that_break_the_model_are_rejected(changes):
    with pytest.raises(ValueError):
        MatchingParameters(**changes)
