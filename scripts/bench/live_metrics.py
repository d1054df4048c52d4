"""Figures of scripts/bench/live.py from what the load and the viewers recorded."""

from __future__ import annotations

import numpy as np

COMPLETE_WITHIN_S = 5.0


def _percentiles(values, prefix: str = "") -> dict:
    if len(values) == 0:
        return {f"{prefix}p50_ms": None, f"{prefix}p95_ms": None, f"{prefix}p99_ms": None,
                f"{prefix}max_ms": None}
    array = np.asarray(values) * 1000
    return {f"{prefix}p50_ms": round(float(np.percentile(array, 50)), 1),
            f"{prefix}p95_ms": round(float(np.percentile(array, 95)), 1),
            f"{prefix}p99_ms": round(float(np.percentile(array, 99)), 1),
            f"{prefix}max_ms": round(float(array.max()), 1)}


def latencies(run, only_burst: bool = False) -> list[float]:
    """Seconds from each score's leaving the bench (its request written to the connection;
    its coroutine's start when not known) to each viewer's receiving it. The bench's one
    process stands for a hundred phones: in a burst of 200 it wrote the last request some
    400 ms after preparing the first, a queue of its own that no phone has."""
    sent = {post["seq"]: post.get("written") or post["sent"] for post in run.posts
            if post["seq"] is not None and post["status"] in (200, 201, 204)
            and (post["burst"] or not only_burst)}
    values = []
    for seq, times in run.viewers["record"].items():
        if seq in sent:
            values.extend(moment - sent[seq] for moment in times)
    return values


def _recorded_posts(run) -> list[dict]:
    return [post for post in run.posts if post["status"] in (200, 201, 204)]


def _lost(run) -> int:
    viewers = run.viewers["viewers"]
    if run.kind == "baseline":
        ids = {post["seq"] for post in _recorded_posts(run)}
        got = sum(len(times) for seq, times in run.viewers["record"].items() if seq in ids)
        return len(ids) * len(viewers) - got
    expected = run.initial_recorded + sum(post["status"] == 201 for post in run.posts)
    return sum(max(0, expected - (viewer["recorded"] or 0)) for viewer in viewers)


def _kill_figures(run) -> dict:
    """After the restart: how long until each viewer's board holds every score recorded
    before the kill (app), or what share of deliveries never came (floor)."""
    if run.kill is None:
        return {}
    killed, ready = run.kill["killed"], run.kill["ready"]
    figures = {"restart_seconds": round(ready - killed, 2)}
    if run.kind == "baseline":
        return figures
    target = run.initial_recorded + sum(post["status"] == 201 and post["answered"] < killed
                                        for post in run.posts)
    waits = []
    for viewer in run.viewers["viewers"]:
        times = [moment for moment, recorded in viewer["history"]
                 if recorded >= target and moment >= killed]
        before = [recorded for moment, recorded in viewer["history"] if moment < killed]
        if before and before[-1] >= target:
            waits.append(0.0)
        elif times:
            waits.append(max(0.0, times[0] - ready))
        else:
            waits.append(float("inf"))
    finite = [w for w in waits if w != float("inf")]
    figures.update(
        complete_after_restart_p99_s=round(float(np.percentile(finite, 99)), 2)
        if len(finite) == len(waits) and waits else None,
        complete_within_5s_share=round(sum(w <= COMPLETE_WITHIN_S for w in waits)
                                       / max(len(waits), 1), 4),
        clients_never_complete=len(waits) - len(finite))
    return figures


def describe(run) -> dict:
    posts = _recorded_posts(run)
    first_try = [p["answered"] - p["request_started"] for p in posts if not p["retried"]]
    viewers = run.viewers["viewers"]
    figures = {
        **_percentiles(latencies(run)),
        "deliveries": len(latencies(run)),
        "lost": _lost(run),
        "duplicated": sum(viewer["duplicates"] for viewer in viewers),
        "clients_connected_at_end": sum(bool(viewer["connected"]) for viewer in viewers),
        "clients_dropped": sum(viewer["disconnects"] > 0 for viewer in viewers)
        if run.kill is None else None,
        "connect_failures": run.viewers["connect_failures"],
        "scores_posted": len(posts),
        **_percentiles(first_try, "post_"),
        "server_cpu_percent": round(100 * run.cpu_seconds / max(run.wall_seconds, 1e-9), 1),
        **_kill_figures(run),
    }
    if any(post["burst"] for post in run.posts):
        figures.update(_percentiles(latencies(run, only_burst=True), "burst_"))
    if run.kind == "app":
        figures["resyncs"] = sum(viewer["resyncs"] for viewer in viewers)
    figures["clients_deflated"] = sum(bool(viewer.get("deflated")) for viewer in viewers)
    if run.registrations:
        figures["registrations"] = len(run.registrations)
        figures["registration_p50_s"] = round(float(np.median(run.registrations)), 3)
    figures["load_failures"] = run.load_failures
    return figures


def summary(args, app_run, floor) -> dict:
    app = describe(app_run)
    result = {"bench": "live", "clients": args.clients, "rate_per_s": args.rate,
              "seconds": args.seconds, "burst": args.burst,
              "background_registrations_per_s": args.background_registrations,
              "processes": args.http_processes + 1 if args.topology == "split"
              else args.processes,
              "topology": args.topology, "kill_after_seconds": args.kill_after or None,
              "db": args.db, "compress": bool(getattr(args, "compress_on", False)), **app}
    if floor is not None:
        base = describe(floor)
        result.update({f"baseline_{key}": value for key, value in base.items()
                       if key in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "lost", "duplicated",
                                  "burst_p99_ms", "server_cpu_percent", "clients_dropped",
                                  "clients_deflated")})
        if app["p99_ms"] and base["p99_ms"]:
            result["p99_ratio_to_baseline"] = round(app["p99_ms"] / base["p99_ms"], 3)
        if app.get("burst_p99_ms") and base.get("burst_p99_ms"):
            result["burst_p99_ratio_to_baseline"] = round(
                app["burst_p99_ms"] / base["burst_p99_ms"], 3)
    return result
