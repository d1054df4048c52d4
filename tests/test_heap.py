"""A server process freezes the heap its imports made (crunchtime/heap.py), so that Python's
full collections no longer stop its event loop for a tenth of a second each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_server_process_freezes_its_startup_heap(tmp_path):
    env = {**os.environ, "CRUNCHTIME_ENV": "development",
           "SECRET_KEY": "heap-test-secret-key-0123456789-abcdefghij",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'heap.db'}",
           "UPLOAD_DIR": str(tmp_path / "uploads")}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    probe = ("import gc, crunchtime.wsgi; "
             "print(gc.get_threshold()[2], gc.get_freeze_count(), len(gc.get_objects()))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    full_every, frozen, scanned = map(int, result.stdout.split()[-3:])
    assert frozen > 100_000  # what the app's imports made
    assert scanned < frozen / 10  # what a full collection still scans
    assert full_every == 100  # full collections looked at ten times less often (default: 10)
