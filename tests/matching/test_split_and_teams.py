"""Splitting a challenge into teams, and the swaps that spread programmes and years."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

import crunchtime.matching.split as split
from crunchtime.matching.split import Members, programme_load, split_members
from crunchtime.matching.teams import (
    TeamBounds,
    Traits,
    diversity,
    diversity_bound,
    form_teams,
    improve_split,
)


def members(units, programmes, teams, wanted=None):
    return Members(np.array(units), np.array(programmes), wanted or teams, teams)


def test_split_balances_sizes_and_keeps_groups_together():
    m = members([0, 0, 0, 1, 2, 3, 4, 4, 5, 6, 7], [0] * 11, teams=2)
    labels = split_members(m, 5, 6, None)
    assert sorted(np.bincount(labels).tolist()) == [5, 6]
    assert len(set(labels[:3])) == 1 and labels[6] == labels[7]


def test_split_spreads_each_programme_over_the_teams():
    m = members(list(range(12)), [0] * 6 + [1] * 4 + [2] * 2, teams=2)
    labels = split_members(m, 6, 6, 3)
    per_team = programme_load(labels, m, 3)
    assert per_team.tolist() == [[3, 2, 1], [3, 2, 1]]


def test_exact_program_takes_over_when_the_draft_fails(monkeypatch):
    monkeypatch.setattr(split, "_draft", lambda *args: None)
    m = members([0, 0, 0, 1, 1, 1, 2, 3], [0, 0, 0, 1, 1, 1, 0, 1], teams=2)
    labels = split_members(m, 4, 4, None)
    assert np.bincount(labels).tolist() == [4, 4]
    assert len(set(labels[:3])) == 1 and len(set(labels[3:6])) == 1


def test_split_is_none_when_groups_cannot_fit_the_sizes():
    m = members([0, 0, 0, 1, 1, 1, 2, 2], [0] * 8, teams=2)
    assert split_members(m, 4, 4, None) is None


def test_a_friend_group_may_exceed_the_programme_cap_alone():
    m = members([0, 0, 0, 1, 2, 3, 4, 5], [0, 0, 0, 1, 1, 0, 2, 2], teams=2)
    labels = split_members(m, 4, 4, 2)
    group_team = labels[0]
    assert 5 not in np.flatnonzero(labels == group_team)
    assert programme_load(labels, m, 2).max() <= 2


def test_diversity_counts_distinct_programmes_and_years_and_its_bound_holds():
    labels = np.array([0, 0, 1, 1])
    programme, year = np.array([0, 1, 0, 0]), np.array([0, 0, 0, 1])
    assert diversity(labels, programme, year).tolist() == [3, 3]
    assert diversity_bound(programme, year, np.arange(4), 2) == 6
    assert diversity_bound(programme, year, np.array([0, 0, 0, 1]), 2) == 5


def test_swaps_never_lower_diversity_and_keep_sizes_and_groups():
    rng = np.random.default_rng(0)
    units = np.array([0, 0, *range(1, 19)])
    programme, year = rng.integers(0, 4, 20), rng.integers(0, 3, 20)
    m = Members(units, programme, 4, 4)
    start = np.repeat(np.arange(4), 5)
    covered = rng.random((20, 2)) > 0.7
    improved = improve_split(start, m, year, covered, None)
    assert diversity(improved, programme, year).sum() >= diversity(start, programme, year).sum()
    assert np.bincount(improved).tolist() == [5, 5, 5, 5] and improved[0] == improved[1]


def test_form_teams_reaches_the_bound_for_single_students_and_is_seeded():
    rng = np.random.default_rng(1)
    n = 30
    traits = Traits(rng.integers(0, 5, n), rng.integers(0, 3, n),
                    sp.csr_matrix(rng.random((n, 4)) > 0.6), sp.csr_matrix(np.ones((1, 4))))
    args = (np.zeros(n, dtype=np.int64), np.arange(n), np.array([5]), np.array([5]), traits,
            TeamBounds(5, 6, None))
    labels = form_teams(*args, seed=3)
    assert diversity(labels, traits.programme, traits.year).sum() == diversity_bound(
        traits.programme, traits.year, np.arange(n), 5)
    assert np.array_equal(labels, form_teams(*args, seed=3))
