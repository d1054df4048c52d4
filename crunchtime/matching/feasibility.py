"""Checks that fail fast, with details an organiser can act on, before any solving."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from crunchtime.matching.errors import MatchingInfeasible
from crunchtime.matching.inputs import ChallengeInput, MatchingParameters, StudentInput
from crunchtime.matching.units import Units


def validate_inputs(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters,
) -> None:
    """Reject malformed input (a caller bug, not an infeasible edition) with ValueError."""
    codes = [c.code for c in challenges]
    problems = []
    if len(set(codes)) != len(codes):
        problems.append("duplicate challenge codes")
    if len({s.id for s in students}) != len(students):
        problems.append("duplicate student ids")
    if any(c.teams_wanted < 0 for c in challenges):
        problems.append("teams_wanted must be >= 0")
    known = set(codes)
    for s in students:
        if len(set(s.choices)) != len(s.choices) or len(s.choices) > len(params.rank_weights):
            problems.append(f"student {s.id}: choices repeat or exceed {len(params.rank_weights)}")
        if not known.issuperset(s.choices):
            problems.append(f"student {s.id}: unknown challenge in choices")
    ids = {s.id for s in students}
    for student_id, code in params.pins.items():
        if student_id not in ids or code not in known:
            problems.append(f"pin {student_id} -> {code}: unknown student or challenge")
    if problems:
        raise ValueError("; ".join(problems[:20]))


def check_feasibility(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    units: Units,
    params: MatchingParameters,
) -> None:
    """Raise MatchingInfeasible for the conditions that can be seen without optimising."""
    _check_groups(students, units, params)
    _check_seats(students, challenges, params)
    _check_pins(challenges, units, params)
    _check_programme_cap(students, challenges, units, params)


def _check_groups(students: Sequence[StudentInput], units: Units, params: MatchingParameters):
    large = [
        {"group": students[m[0]].group, "size": len(m)}
        for m in units.members
        if len(m) > params.team_size_max
    ]
    if large:
        raise MatchingInfeasible(
            "group_too_large", {"groups": large, "team_size_max": params.team_size_max}
        )


def _check_seats(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters,
) -> None:
    count, low, high = len(students), params.team_size_min, params.team_size_max
    teams = sum(c.teams_wanted for c in challenges)
    if count > high * teams:
        raise MatchingInfeasible("not_enough_seats", _seat_shortage(students, challenges, params))
    if math.ceil(count / high) > count // low:
        raise MatchingInfeasible(
            "size_bounds_unreachable",
            {"students": count, "team_size_min": low, "team_size_max": high},
        )


def _seat_shortage(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    params: MatchingParameters,
) -> dict:
    """Which challenges should open more teams: one team at a time to the most over-asked."""
    high = params.team_size_max
    seats = high * sum(c.teams_wanted for c in challenges)
    missing = len(students) - seats
    first = Counter(s.choices[0] for s in students if s.choices)
    extra = Counter[str]()
    for _ in range(math.ceil(missing / high) if challenges else 0):
        best = max(
            challenges,
            key=lambda c: (first[c.code] - high * (c.teams_wanted + extra[c.code]), c.code),
        )
        extra[best.code] += 1
    needing = [
        {
            "code": c.code,
            "teams_wanted": c.teams_wanted,
            "extra_teams": extra[c.code],
            "first_choice_demand": first[c.code],
            "seats": high * c.teams_wanted,
        }
        for c in challenges
        if extra[c.code]
    ]
    return {
        "students": len(students),
        "seats": seats,
        "missing_seats": missing,
        "extra_teams_needed": sum(extra.values()),
        "challenges": needing,
    }


def _check_pins(challenges: Sequence[ChallengeInput], units: Units, params: MatchingParameters):
    pinned = units.pinned >= 0
    load = np.bincount(units.pinned[pinned], weights=units.size[pinned], minlength=len(challenges))
    over = [
        {"code": c.code, "pinned": int(load[j]), "seats": params.team_size_max * c.teams_wanted}
        for j, c in enumerate(challenges)
        if load[j] > params.team_size_max * c.teams_wanted
    ]
    if over:
        raise MatchingInfeasible("pins_over_capacity", {"challenges": over})


def _check_programme_cap(
    students: Sequence[StudentInput],
    challenges: Sequence[ChallengeInput],
    units: Units,
    params: MatchingParameters,
) -> None:
    """Each programme must fit in cap x (all teams wanted) places."""
    cap = params.max_same_programme_per_team
    if cap is None:
        return
    places = cap * sum(c.teams_wanted for c in challenges)
    totals = np.minimum(units.programmes, cap).sum(axis=0)
    too_many = [
        {"programme": units.programme_names[p], "students": int(totals[p]), "places": places}
        for p in np.flatnonzero(totals > places)
    ]
    if too_many:
        raise MatchingInfeasible("programme_cap_unreachable", {"cap": cap, "programmes": too_many})
