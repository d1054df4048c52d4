"""The board worker's handle: a child process (crunchtime/live_worker.py) that computes the
live board, so that reading the ledger, replaying it and ranking ~300 teams (NumPy/SciPy,
mostly holding the GIL) never runs on a server's event loop — in a thread it would still
steal the loop's GIL at every send.

Protocol over the child's stdin/stdout, one JSON object per line: the parent first writes
the app's settings, then one request per batch ({"force": bool, "rooms": [...] or null}); the
child answers each with {"ok": true, "changed": [[room, view JSON text], ...], "dropped":
[room, ...]} (the views of the listened rooms that changed since its last answer, every one
when forced; the rooms no longer listened) or {"ok": false, "error": "..."}.
The child exits when its stdin closes (its server stopped or was killed).

A server process spawns its child first thing (`spawn_early`, from crunchtime/wsgi.py), before
importing the app: the child's own imports (NumPy, SciPy, SQLAlchemy: two seconds and more of
CPU) then run alongside the server's, not while a restarted fan-out takes back its 2,000
viewers. It waits for its settings on stdin; the hub's BoardWorker adopts it on first use."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading

log = logging.getLogger(__name__)
_SETTINGS = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY", "UPLOAD_DIR",
             "LIVE_PUBLIC_TOP", "ENV_NAME")
# One BLAS thread: on a small machine OpenBLAS' own threads make a 100×100 solve ten times
# slower, and they would compete with the servers.
_CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_early: dict[str, subprocess.Popen] = {}  # module -> a child spawned before the app existed


def _spawn(module: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own module, named by create_app
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, **_CHILD_ENV})


def spawn_early(module: str) -> None:
    """Start this process' board worker child now; it imports while the server does."""
    if module not in _early:
        _early[module] = _spawn(module)


def discard_early() -> None:
    """Stop an early child nobody adopted (the app computes its board inline)."""
    while _early:
        _module, process = _early.popitem()
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def worker_settings(config) -> dict:
    settings = {key: config[key] for key in _SETTINGS if key in config}
    settings.update(SOCKETIO_MESSAGE_QUEUE=None, SOCKETIO_ASYNC_MODE="threading",
                    LIVE_BOARD_WORKER="inline", TESTING=False)
    # The child only reads, several statements per batch, ten or twenty batches a second:
    # each statement on its own (no BEGIN and ROLLBACK round trips; on PostgreSQL each
    # statement of a transaction saw the latest commits anyway) and no ping before each
    # batch (a connection lost to a database restart is retried once, live_worker.py).
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **settings.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "pool_pre_ping": False,
        "isolation_level": "AUTOCOMMIT"}
    return settings


class BoardWorker:
    """The parent's handle on its child; started on first use, restarted if it died."""

    def __init__(self, settings: dict, module: str):
        self._settings = settings
        self._module = module  # the child's `python -m` entry (crunchtime/live_worker.py)
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        process = _early.pop(self._module, None)
        if process is None or process.poll() is not None:
            process = _spawn(self._module)
        process.stdin.write(json.dumps(self._settings).encode() + b"\n")
        process.stdin.flush()
        return process

    def start(self) -> None:
        """Start the child now (it imports the app while nothing waits for it)."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()

    def compute(self, force: bool = False, rooms: set[str] | None = None):
        """One board computation for the listened `rooms` (all if None): (changed views,
        dropped rooms); raises RuntimeError when the child failed or died."""
        self.start()
        request = json.dumps({"force": force, "rooms": None if rooms is None else sorted(rooms)})
        with self._lock:
            try:
                self._process.stdin.write(request.encode() + b"\n")
                self._process.stdin.flush()
                line = self._process.stdout.readline()
            except OSError as error:
                self.stop()
                raise RuntimeError(f"board worker unreachable: {error}") from error
            if not line:
                self.stop()
                raise RuntimeError("board worker died")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise RuntimeError(f"board worker failed: {answer.get('error')}")
        return [(room, text) for room, text in answer["changed"]], answer.get("dropped", [])

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            _stop(process)
