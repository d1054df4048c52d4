"""Benchmark: how close each estimator's ranking comes to a planted truth, and how fast.

python scripts/bench/calibration.py [--seeds 50] [--teams 300] [--juries 100] [--k 3]
Per seed: a synthetic judging, juries assigned by assign_juries, scores simulated, then the
raw mean (the baseline), per-jury z-score and the jury-effect model ranked side by side.
fit_seconds: the calibrated ranking per seed, intervals and P(top k) by --draws included.
Last line: {"bench": "calibration", "seeds": N, "raw_spearman": ..., "zscore_spearman": ...,
            "calibrated_spearman": ..., "raw_top10_recall": ..., ..., "fit_seconds": ...}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from crunchtime.scoring.assignment import assign_juries
from crunchtime.scoring.ranking import ESTIMATORS, rank_teams
from crunchtime.scoring.simulation import (
    simulate_scores,
    spearman_to_truth,
    synthetic_judging,
    top_recall,
)


def run_seed(seed: int, args: argparse.Namespace) -> dict[str, float]:
    """One synthetic judging: each estimator's Spearman, top-n recall and seconds."""
    judging = synthetic_judging(teams=args.teams, juries=args.juries, seed=seed)
    started = time.perf_counter()
    plan = assign_juries(judging.juries, judging.teams, k=args.k,
                         conflicts=judging.conflicts, seed=seed)
    figures = {"assign_seconds": time.perf_counter() - started}
    scores = simulate_scores(judging, plan.pairs, seed=seed)
    for name in ESTIMATORS:
        started = time.perf_counter()
        ranking = rank_teams(scores, judging.criteria, estimators=[name], top_k=args.top,
                             draws=args.draws, seed=seed)[name]
        figures[f"{name}_seconds"] = time.perf_counter() - started
        figures[f"{name}_spearman"] = spearman_to_truth(ranking, judging.quality)
        figures[f"{name}_recall"] = top_recall(ranking, judging.quality, args.top)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--juries", type=int, default=100)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--draws", type=int, default=2000, help="Monte-Carlo draws for P(top k)")
    args = parser.parse_args()

    runs = [run_seed(seed, args) for seed in range(args.seeds)]

    def mean(key: str) -> float:
        return statistics.fmean(run[key] for run in runs)

    print(f"{args.seeds} seeds, {args.teams} teams, {args.juries} juries, k={args.k}; "
          f"assignment {mean('assign_seconds'):.3f} s per seed")
    for name in ESTIMATORS:
        wins = sum(run[f"{name}_spearman"] > run["raw_spearman"] for run in runs)
        versus = "baseline" if name == "raw" else f"beats raw on {wins}/{args.seeds} seeds"
        print(f"{name:>10}: Spearman {mean(f'{name}_spearman'):.4f}  "
              f"top-{args.top} recall {mean(f'{name}_recall'):.3f}  "
              f"{mean(f'{name}_seconds'):.3f} s  ({versus})")
    result = {"bench": "calibration", "seeds": args.seeds, "teams": args.teams,
              "juries": args.juries, "k": args.k}
    for name in ESTIMATORS:
        result[f"{name}_spearman"] = round(mean(f"{name}_spearman"), 4)
    for name in ESTIMATORS:
        result[f"{name}_top{args.top}_recall"] = round(mean(f"{name}_recall"), 4)
    result["fit_seconds"] = round(mean("calibrated_seconds"), 4)
    result["assign_seconds"] = round(mean("assign_seconds"), 4)
    result["rank_error_ratio"] = round(
        (1 - result["calibrated_spearman"]) / (1 - result["raw_spearman"]), 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
