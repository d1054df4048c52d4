"""The rehearsal's figures, from what its people were answered, what the viewers saw and what
the database holds at the end (scripts/load/rehearsal.py)."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np

COMPLETE_WITHIN_S = 5.0
DEADLINE_MARGIN_S = 1.0  # a save that finished this close to the deadline may go either way
ACKNOWLEDGED = (200, 201)


def _percentiles(values) -> dict:
    if len(values) == 0:
        return {"count": 0}
    array = np.asarray(values) * 1000
    return {"count": len(values), "p50_ms": round(float(np.percentile(array, 50)), 1),
            "p95_ms": round(float(np.percentile(array, 95)), 1),
            "p99_ms": round(float(np.percentile(array, 99)), 1),
            "max_ms": round(float(array.max()), 1)}


def _window(fault: dict) -> tuple[float, float]:
    return fault["at"], (fault.get("back") or fault["at"]) + COMPLETE_WITHIN_S


def scores(rehearsal, ledger) -> dict:
    acknowledged = {p["event_id"] for p in [*rehearsal.posts, *rehearsal.replays]
                    if p["status"] in ACKNOWLEDGED}
    rows = ledger.rows_per_event
    failed = [p for p in rehearsal.posts if p["status"] not in ACKNOWLEDGED]
    return {"acknowledged": len(acknowledged),
            "ledger_rows": sum(rows.get(e, 0) for e in acknowledged),
            "lost": sum(rows.get(e, 0) == 0 for e in acknowledged),
            "duplicated": sum(count - 1 for count in rows.values() if count > 1),
            "not_acknowledged": len(failed),
            "not_acknowledged_statuses": dict(Counter(str(p["status"]) for p in failed)),
            "retried_until_acknowledged": sum(p["retried"] and p["status"] in ACKNOWLEDGED
                                              for p in rehearsal.posts),
            "round_scores_at_end": ledger.round_scores}


def replays(rehearsal, ledger) -> dict:
    rows = ledger.rows_per_event
    queued = [r for r in rehearsal.replays if not r["resent_acknowledged"]]
    resent = [r for r in rehearsal.replays if r["resent_acknowledged"]]
    return {"replayed": len(queued),
            "applied_once": sum(rows.get(r["event_id"], 0) == 1 for r in queued),
            "resent_acknowledged": len(resent),
            "resent_answered_as_replay": sum(r["status"] == 200 for r in resent),
            "resent_applied_once": sum(rows.get(r["event_id"], 0) == 1 for r in resent)}


def viewers(rehearsal, watched, ledger) -> dict:
    expected = rehearsal.world.recorded + len(
        {p["event_id"] for p in [*rehearsal.posts, *rehearsal.replays] if p["status"] == 201})
    everyone = watched["viewers"]
    final = [v for v in everyone if v["recorded"] == ledger.round_scores]
    older = 0
    for viewer in everyone:
        seen = [recorded for _moment, recorded in viewer["history"]]
        older += any(later < earlier for earlier, later in pairwise(seen))
    return {"viewers": len(everyone),
            "final_board_share": round(len(final) / max(len(everyone), 1), 4),
            "final_board_expected": ledger.round_scores,
            "final_board_from_answers": expected,
            "behind_at_end": sum((v["recorded"] or 0) < ledger.round_scores for v in everyone),
            "ever_showed_an_older_board": older,
            "connected_at_end": sum(bool(v["connected"]) for v in everyone),
            "connect_failures": watched["connect_failures"],
            "deflated": sum(bool(v.get("deflated")) for v in everyone),
            "duplicates_seen": sum(v["duplicates"] for v in everyone),
            "resyncs": sum(v["resyncs"] for v in everyone)}


def faults(rehearsal, watched) -> list[dict]:
    first_answer: dict[str, float] = {}
    for post in [*rehearsal.posts, *rehearsal.replays]:
        if post["status"] == 201:
            first_answer.setdefault(post["event_id"], post["answered"])
    answered = sorted(first_answer.values())
    result = []
    for fault in rehearsal.faults:
        at, until = _window(fault)
        back = fault.get("back") or 0.0
        target = rehearsal.world.recorded + int(np.searchsorted(answered, at))
        waits = []
        for viewer in watched["viewers"]:
            before = [r for moment, r in viewer["history"] if moment < at]
            after = [moment for moment, r in viewer["history"] if moment >= at and r >= target]
            if before and before[-1] >= target and not _dropped_after(viewer, at, target):
                waits.append(0.0)
            elif after:
                waits.append(max(0.0, after[0] - back))
            else:
                waits.append(float("inf"))
        finite = [w for w in waits if w != float("inf")]
        rejoined = [min((j for j in viewer.get("joins", []) if at <= j <= at + 60),
                        default=None) for viewer in watched["viewers"]]
        rejoined = [j - back for j in rejoined if j is not None and back]
        result.append({
            "viewers_rejoined": len(rejoined),
            "rejoined_after_back_s": _seconds(rejoined),
            "kind": fault["kind"],
            "answering_again_s": round(back - at, 2) if back else None,
            "converged_s": round(max(finite), 2) if finite and len(finite) == len(waits)
            else None,
            "complete_within_5s_share": round(sum(w <= COMPLETE_WITHIN_S for w in waits)
                                              / max(len(waits), 1), 4),
            "viewers_never_complete": len(waits) - len(finite),
            "errors_seen": _errors_between(rehearsal, at, until)})
    return result


def _seconds(values) -> dict:
    if not values:
        return {}
    array = np.asarray(values)
    return {"p50": round(float(np.percentile(array, 50)), 2),
            "p99": round(float(np.percentile(array, 99)), 2), "max": round(float(array.max()), 2)}


def _dropped_after(viewer, at: float, target: int) -> bool:
    return any(moment >= at and r < target for moment, r in viewer["history"])


def _errors_between(rehearsal, start: float, end: float) -> dict:
    """What people saw go wrong while the fault lasted (and 5 s after): a score that had to
    wait for the network (the phone says so) or was refused, a save that failed, an
    organiser's page that did not load."""
    posts = [p for p in rehearsal.posts if start <= p["sent"] <= end]
    saves = [s for s in rehearsal.saves if start <= s.started <= end or
             start <= s.answered <= end]
    hits = [h for o in rehearsal.organizers for h in o.hits if start <= h.at <= end]
    return {"scores_waiting": sum(p["retried"] for p in posts),
            "scores_failed": sum(p["status"] not in ACKNOWLEDGED for p in posts),
            "saves_failed": sum(bool(s.error) or s.status >= 500 for s in saves),
            "organizer_pages_failed": sum(h.status != 200 for h in hits),
            "organizer_pages": len(hits)}


