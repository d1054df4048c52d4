"""Fairness and quality figures of a set of teams; also scores an organiser's edits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from crunchtime.matching.explain import Explainer, outside_reason
from crunchtime.matching.inputs import ChallengeInput, MatchingParameters, StudentInput
from crunchtime.matching.results import Team
from crunchtime.matching.team_metrics import team_figures, violations
from crunchtime.matching.units import student_utility


def placement_table(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    teams: Sequence[Team],
) -> tuple[np.ndarray, np.ndarray]:
    """Per student (by position) its challenge column and team position (-1: unplaced)."""
    row = {s.id: i for i, s in enumerate(students)}
    column = {c.code: j for j, c in enumerate(challenges)}
    challenge_of = np.full(len(students), -1, dtype=np.int64)
    team_of = np.full(len(students), -1, dtype=np.int64)
    for t, team in enumerate(teams):
        for student_id in team.student_ids:
            challenge_of[row[student_id]] = column.get(team.challenge_code, -1)
            team_of[row[student_id]] = t
    return challenge_of, team_of


def compute_metrics(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters,
    teams: Sequence[Team],
    fit: np.ndarray,
    ranks: np.ndarray,
    moved: Collection[int] = (),
) -> dict[str, Any]:
    """Every figure of the issue's fairness list, from the teams alone; `moved` students
    (an organiser's changes) count as placed outside their choices for that reason."""
    challenge_of, _ = placement_table(students, challenges, teams)
    placed = challenge_of >= 0
    rows = np.arange(len(students))
    safe = np.maximum(challenge_of, 0)
    utility = np.where(placed, student_utility(ranks, fit, params)[rows, safe], 0.0)
    rank = np.where(placed, ranks[rows, safe], 0)
    explainer = Explainer(students, challenges, params, moved)
    kinds = [explainer.kind(s, challenges[j].code, int(r) or None) if ok else "unplaced"
             for s, j, r, ok in zip(students, safe, rank, placed, strict=True)]
    fits = np.where(placed, fit[rows, safe], 0.0) if fit.size else np.zeros(len(students))
    metrics: dict[str, Any] = {
        "students": len(students),
        "challenges": len(challenges),
        "teams": len(teams),
        "objective": float(utility.sum()),
        "no_choice_students": sum(1 for s in students if not s.choices),
    }
    metrics.update(choice_shares(students, rank, kinds, fits))
    metrics["by_programme"] = {
        programme: choice_shares(*_subset(students, rank, kinds, fits, programme))
        for programme in sorted({s.programme for s in students})
    }
    metrics.update(team_figures(students, challenges, teams, params))
    metrics.update(violations(students, challenges, teams, params))
    return metrics


def _subset(students, rank, kinds, fits, programme):
    keep = [i for i, s in enumerate(students) if s.programme == programme]
    return [students[i] for i in keep], rank[keep], [kinds[i] for i in keep], fits[keep]


def choice_shares(students, rank, kinds, fits) -> dict[str, Any]:
    """Shares among students who ranked something; mean fit among everyone."""
    ranked = np.array([bool(s.choices) for s in students], dtype=bool)
    got = np.asarray(rank)[ranked]
    outside = [outside_reason(k) for k, r, has in zip(kinds, rank, ranked, strict=True)
               if has and r == 0]
    count = max(int(ranked.sum()), 1)
    return {
        "students": len(students),
        "first_choice_share": float((got == 1).sum() / count),
        "top3_share": float(((got >= 1) & (got <= 3)).sum() / count),
        "any_choice_share": float((got >= 1).sum() / count),
        "outside_choices_share": float(len(outside) / count),
        "outside_choices_by_reason": {r: outside.count(r) for r in sorted(set(outside))},
        "mean_fit": float(np.mean(fits)) if len(fits) else 0.0,
    }
