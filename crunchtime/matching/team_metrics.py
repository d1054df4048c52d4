"""Team-level figures: diversity against its bound, skill coverage, and every violation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from crunchtime.matching.inputs import ChallengeInput, MatchingParameters, StudentInput
from crunchtime.matching.results import Team
from crunchtime.matching.teams import diversity, diversity_bound


def team_figures(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    teams: Sequence[Team],
    params: MatchingParameters,
) -> dict[str, Any]:
    """Diversity (distinct programmes + years) per team, normalised by what its size and its
    challenge's students allow; the summed diversity over the per-challenge bound."""
    by_id = {s.id: s for s in students}
    wanted = {c.code: set(c.skills) for c in challenges}
    scores, reached, bound, coverage = [], 0, 0, []
    for code, group in _by_challenge(teams).items():
        members = [[by_id[i] for i in team.student_ids] for team in group]
        everyone = [s for team in members for s in team]
        programmes = _codes([s.programme for s in everyone])
        years = _codes([s.year for s in everyone])
        labels = np.repeat(np.arange(len(members)), [len(m) for m in members])
        per_team = diversity(labels, programmes, years)
        reached += int(per_team.sum())
        units = _codes([s.group or f"#{s.id}" for s in everyone])
        bound += diversity_bound(programmes, years, units, len(members))
        sizes = np.array([len(m) for m in members])
        best = (np.minimum(sizes, len(set(programmes.tolist())))
                + np.minimum(sizes, len(set(years.tolist()))))
        scores.extend((per_team / np.maximum(best, 1)).tolist())
        if wanted.get(code):
            coverage.extend(len(wanted[code] & {k for s in m for k in s.skills})
                            / len(wanted[code]) for m in members)
    return {
        "team_diversity_min": float(min(scores, default=0.0)),
        "team_diversity_mean": float(np.mean(scores)) if scores else 0.0,
        "team_diversity_ratio": float(reached / bound) if bound else 1.0,
        "skills_coverage_mean": float(np.mean(coverage)) if coverage else 0.0,
    }


def violations(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    teams: Sequence[Team],
    params: MatchingParameters,
) -> dict[str, int]:
    """Counts that must all be zero in a valid matching."""
    wanted = {c.code: c.teams_wanted for c in challenges}
    per_challenge = Counter(team.challenge_code for team in teams)
    seen = Counter(i for team in teams for i in team.student_ids)
    team_of = {i: t for t, team in enumerate(teams) for i in team.student_ids}
    by_id = {s.id: s for s in students}
    groups: dict[str, set[int]] = {}
    for s in students:
        if s.group is not None:
            groups.setdefault(s.group, set()).add(team_of.get(s.id, -1))
    cap = params.max_same_programme_per_team
    return {
        "capacity_violations": sum(count > wanted.get(code, 0)
                                   for code, count in per_challenge.items()),
        "size_violations": sum(not params.team_size_min <= len(t.student_ids)
                               <= params.team_size_max for t in teams),
        "group_violations": sum(len(placed) > 1 or -1 in placed for placed in groups.values()),
        "programme_cap_violations": 0 if cap is None else sum(
            _over_cap([by_id[i] for i in t.student_ids], cap) for t in teams),
        "unplaced_students": sum(1 for s in students if s.id not in seen),
        "duplicate_placements": sum(count > 1 for count in seen.values()),
        "pin_violations": sum(1 for i, code in params.pins.items()
                              if i in team_of and teams[team_of[i]].challenge_code != code),
    }


def _over_cap(members: list[StudentInput], cap: int) -> bool:
    """A friend group counts at most `cap` of a programme (it may exceed it by itself)."""
    per_unit = Counter((s.group or f"#{s.id}", s.programme) for s in members)
    per_programme = Counter[str]()
    for (_, programme), count in per_unit.items():
        per_programme[programme] += min(count, cap)
    return max(per_programme.values(), default=0) > cap


def _by_challenge(teams: Sequence[Team]) -> dict[str, list[Team]]:
    grouped: dict[str, list[Team]] = {}
    for team in teams:
        grouped.setdefault(team.challenge_code, []).append(team)
    return grouped


def _codes(values: list) -> np.ndarray:
    return np.unique(np.array(values), return_inverse=True)[1].astype(np.int64)