def uploads(rehearsal, ledger) -> dict:
    saves = rehearsal.saves
    accepted = [s for s in saves if s.accepted]
    intact = [s for s in accepted
              if ledger.files.get(s.file_name) == (s.sha256, s.sha256)]
    return {"saves": len(saves), "acknowledged": len(accepted), "intact": len(intact),
            "lost_or_damaged": len(accepted) - len(intact),
            "trickled": sum(s.trickled for s in saves),
            "megabytes_acknowledged": round(sum(s.size for s in accepted) / 2**20, 1),
            "failed": sum(bool(s.error) or s.status >= 500 for s in saves),
            "answers": dict(Counter(s.error or str(s.status) for s in saves)),
            "save_seconds": _percentiles([s.answered - s.started for s in accepted
                                          if not s.trickled])}


def deadline(rehearsal) -> dict:
    marks = rehearsal.marks
    closes, opened_until = marks["closes"], marks["deadline"]
    wrong, borderline = [], 0
    for save in rehearsal.saves:
        arrived = save.finished_sending or save.answered
        if abs(arrived - closes) < DEADLINE_MARGIN_S:
            borderline += 1
        elif save.accepted and arrived > closes:
            wrong.append(("accepted late", save.team))
        elif save.refused_for_deadline and arrived < closes:
            wrong.append(("refused in time", save.team))
        elif save.form_closed and save.started < opened_until - DEADLINE_MARGIN_S:
            wrong.append(("closed early", save.team))
    return {"grace_minutes": rehearsal.plan.grace_minutes,
            "accepted": sum(s.accepted for s in rehearsal.saves),
            "refused_after_deadline": sum(s.refused_for_deadline for s in rehearsal.saves),
            "form_closed": sum(s.form_closed for s in rehearsal.saves),
            "borderline": borderline, "wrong_decisions": len(wrong),
            "wrong_examples": wrong[:5]}


