"""The five-number summary a team's feedback is drawn against (crunchtime/scoring/)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crunchtime.scoring.distribution import Spread, position, spread_of, weighted_share


def test_quartiles_are_inclusive_like_a_spreadsheet():
    assert spread_of([3, 7, 10]) == Spread(3, 3, 5, 7, 8.5, 10)
    assert spread_of([1, 2, 3, 4]) == Spread(4, 1, 1.75, 2.5, 3.25, 4)


def test_one_value_and_no_value():
    assert spread_of([6]) == Spread(1, 6, 6, 6, 6, 6)
    assert spread_of([]) is None


@given(st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=60))
def test_the_summary_is_ordered_and_within_the_values(values):
    s = spread_of(values)
    assert s.count == len(values)
    assert min(values) == s.low <= s.q1 <= s.median <= s.q3 <= s.high == max(values)


def test_positions_are_clamped_to_the_scale():
    assert position(5, 0, 10) == 50
    assert position(-1, 0, 10) == 0 and position(11, 0, 10) == 100
    assert position(3, 5, 5) == 0


def test_the_weighted_share_uses_each_scale_and_skips_unscored_criteria():
    scales = {1: (2.0, 0, 10), 2: (1.0, 1, 5)}
    assert weighted_share({1: 7, 2: 3}, scales) == pytest.approx((2 * 70 + 50) / 3)
    assert weighted_share({1: 7}, scales) == pytest.approx(70)
    assert weighted_share({}, scales) is None
