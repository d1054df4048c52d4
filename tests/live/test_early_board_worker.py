"""A server process spawns its board worker child before importing the app
(crunchtime/wsgi.py, crunchtime/realtime/board_worker.py): both import at once, and a
restarted fan-out meets its returning viewers with a child ready to compute instead of one
that competes with them for the CPU."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crunchtime.realtime import board_worker
from crunchtime.realtime.board_worker import BoardWorker, discard_early, spawn_early

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import time
import crunchtime.realtime.board_worker as board_worker
spawned = []
spawn = board_worker._spawn
def recorded(module):
    process = spawn(module)
    spawned.append(process.pid)
    return process
board_worker._spawn = recorded
import crunchtime.app, crunchtime.wsgi
hub = crunchtime.wsgi.hub
deadline = time.time() + 60
while (hub._worker is None or hub._worker._process is None) and time.time() < deadline:
    hub.server.sleep(0.05)  # the hub's background tasks run meanwhile
print(crunchtime.wsgi.BOARD_WORKER_MODULE == crunchtime.app.BOARD_WORKER_MODULE,
      spawned[0] == hub._worker._process.pid, len(spawned))
"""


def _server_env(tmp_path) -> dict:
    env = {**os.environ, "CRUNCHTIME_ENV": "development",
           "SECRET_KEY": "early-worker-test-secret-0123456789-abcdefghij",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'early.db'}",
           "UPLOAD_DIR": str(tmp_path / "uploads")}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    env.pop("LIVE_BOARD_WORKER", None)
    return env


def test_the_server_adopts_the_child_it_spawned_before_its_imports(tmp_path):
    result = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=_server_env(tmp_path),
                            capture_output=True, text=True, timeout=180, check=True)
    same_module, adopted, spawned = result.stdout.split()[-3:]
    assert same_module == "True"  # wsgi spawns the module create_app names
    assert adopted == "True"  # the hub's worker is the early child...
    assert spawned == "1"  # ...and no second one was started


def test_an_early_child_is_adopted_once_then_a_new_one_is_spawned(monkeypatch):
    spawned = []

    class Child:
        def __init__(self):
            self.stdin = _Sink()
            self.returncode = None
            spawned.append(self)

        def poll(self):
            return self.returncode

        def kill(self):
            self.returncode = -9

        def wait(self):
            return self.returncode

    monkeypatch.setattr(board_worker, "_spawn", lambda module: Child())
    monkeypatch.setattr(board_worker, "_early", {})
    spawn_early("some.module")
    spawn_early("some.module")  # once per module
    assert len(spawned) == 1
    worker = BoardWorker({"SECRET_KEY": "x"}, "some.module")
    worker.start()
    assert worker._process is spawned[0]
    assert spawned[0].stdin.written == b'{"SECRET_KEY": "x"}\n'  # its settings, first
    worker.stop()
    assert spawned[0].returncode == -9
    worker.start()  # restarted: a child of its own
    assert worker._process is spawned[1]


def test_an_early_child_that_died_is_replaced(monkeypatch):
    children = []

    class Child:
        def __init__(self, returncode):
            self.stdin = _Sink()
            self.returncode = returncode
            children.append(self)

        def poll(self):
            return self.returncode

    monkeypatch.setattr(board_worker, "_early", {})
    monkeypatch.setattr(board_worker, "_spawn", lambda module: Child(1))
    spawn_early("some.module")
    monkeypatch.setattr(board_worker, "_spawn", lambda module: Child(None))
    worker = BoardWorker({}, "some.module")
    worker.start()
    assert worker._process is children[1]


def test_an_unadopted_early_child_is_stopped(monkeypatch):
    monkeypatch.setattr(board_worker, "_early", {})
    spawn_early("crunchtime.live_worker")
    process = board_worker._early["crunchtime.live_worker"]
    discard_early()
    assert process.poll() is not None
    assert board_worker._early == {}


def test_a_child_whose_server_never_sent_its_settings_exits_quietly():
    """Its server stopped before creating the app (a configuration error): stdin closes."""
    result = subprocess.run([sys.executable, "-m", "crunchtime.live_worker"], cwd=ROOT,
                            input=b"", capture_output=True, timeout=120)
    assert result.returncode == 0
    assert b"Traceback" not in result.stderr


class _Sink:
    def __init__(self):
        self.written = b""

    def write(self, data: bytes) -> None:
        self.written += data

    def flush(self) -> None:
        pass
