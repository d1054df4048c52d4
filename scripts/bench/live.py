"""Benchmark: live leaderboards under load, against a bare Flask-SocketIO floor.

python scripts/bench/live.py [--clients 2000] [--rate 20] [--seconds 30] [--processes 1]
    [--topology identical|split] [--http-processes 1] [--background-registrations 0] [--burst 0]
    [--kill-after 0] [--db sqlite|postgresql] [--client-procs 2] [--no-baseline] [--seed 2026]
Runs the real app under gunicorn (gevent worker, one worker per process, 3,000 connections)
on loopback, on a copy of the demo edition at the judging stage; connects --clients
python-socketio clients as public viewers of /live; has simulated juries POST scores at
--rate per second through /jury/api/events (login, CSRF and all). Per score and viewer it
measures the time from the POST being sent to the viewer's board showing it (p50/p95/p99/
max), scores lost (not on a viewer's final board) or duplicated, viewers dropped, the
jury POST's own latency and the servers' CPU. Then the same load against a bare
Flask-SocketIO app that re-broadcasts each score (scripts/bench/live_baseline.py).
By default (--topology split, as README recommends) one HTTP server takes the juries and
one fan-out server the viewers (--http-processes N: N HTTP servers, juries split among them);
--processes N (N > 1, or --topology identical) runs N
identical servers behind the Redis queue, viewers and juries split among them.
--burst N: N scores at once at mid-run. --background-registrations R: R late juries per
second accept their invitation (one argon2id hash each). --kill-after S: SIGKILL the
viewers' server S seconds in, restart it, and time until each viewer's board is complete.
--compress: the viewers offer permessage-deflate, as every browser does (the app's shared
frames are then deflated once per event, the floor's compressed per viewer); --compress both:
the whole measure (app and floor) once without and once with, in one invocation.
Last line: {"bench": "live", "clients": ..., "rate_per_s": ..., "p50_ms": ..., ...}
(--compress both: {"bench": "live", "compress": "both", "uncompressed": {...},
"compressed": {...}, "p99_ratio_compressed_to_uncompressed": ...})
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

import redis

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # its sibling modules (scripts/bench is not a package)

import live_metrics as metrics  # noqa: E402
import live_servers as servers  # noqa: E402
import live_world  # noqa: E402


def raise_file_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def redis_db(url: str) -> str:
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    return url


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20.0, help="scores per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--topology", choices=("identical", "split"), default=None,
                        help="split (README's choice, the default for one process): an HTTP "
                             "server and a fan-out server; identical: --processes servers")
    parser.add_argument("--http-processes", type=int, default=1,
                        help="split: how many HTTP-tier servers take the juries' POSTs")
    parser.add_argument("--background-registrations", type=float, default=0.0)
    parser.add_argument("--burst", type=int, default=0)
    parser.add_argument("--kill-after", type=float, default=0.0)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL",
                                                          "redis://127.0.0.1:6379/0"))
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-only", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--compress", nargs="?", const="on", default="off",
                        choices=("off", "on", "both"),
                        help="viewers negotiate permessage-deflate (both: a run each way)")
    args = parser.parse_args()
    if args.topology is None:
        args.topology = "identical" if args.processes > 1 else "split"
    return args


def measure(args: argparse.Namespace, compress: bool) -> dict:
    """One run of the app and (unless --no-baseline) of the floor, the viewers compressing or
    not (the viewer processes read BENCH_LIVE_COMPRESS)."""
    os.environ["BENCH_LIVE_COMPRESS"] = "1" if compress else "0"
    args.compress_on = compress
    if args.baseline_only:
        floor = asyncio.run(servers.run_baseline(args, tempfile.mkdtemp(prefix="bench-live-")))
        return {"bench": "live-baseline", "compress": compress, **metrics.describe(floor)}
    workdir = tempfile.mkdtemp(prefix="bench-live-")
    registrations = int(args.background_registrations * args.seconds) + 5
    world = live_world.prepare(args.db, args.seed, workdir, registrations)
    queue = redis_db(args.redis)
    try:
        app_run = asyncio.run(servers.run_app(args, world, queue, workdir))
    finally:
        world.drop()
    floor = None if args.no_baseline else asyncio.run(servers.run_baseline(args, workdir))
    return metrics.summary(args, app_run, floor)


def main() -> None:
    args = parse()
    raise_file_limit()
    if args.compress != "both":
        print(json.dumps(measure(args, args.compress == "on")))
        return
    plain = measure(args, False)
    print(json.dumps(plain), flush=True)
    compressed = measure(args, True)
    print(json.dumps(compressed), flush=True)
    both = {"bench": "live", "compress": "both", "uncompressed": plain,
            "compressed": compressed}
    if plain.get("p99_ms") and compressed.get("p99_ms"):
        both["p99_ratio_compressed_to_uncompressed"] = round(
            compressed["p99_ms"] / plain["p99_ms"], 3)
    print(json.dumps(both))


if __name__ == "__main__":
    main()
