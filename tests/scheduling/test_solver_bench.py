"""The schedule benchmark runs end to end and ends with its JSON figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_schedule_benchmark_prints_one_json_object_on_its_last_line():
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts/bench/schedule.py"), "--teams", "24",
         "--juries", "9", "--challenges", "6", "--rooms", "2", "--time-limit", "1"],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=120,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["bench"] == "schedule" and figures["teams"] == 24
    # 2 rooms x 1 table x 18 slots = 36 places: the one-table instance fits here
    assert figures["one_table_reasons"] == []
    for prefix in ("", "app_"):
        assert figures[f"{prefix}exact_violations"] == 0
        assert figures[f"{prefix}greedy_violations"] == 0
        assert figures[f"{prefix}exact_objective"] <= figures[f"{prefix}greedy_objective"]
        assert 0 <= figures[f"{prefix}exact_gap_ratio"] <= 1
