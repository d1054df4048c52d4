"""Benchmark: how close each estimator's ranking comes to a planted truth, and how fast.

python scripts/bench/calibration.py [--family NAME | --all] [--seeds 30] [--teams 300]
                                    [--juries 100] [--k 3]
Per family and seed: a synthetic judging (scoring/simulation.py FAMILIES), juries assigned by
assign_juries (then reshaped as the family says), scores simulated, then every estimator ranked
side by side: the raw mean (the baseline), the per-jury z-score, today's additive jury-effect
model ("additive") and the calibrated model (scale, severity, censoring). Per estimator: mean
Spearman to the planted quality, top-10 recall and top-3 exact (the first three, in order), each
with its standard error over the seeds. Fit times of the calibrated model at this size: cold,
and warm-started from the fit before the last batch of scores (the live board's refit).
Last line: {"bench": "calibration", "families": {NAME: {ESTIMATOR: {...}}}, ...}
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

# As in the board worker (realtime/board_worker.py): one BLAS thread, the live refit's setting.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

from crunchtime.scoring.assignment import assign_juries  # noqa: E402
from crunchtime.scoring.calibration import fit_calibration  # noqa: E402
from crunchtime.scoring.observations import build_observations  # noqa: E402
from crunchtime.scoring.ranking import rank_teams  # noqa: E402
from crunchtime.scoring.simulation import (  # noqa: E402
    FAMILIES,
    family_pairs,
    simulate_scores,
    spearman_to_truth,
    synthetic_judging,
    top_recall,
)

COMPARED = ("raw", "zscore", "additive", "calibrated")
BATCH = 30  # scores in the live board's last batch, for the warm refit


def top_exact(ranking, quality, n: int = 3) -> float:
    """1 when the ranking's first n are the truly best n, in order."""
    true_best = sorted(quality, key=lambda team: (-quality[team], team))[:n]
    return float(ranking.order()[:n] == true_best)


def run_seed(family: str, seed: int, args: argparse.Namespace) -> dict[str, float]:
    judging = synthetic_judging(teams=args.teams, juries=args.juries, seed=seed, family=family)
    plan = assign_juries(judging.juries, judging.teams, k=args.k,
                         conflicts=judging.conflicts, seed=seed)
    pairs = family_pairs(judging, plan.pairs, seed=seed)
    scores = simulate_scores(judging, pairs, seed=seed)
    rankings = rank_teams(scores, judging.criteria, estimators=COMPARED, draws=0, seed=seed)
    figures = {"scores": float(len(scores))}
    for name, ranking in rankings.items():
        figures[f"{name}_spearman"] = spearman_to_truth(ranking, judging.quality)
        figures[f"{name}_recall"] = top_recall(ranking, judging.quality, args.top)
        figures[f"{name}_top3"] = top_exact(ranking, judging.quality)
    figures.update(fit_times(scores, judging.criteria))
    return figures


def fit_times(scores, criteria) -> dict[str, float]:
    """Seconds of a cold fit on every score, and of a refit warm-started from the fit made
    before the last BATCH scores arrived: wall time, and this process's CPU time (the same on
    a quiet machine; on a shared one the CPU time is what the fit itself costs)."""
    cells = sorted(scores)
    everything = build_observations(scores, criteria)
    previous = fit_calibration(build_observations({c: scores[c] for c in cells[:-BATCH]},
                                                  criteria))
    figures = {}
    for kind, warm in (("cold", None), ("warm", previous.state)):
        wall, cpu = time.perf_counter(), time.process_time()
        fit_calibration(everything, warm=warm)
        figures[f"{kind}_seconds"] = time.perf_counter() - wall
        figures[f"{kind}_cpu_seconds"] = time.process_time() - cpu
    return figures


def summary(runs: list[dict[str, float]], key: str) -> tuple[float, float]:
    values = [run[key] for run in runs]
    error = statistics.stdev(values) / np.sqrt(len(values)) if len(values) > 1 else 0.0
    return statistics.fmean(values), float(error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--family", choices=sorted(FAMILIES), default="severity")
    chosen.add_argument("--all", action="store_true", help="every family")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--juries", type=int, default=100)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()

    families = list(FAMILIES) if args.all else [args.family]
    result = {"bench": "calibration", "seeds": args.seeds, "teams": args.teams,
              "juries": args.juries, "k": args.k, "families": {}}
    times: dict[str, list[float]] = {}
    for family in families:
        runs = [run_seed(family, seed, args) for seed in range(args.seeds)]
        for key in ("cold_seconds", "warm_seconds", "cold_cpu_seconds", "warm_cpu_seconds"):
            times.setdefault(key, []).extend(run[key] for run in runs)
        table = {}
        print(f"{family}: {args.seeds} seeds, {args.teams} teams, {args.juries} juries, "
              f"k={args.k}, {statistics.fmean(run['scores'] for run in runs):.0f} scores")
        for name in COMPARED:
            spearman, spearman_error = summary(runs, f"{name}_spearman")
            recall, recall_error = summary(runs, f"{name}_recall")
            top3, _ = summary(runs, f"{name}_top3")
            table[name] = {"spearman": round(spearman, 4), "spearman_se": round(spearman_error, 4),
                           f"top{args.top}_recall": round(recall, 4),
                           "recall_se": round(recall_error, 4), "top3_exact": round(top3, 4)}
            print(f"  {name:>10}: Spearman {spearman:.4f} ± {spearman_error:.4f}  "
                  f"top-{args.top} recall {recall:.3f} ± {recall_error:.3f}  "
                  f"top-3 exact {top3:.2f}")
        result["families"][family] = table
    for key, values in times.items():
        result[f"{key.removesuffix('_seconds')}_fit_seconds_p50"] = round(
            float(np.median(values)), 4)
        result[f"{key.removesuffix('_seconds')}_fit_seconds_max"] = round(
            float(np.max(values)), 4)
    print("calibrated fit at 4,500 scores, ms (p50 / max): " + ", ".join(
        f"{key.removesuffix('_seconds').replace('_', ' ')} {np.median(values) * 1000:.1f} / "
        f"{np.max(values) * 1000:.1f}" for key, values in times.items()))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