def latency(rehearsal, watched) -> dict:
    """Score POSTs (first try) and live deliveries (POST sent → a viewer's board shows it),
    by phase of the afternoon: steady, burst, offline replays, and the scores sent while a
    fault lasted. The slow readers (3 s of every 10 without reading) apart."""
    def phase_of(post) -> str:
        for fault in rehearsal.faults:
            start, end = _window(fault)
            if start <= post["sent"] <= end and post["phase"] == "steady":
                return f"during_{fault['kind']}"
        return post["phase"]

    phases: dict[str, list] = {}
    for post in rehearsal.posts:
        phases.setdefault(phase_of(post), []).append(post)
    result = {}
    for phase, posts in sorted(phases.items()):
        sent = {p["seq"]: p["sent"] for p in posts if p["status"] == 201 and p["seq"]}
        result[phase] = {
            "post": _percentiles([p["answered"] - p["request_started"] for p in posts
                                  if p["status"] in ACKNOWLEDGED and not p["retried"]]),
            "delivery": _percentiles(_delivered(watched["record"], sent)),
            "delivery_slow_readers": _percentiles(
                _delivered(watched.get("slow_record", {}), sent))}
    return result


def _delivered(record: dict, sent: dict) -> list[float]:
    return [moment - sent[seq] for seq, times in record.items() if seq in sent
            for moment in times]


def memory(rehearsal) -> dict:
    from stack import peak_rss_mb

    for process in [*rehearsal.http, rehearsal.fanout, rehearsal.redis]:
        process.note_memory()
    pid_file = rehearsal.postgres.data / "postmaster.pid"
    postgres = peak_rss_mb(int(pid_file.read_text().split()[0])) if pid_file.exists() else None
    return {**{p.name: p.peak_mb for p in [*rehearsal.http, rehearsal.fanout, rehearsal.redis]},
            "postgresql": postgres}


def _timeline(rehearsal) -> dict:
    """Seconds from the start of act 1 of each moment and fault (and its service back)."""
    start = rehearsal.marks.get("act1", 0.0)
    moments = {name: round(at - start, 1) for name, at in rehearsal.marks.items()
               if name != "phase_seconds"}
    for fault in rehearsal.faults:
        moments[fault["kind"]] = round(fault["at"] - start, 1)
        if fault.get("back"):
            moments[f"{fault['kind']}_back"] = round(fault["back"] - start, 1)
    return moments


def report(rehearsal, watched, ledger) -> dict:
    result = {"bench": "rehearsal", "scores": scores(rehearsal, ledger),
              "offline_replays": replays(rehearsal, ledger),
              "viewers": viewers(rehearsal, watched, ledger),
              "faults": faults(rehearsal, watched),
              "uploads": uploads(rehearsal, ledger), "deadline": deadline(rehearsal),
              "latency": latency(rehearsal, watched),
              "peak_memory_mb": memory(rehearsal),
              "phase_change_seconds": round(rehearsal.marks.get("phase_seconds", 0), 2),
              "restarts": {p.name: len(p.lives)
                           for p in [*rehearsal.http, rehearsal.fanout, rehearsal.redis]},
              "plan": vars(rehearsal.plan), "workdir": str(Path(rehearsal.workdir)),
              "timeline_s": _timeline(rehearsal)}
    replay = result["offline_replays"]
    result["ok"] = (
        result["scores"]["lost"] == 0 and result["scores"]["duplicated"] == 0
        and result["viewers"]["final_board_share"] == 1.0
        and result["viewers"]["ever_showed_an_older_board"] == 0
        and result["uploads"]["lost_or_damaged"] == 0
        and result["deadline"]["wrong_decisions"] == 0
        and replay["applied_once"] == replay["replayed"]
        and replay["resent_applied_once"] == replay["resent_acknowledged"]
        and all(f["complete_within_5s_share"] == 1.0 for f in result["faults"]))
    return result
