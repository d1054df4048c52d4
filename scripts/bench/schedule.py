"""Benchmark: the pitch schedule of a judging round, exact solver against greedy.

python scripts/bench/schedule.py [--teams 300] [--juries 100] [--challenges 60]
                                 [--rooms 12] [--tables 2] [--seed 2026] [--time-limit 45]
                                 [--skip-app-assignment]
The window is 6 hours of 20-minute slots (18 slots), no break.
Instances: the main one has panels of 3 juries (teams sorted by challenge cut into
juries // 3 runs of ~9, one or two challenges each); a second one (figures prefixed app_,
skipped with --skip-app-assignment) takes the juries as the app assigns them
(crunchtime.scoring.rooms), which links panels on purpose so juries are comparable.
*_cpu_seconds and load_average_1min tell how much of the machine the run really had.
1. The literal instance (rooms of one table: 12 x 18 = 216 places < 300 pitches): its
   infeasibility explanation and the seconds to detect it.
2. The same instance with --tables per room (a pitch hall with two panel tables): the main
   figures of the exact solver and of greedy (first free slot and room).
Last line: {"bench": "schedule", ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crunchtime.scheduling import (
    Infeasible,
    Pitch,
    Problem,
    Room,
    Schedule,
    build_slots,
    check_placements,
    greedy_schedule,
    solve_schedule,
)
from crunchtime.scoring.eligibility import Jury, Team
from crunchtime.scoring.rooms import assign_juries_in_few_rooms

TAGS = (
    "energy",
    "health",
    "mobility",
    "data",
    "design",
    "materials",
    "water",
    "food",
    "industry",
    "education",
    "finance",
    "robotics",
)


def teams_by_challenge(teams: int, challenges: int, rng: random.Random) -> list[int]:
    """Each team's challenge, sorted: every challenge has one, the rest drawn unevenly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(challenges)]
    extra = rng.choices(range(challenges), weights, k=max(0, teams - challenges))
    return sorted(list(range(min(challenges, teams))) + extra)


