"""Test helpers: demo cohorts as matching inputs, and an independent reference optimum."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from crunchtime.demo.cohort import generate_cohort
from crunchtime.matching import ChallengeInput, StudentInput


def cohort_inputs(students: int, seed: int = 1, challenges: int | None = None):
    """The demo generator's cohort converted to the matching package's inputs."""
    cohort = generate_cohort(students=students, challenges=challenges, seed=seed)
    return (
        [StudentInput(i, s.programme, s.year, s.skills, s.interests, s.choices, s.group)
         for i, s in enumerate(cohort.students)],
        [ChallengeInput(c.code, " ".join((c.title, c.problem, c.context, c.deliverable)),
                        c.skills, c.teams_wanted) for c in cohort.challenges],
    )


def student(i, programme="Informatique", choices=(), group=None, year=3,
            interests="énergie et hydrogène", skills=("Python",)) -> StudentInput:
    return StudentInput(i, programme, year, tuple(skills), interests, tuple(choices), group)


def challenge(code, teams=1, text="Un défi sur l'énergie", skills=("Python",)) -> ChallengeInput:
    return ChallengeInput(code, text, tuple(skills), teams)


def _units(students):
    keys: dict = {}
    for i, s in enumerate(students):
        keys.setdefault(s.group if s.group is not None else ("alone", i), []).append(i)
    return list(keys.values())


def reference_optimum(students, challenges, params, utility) -> float | None:
    """Best objective by an explicit student x team integer program over every allowed edge
    (-inf utility = forbidden); None when infeasible. Independent of the package's model."""
    n = utility.shape[0]
    slots = [(j, k) for j, c in enumerate(challenges) for k in range(c.teams_wanted)]
    if n == 0:
        return 0.0
    if not slots:
        return None
    nx = n * len(slots)
    col = lambda i, s: i * len(slots) + s  # noqa: E731
    cost = np.zeros(nx + len(slots))
    high = np.ones(nx + len(slots))
    for i, (s, (j, _)) in itertools.product(range(n), enumerate(slots)):
        cost[col(i, s)] = -utility[i, j] if np.isfinite(utility[i, j]) else 0.0
        high[col(i, s)] = 1.0 if np.isfinite(utility[i, j]) else 0.0
    rows, low, up = [], [], []

    def add(entries, lo, hi):
        row = np.zeros(nx + len(slots))
        for c, v in entries:
            row[c] += v
        rows.append(row)
        low.append(lo)
        up.append(hi)

    for i in range(n):
        add([(col(i, s), 1) for s in range(len(slots))], 1, 1)
    for s in range(len(slots)):
        members = [(col(i, s), 1) for i in range(n)]
        add([*members, (nx + s, -params.team_size_min)], 0, np.inf)
        add([*members, (nx + s, -params.team_size_max)], -np.inf, 0)
    for unit in _units(students):
        for i, s in itertools.product(unit[1:], range(len(slots))):
            add([(col(unit[0], s), 1), (col(i, s), -1)], 0, 0)
    for i, s in enumerate(students):
        if s.id in params.pins:
            add([(col(i, t), 1) for t, (j, _) in enumerate(slots)
                 if challenges[j].code == params.pins[s.id]], 1, 1)
    cap = params.max_same_programme_per_team
    if cap is not None:
        for s, programme in itertools.product(range(len(slots)), {x.programme for x in students}):
            entries = []
            for unit in _units(students):
                same = [i for i in unit if students[i].programme == programme]
                if same:
                    entries.append((col(unit[0], s), min(len(same), cap)))
            add(entries, -np.inf, cap)
    # HiGHS stops at a 1e-4 relative gap by default: a reference must be proven optimal.
    result = milp(cost, integrality=np.ones(len(cost)), bounds=Bounds(0, high),
                  constraints=LinearConstraint(np.array(rows), low, up),
                  options={"mip_rel_gap": 0.0})
    return None if result.x is None else -float(result.fun)
