"""Judging progress and anomalies (pure): scores missing per team and per jury, a jury that
gives everyone the same score, one that scores a team a few seconds after the previous."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crunchtime.scoring.progress import (
    Assignment,
    fast_scorings,
    judging_progress,
    same_score_juries,
)

T0 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def test_progress_counts_criterion_scores_of_present_assignments():
    assignments = [Assignment(1, 10, "scored"), Assignment(2, 10, "to_score"),
                   Assignment(1, 11, "absent")]
    scores = {(1, 10, 100): 7.0, (1, 10, 101): 6.0, (2, 10, 100): 5.0}
    progress = judging_progress(assignments, [100, 101], scores, team_ids=[10, 11, 12])
    assert (progress.recorded, progress.expected) == (3, 4)
    by_team = {team.team: team for team in progress.teams}
    assert by_team[10].juries_missing == (2,) and not by_team[10].complete
    assert by_team[11].expected == 0 and by_team[12].juries_assigned == 0
    by_jury = {jury.jury: jury for jury in progress.juries}
    assert (by_jury[1].done, by_jury[1].absent, by_jury[1].remaining) == (1, 1, 0)
    assert by_jury[2].remaining == 1


def test_a_jury_giving_every_team_the_same_scores_is_flagged():
    scores = {(1, team, criterion): 5.0 for team in (10, 11, 12) for criterion in (100, 101)}
    scores.update({(2, 10, 100): 5.0, (2, 11, 100): 6.0, (2, 12, 100): 5.0})
    scores.update({(3, 10, 100): 5.0, (3, 11, 100): 5.0})  # two teams: too few to tell
    flagged = same_score_juries(scores)
    assert [(a.jury, a.teams, a.values) for a in flagged] == [(1, 3, (5.0, 5.0))]


def test_a_team_scored_seconds_after_the_previous_is_flagged():
    first = {(1, 10): T0, (1, 11): T0 + timedelta(seconds=4),
             (1, 12): T0 + timedelta(minutes=8), (2, 10): T0}
    flagged = fast_scorings(first)
    assert [(a.jury, a.team, a.seconds) for a in flagged] == [(1, 11, 4.0)]