def panel_instance(teams: int, juries: int, challenges: int, seed: int) -> list[Pitch]:
    """Panels of 3 juries, each seeing a run of consecutive teams in challenge order.

    Teams sorted by challenge are cut into juries // 3 runs (~9 teams, one or two
    challenges each); each leftover jury takes one seat of a panel for half its teams.
    """
    rng = random.Random(seed)
    challenge = teams_by_challenge(teams, challenges, rng)
    count = max(1, juries // 3)
    panels = [[f"J{3 * p + k:03d}" for k in range(3)] for p in range(count)]
    runs = [list(range(teams))[p * teams // count : (p + 1) * teams // count] for p in range(count)]
    seats = {t: list(panels[p]) for p, run in enumerate(runs) for t in run}
    for extra, jury in enumerate(range(3 * count, juries)):
        run = runs[(extra * 7) % count]
        for t in run[len(run) // 2 :]:
            seats[t][extra % 3] = f"J{jury:03d}"
    return [
        Pitch(
            team=f"T{t:03d}",
            challenge=f"C{challenge[t]:03d}",
            juries=tuple(seats[t]),
            label=f"T{t:03d}",
        )
        for t in range(teams)
    ]


def app_instance(teams: int, juries: int, challenges: int, seed: int) -> list[Pitch]:
    """Juries assigned by the app's own algorithm (balanced, connected, few challenges)."""
    rng = random.Random(seed)
    challenge = teams_by_challenge(teams, challenges, rng)
    topic = {c: frozenset(rng.sample(TAGS, 2)) for c in range(challenges)}
    team_rows = [
        Team(id=t, challenge=c, organisation=c // 2, tags=topic[c]) for t, c in enumerate(challenge)
    ]
    jury_rows = [
        Jury(
            id=j,
            organisation=rng.randrange(max(1, challenges // 2)) if j < juries // 2 else None,
            tags=frozenset(rng.sample(TAGS, 3)),
        )
        for j in range(juries)
    ]
    plan = assign_juries_in_few_rooms(jury_rows, team_rows, k=3, seed=seed)
    seats: dict[int, list[str]] = {t: [] for t in range(teams)}
    for jury, team in plan.pairs:
        seats[team].append(f"J{jury:03d}")
    return [
        Pitch(
            team=f"T{t:03d}",
            challenge=f"C{challenge[t]:03d}",
            juries=tuple(seats[t]),
            label=f"T{t:03d}",
        )
        for t in range(teams)
    ]


def round_problem(
    pitches: list[Pitch], rooms: int, tables: int, seconds: float, gap: float
) -> Problem:
    """A 6-hour window of 20-minute slots from 9:00."""
    start = datetime(2026, 12, 18, 9, 0)
    slots = build_slots(start, start + timedelta(hours=6), 20, [])
    room_rows = tuple(
        Room(key=f"R{r:02d}", name=f"Salle {r + 1}", tables=tables) for r in range(rooms)
    )
    return Problem(pitches=tuple(pitches), rooms=room_rows, slots=slots,
                   time_limit_seconds=seconds, relative_gap=gap)


def figures(name: str, schedule: Schedule, problem: Problem) -> dict:
    changes = list(schedule.room_changes.values())
    idle = list(schedule.idle_minutes.values())
    gap = (schedule.objective - schedule.bound) / schedule.objective if schedule.objective else 0
    return {
        f"{name}_status": schedule.status,
        f"{name}_seconds_to_first": round(schedule.seconds_to_first, 3),
        f"{name}_seconds": round(schedule.seconds, 3),
        f"{name}_objective": schedule.objective,
        f"{name}_gap_ratio": round(gap, 4),
        f"{name}_room_changes_per_jury_mean": round(statistics.mean(changes), 3),
        f"{name}_room_changes_per_jury_max": max(changes),
        f"{name}_idle_minutes_per_jury_mean": round(statistics.mean(idle), 1),
        f"{name}_idle_minutes_per_jury_max": max(idle),
        f"{name}_span_slots": max(p.slot for p in schedule.placements) + 1,
        f"{name}_violations": len(check_placements(problem, schedule.placements)),
    }


def one_table(problem: Problem) -> dict:
    """The literal instance, one pitch per room at a time: why it fails, how fast."""
    literal = replace(problem, rooms=tuple(replace(r, tables=1) for r in problem.rooms))
    began = time.perf_counter()
    try:
        solve_schedule(literal)
        reasons = []
    except Infeasible as error:
        reasons = [
            {"constraint": r.constraint, "people": len(r.people), **r.detail} for r in error.reasons
        ]
    return {
        "one_table_reasons": reasons,
        "one_table_infeasible_seconds": round(time.perf_counter() - began, 4),
    }


def greedy_baseline(problem: Problem, attempts: int = 50) -> tuple[str, Schedule]:
    """Greedy in team order; when first-fit gets stuck there, in seeded shuffled orders."""
    rng = random.Random(0)
    pitches = list(problem.pitches)
    for attempt in range(attempts + 1):
        try:
            return (
                "team" if attempt == 0 else f"shuffled:{attempt}",
                greedy_schedule(replace(problem, pitches=tuple(pitches))),
            )
        except Infeasible:
            rng.shuffle(pitches)
    raise SystemExit(f"greedy found no schedule in {attempts} orders")


def compare(problem: Problem, prefix: str) -> dict:
    """Exact and greedy on one instance, and how many more room changes greedy makes."""
    panels = {tuple(sorted(p.juries)) for p in problem.pitches}
    result = {f"{prefix}distinct_jury_sets": len(panels)}
    cpu = time.process_time()
    result.update(figures(f"{prefix}exact", solve_schedule(problem), problem))
    result[f"{prefix}exact_cpu_seconds"] = round(time.process_time() - cpu, 2)
    order, baseline = greedy_baseline(problem)
    result[f"{prefix}greedy_order"] = order
    result.update(figures(f"{prefix}greedy", baseline, problem))
    exact = result[f"{prefix}exact_room_changes_per_jury_mean"]
    greedy = result[f"{prefix}greedy_room_changes_per_jury_mean"]
    result[f"{prefix}room_changes_ratio_greedy_to_exact"] = (
        round(greedy / exact, 2) if exact else None
    )  # null: the exact plan has none
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--juries", type=int, default=100)
    parser.add_argument("--challenges", type=int, default=60)
    parser.add_argument("--rooms", type=int, default=12)
    parser.add_argument("--tables", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--relative-gap", type=float, default=Problem.relative_gap,
                        help="stop once proven within this share of the bound (0: prove)")
    parser.add_argument(
        "--skip-app-assignment",
        action="store_true",
        help="only the panel instance (not the app's own jury assignment)",
    )
    args = parser.parse_args()

    built = time.perf_counter()
    problem = round_problem(
        panel_instance(args.teams, args.juries, args.challenges, args.seed),
        args.rooms,
        args.tables,
        args.time_limit,
        args.relative_gap,
    )
    result = {
        "bench": "schedule",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "teams": args.teams,
        "juries": args.juries,
        "rooms": args.rooms,
        "tables": args.tables,
        "slots": len(problem.slots),
        "seed": args.seed,
        "time_limit_seconds": args.time_limit,
        "relative_gap_ratio": args.relative_gap,
        "instance_seconds": round(time.perf_counter() - built, 3),
    }
    result.update(one_table(problem))
    result.update(compare(problem, ""))
    if not args.skip_app_assignment:
        problem = round_problem(
            app_instance(args.teams, args.juries, args.challenges, args.seed),
            args.rooms,
            args.tables,
            args.time_limit,
            args.relative_gap,
        )
        result.update(compare(problem, "app_"))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
