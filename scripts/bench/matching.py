"""Benchmark: the whole matching pipeline (fit, exact assignment, teams) on a demo cohort.

python scripts/bench/matching.py [--students 1700] [--seed 2026] [--diversity-cap 2]
                                 [--candidates K|all]
Last line: {"bench": "matching", "students": N, "seconds": ..., "fit_seconds": ...,
            "assign_seconds": ..., "teams_seconds": ..., "objective_ratio_to_lp_bound": ...,
            "first_choice_share": ..., "top3_share": ..., "violations": 0, "peak_mb": ...,
            "greedy_objective_ratio": ..., "greedy_seconds": ...,
            "objective_ratio_to_full_lp_bound": ..., "fit_auc": ..., "team_diversity_ratio": ...}
The greedy baseline (each student in turn takes the best seat left, friend groups
together) runs on the same utilities in the same process. When candidates are pruned
(not --candidates all) and N <= 2000, the same run also solves the LP bound of the
unpruned problem (every challenge allowed to every student), so
objective_ratio_to_full_lp_bound shows what the pruning can cost (null otherwise).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import replace

FULL_BOUND_MAX_STUDENTS = 2000
VIOLATIONS = ("capacity_violations", "size_violations", "group_violations",
              "programme_cap_violations", "unplaced_students", "duplicate_placements",
              "pin_violations")


def cohort_inputs(students: int, seed: int):
    """The demo generator's cohort as the matching package's inputs."""
    from crunchtime.demo.cohort import generate_cohort
    from crunchtime.matching import ChallengeInput, StudentInput

    cohort = generate_cohort(students=students, seed=seed)
    return (
        [StudentInput(i, s.programme, s.year, s.skills, s.interests, s.choices, s.group)
         for i, s in enumerate(cohort.students)],
        [ChallengeInput(c.code, " ".join((c.title, c.problem, c.context, c.deliverable)),
                        c.skills, c.teams_wanted) for c in cohort.challenges],
    )


def greedy_ratio(students, challenges, params, fit, lp_bound: float) -> tuple[float, float]:
    """Greedy objective over the LP bound, and the greedy's own seconds."""

    from crunchtime.matching.baseline import greedy_objective
    from crunchtime.matching.pipeline import build_problem
    from crunchtime.matching.units import build_units, rank_matrix

    started = time.perf_counter()
    units = build_units(students, challenges, rank_matrix(students, challenges), fit, params)
    objective = greedy_objective(build_problem(units, challenges, params))
    return objective / lp_bound, time.perf_counter() - started


def full_lp_bound(students, challenges, params, fit) -> tuple[float, float]:
    """The LP bound of the unpruned problem (no candidate pruning), and its seconds."""
    from crunchtime.matching.pipeline import build_problem
    from crunchtime.matching.relaxation import solve_relaxation
    from crunchtime.matching.units import build_units, rank_matrix

    started = time.perf_counter()
    full = replace(params, candidates_per_student=None)
    units = build_units(students, challenges, rank_matrix(students, challenges), fit, full)
    bound = solve_relaxation(build_problem(units, challenges, full), full.seed).bound
    return bound, time.perf_counter() - started


def pruning_figures(args, students, challenges, params, result) -> dict:
    """The objective against the unpruned LP bound, when candidates are pruned and N is small
    enough (<= FULL_BOUND_MAX_STUDENTS) to solve that bound in the same run."""
    if params.candidates_per_student is None or args.students > FULL_BOUND_MAX_STUDENTS:
        return {"objective_ratio_to_full_lp_bound": None, "full_lp_bound_seconds": None}
    bound, seconds = full_lp_bound(students, challenges, params, result.fit)
    objective = result.metrics["objective"]
    return {"objective_ratio_to_full_lp_bound": round(objective / bound, 7) if bound else 1.0,
            "full_lp_bound_seconds": round(seconds, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1700)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--diversity-cap", type=int, default=None)
    parser.add_argument("--candidates", default="default",
                        help="candidates per student: a number, 'all', or the package default")
    args = parser.parse_args()

    from crunchtime.matching import MatchingParameters, run_matching

    students, challenges = cohort_inputs(args.students, args.seed)
    params = MatchingParameters(seed=args.seed, max_same_programme_per_team=args.diversity_cap)
    if args.candidates != "default":
        k = None if args.candidates == "all" else int(args.candidates)
        params = replace(params, candidates_per_student=k)
    started = time.perf_counter()
    result = run_matching(students, challenges, params)
    seconds = time.perf_counter() - started
    m = result.metrics
    greedy, greedy_seconds = greedy_ratio(students, challenges, params, result.fit, m["lp_bound"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    extra = {"greedy_seconds": round(greedy_seconds, 3),
             **pruning_figures(args, students, challenges, params, result)}
    print(f"challenges={len(challenges)} teams={m['teams']} certified={m['certified_optimal']} "
          f"edges={m['integer_program_edges']}")
    print(json.dumps({**figures(args, params, m, seconds, greedy, peak_mb), **extra}))


def figures(args, params, m: dict, seconds: float, greedy: float, peak_mb: float) -> dict:
    """The benchmark's one-line summary, figures named with their unit (peak_mb: the
    pipeline and the greedy baseline, before any unpruned bound is solved)."""
    return {
        "bench": "matching",
        "students": args.students,
        "seed": args.seed,
        "diversity_cap": args.diversity_cap,
        "candidates_per_student": params.candidates_per_student,
        "seconds": round(seconds, 3),
        "fit_seconds": round(m["fit_seconds"], 3),
        "assign_seconds": round(m["assign_seconds"], 3),
        "teams_seconds": round(m["teams_seconds"], 3),
        "objective_ratio_to_lp_bound": round(m["objective_ratio_to_lp_bound"], 7),
        "certified_optimal": m["certified_optimal"],
        "first_choice_share": round(m["first_choice_share"], 4),
        "top3_share": round(m["top3_share"], 4),
        "violations": sum(m[k] for k in VIOLATIONS),
        "peak_mb": round(peak_mb, 1),
        "greedy_objective_ratio": round(greedy, 5),
        "fit_auc": round(m["fit_auc"], 4) if m["fit_auc"] is not None else None,
        "team_diversity_ratio": round(m["team_diversity_ratio"], 5),
    }


if __name__ == "__main__":
    main()
