"""Ledger replay: scores, corrections, undos and retractions, at any past seq."""

from __future__ import annotations

import pytest

from crunchtime.scoring import LedgerError, LedgerEvent, current_scores

CELL = (1, 10, 100)


def score(seq, value, kind="score", cell=CELL):
    jury, team, criterion = cell
    return LedgerEvent(seq, kind, jury, team, criterion, value=value)


def revert(seq, target, kind="undo", cell=CELL):
    jury, team, criterion = cell
    return LedgerEvent(seq, kind, jury, team, criterion, reverts_seq=target)


def test_a_score_sets_the_cell_and_a_correction_replaces_it():
    events = [score(1, 6), score(2, 8, "correction"), score(3, 4, cell=(2, 10, 100))]
    assert current_scores(events) == {CELL: 8, (2, 10, 100): 4}


def test_replay_at_a_past_seq_shows_the_scores_of_that_moment():
    events = [score(1, 6), score(2, 8, "correction"), revert(3, 2), score(5, 9, "correction")]
    assert current_scores(events, upto_seq=0) == {}
    assert current_scores(events, upto_seq=1) == {CELL: 6}
    assert current_scores(events, upto_seq=2) == {CELL: 8}
    assert current_scores(events, upto_seq=4) == {CELL: 6}
    assert current_scores(events) == {CELL: 9}


def test_undo_of_a_correction_restores_the_value_before_it():
    events = [score(1, 6), score(2, 7, "correction"), score(3, 8, "correction"), revert(4, 3)]
    assert current_scores(events) == {CELL: 7}


def test_undo_of_the_only_score_empties_the_cell():
    assert current_scores([score(1, 6), revert(2, 1)]) == {}


def test_undo_of_an_earlier_score_leaves_a_later_correction_in_place():
    events = [score(1, 6), score(2, 7, "correction"), revert(3, 1)]
    assert current_scores(events) == {CELL: 7}


def test_a_retraction_removes_the_cell_value_until_a_new_score_arrives():
    events = [score(1, 6), score(2, 7, "correction"), revert(3, 2, "retraction")]
    assert current_scores(events) == {}
    assert current_scores([*events, score(4, 5)]) == {CELL: 5}


def test_undo_of_a_retraction_restores_the_value_it_removed():
    events = [score(1, 6), revert(2, 1, "retraction"), revert(3, 2)]
    assert current_scores(events) == {CELL: 6}


def test_undo_of_an_undo_is_refused():
    with pytest.raises(LedgerError, match="undo 3 undoes undo 2: not allowed"):
        current_scores([score(1, 6), revert(2, 1), revert(3, 2)])


def test_the_same_event_undone_twice_from_two_tabs_is_undone_once():
    events = [score(1, 6), score(2, 8, "correction"), revert(3, 2), revert(4, 2)]
    assert current_scores(events) == {CELL: 6}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (revert(2, 99), "unknown or later"),
        (revert(2, 2), "unknown or later"),
        (revert(2, 1, cell=(1, 11, 100)), "another cell"),
        (revert(2, 1, kind="vote"), "unknown kind"),
        (LedgerEvent(2, "correction", *CELL), "no value"),
        (LedgerEvent(2, "undo", *CELL), "names no event"),
    ],
)
def test_malformed_events_are_refused_with_the_seq_at_fault(bad, message):
    with pytest.raises(LedgerError, match=message):
        current_scores([score(1, 6), bad])


def test_a_retraction_must_name_a_score_or_a_correction():
    with pytest.raises(LedgerError, match="retraction 3 names undo 2"):
        current_scores([score(1, 6), revert(2, 1), revert(3, 2, "retraction")])


def test_the_same_event_given_twice_counts_once_but_two_events_with_one_seq_are_refused():
    assert current_scores([score(1, 6), score(1, 6)]) == {CELL: 6}
    with pytest.raises(LedgerError, match="share seq 1"):
        current_scores([score(1, 6), score(1, 7)])


def test_replay_ignores_the_order_events_are_given_in():
    events = [score(1, 6), score(2, 7, "correction"), revert(3, 2), score(4, 3, cell=(5, 5, 5))]
    assert current_scores(reversed(events)) == current_scores(events) == {
        CELL: 6, (5, 5, 5): 3}


def test_an_empty_ledger_has_no_scores():
    assert current_scores([]) == {}
    assert current_scores([], upto_seq=10) == {}
