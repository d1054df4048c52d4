"""The rehearsal in its short mode (scripts/load/rehearsal.py --short): the production
topology from deploy/ under load, with an HTTP process and the fan-out killed, PostgreSQL
restarted and Redis restarted with its data lost. Nothing acknowledged may be lost or
doubled, every viewer must end on the final board, every upload intact, every deadline
decision right. Its timings are figures for the note, not assertions (DESIGN §4)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDS = {"nginx": "/usr/sbin/nginx", "redis-server": shutil.which("redis-server") or "",
         "PostgreSQL's initdb": (glob.glob("/usr/lib/postgresql/*/bin/initdb") or [""])[0]}

pytestmark = [pytest.mark.rehearsal, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def rehearsal() -> dict:
    missing = [name for name, path in NEEDS.items() if not path or not Path(path).exists()]
    if missing:
        message = f"the rehearsal needs {', '.join(missing)} (Debian packages)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "load" / "rehearsal.py"),
                          "--short"], cwd=ROOT, capture_output=True, text=True, timeout=1700)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no figures (exit {run.returncode}):\n{run.stderr[-4000:]}"
    return json.loads(lines[-1])


def test_no_acknowledged_score_is_lost_or_doubled(rehearsal):
    scores = rehearsal["scores"]
    assert scores["acknowledged"] > 0
    assert scores["lost"] == 0
    assert scores["duplicated"] == 0
    assert scores["ledger_rows"] == scores["acknowledged"]
    assert scores["not_acknowledged"] == 0, scores["not_acknowledged_statuses"]


def test_offline_phones_replay_exactly_once(rehearsal):
    replay = rehearsal["offline_replays"]
    assert replay["replayed"] > 0
    assert replay["applied_once"] == replay["replayed"]
    assert replay["resent_acknowledged"] > 0
    assert replay["resent_answered_as_replay"] == replay["resent_acknowledged"]
    assert replay["resent_applied_once"] == replay["resent_acknowledged"]


def test_every_viewer_ends_on_the_final_board(rehearsal):
    viewers = rehearsal["viewers"]
    assert viewers["final_board_share"] == 1.0, viewers
    assert viewers["ever_showed_an_older_board"] == 0
    assert viewers["deflated"] > 0  # half of them negotiated compression


def test_every_fault_is_survived(rehearsal):
    kinds = [fault["kind"] for fault in rehearsal["faults"]]
    assert sorted(kinds) == ["kill_fanout", "kill_http", "restart_postgresql",
                             "restart_redis"]
    for fault in rehearsal["faults"]:
        assert fault["answering_again_s"] is not None, fault
        assert fault["viewers_never_complete"] == 0, fault
    restarts = rehearsal["restarts"]
    assert restarts["http-1"] >= 1 and restarts["fanout"] >= 1 and restarts["redis"] >= 1


def test_uploads_are_intact_and_the_deadline_is_kept(rehearsal):
    uploads, deadline = rehearsal["uploads"], rehearsal["deadline"]
    assert uploads["acknowledged"] > 0
    assert uploads["lost_or_damaged"] == 0
    assert uploads["trickled"] > 0
    assert deadline["wrong_decisions"] == 0, deadline["wrong_examples"]
    assert deadline["refused_after_deadline"] + deadline["form_closed"] > 0
