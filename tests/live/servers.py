"""Real server processes for the multi-process live tests: gunicorn with the shipped
gunicorn.conf.py (one gevent worker, as in production), python-socketio clients that follow
the live protocol, and a jury that scores through the HTTP endpoint (login and CSRF
included)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio

from crunchtime.realtime.protocol import LiveClientState

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "live-multiprocess-test-secret-key-0123456789"
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn process group (master, gevent worker, board worker)."""

    def __init__(self, database_url: str, redis_url: str, prefix: str, workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"server-{self.port}.log"
        self.env = {**os.environ, "CRUNCHTIME_ENV": "production", "SECRET_KEY": SECRET_KEY,
                    "DATABASE_URL": database_url, "SOCKETIO_MESSAGE_QUEUE": redis_url,
                    "LIVE_REDIS_PREFIX": prefix, "RATELIMIT_ENABLED": "false",
                    "UPLOAD_DIR": str(workdir / "uploads"), "BASE_URL": self.url}
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        return self.launch().wait_ready()

    def launch(self) -> Server:
        """Start the process without waiting for it (start several, then wait for each)."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                 "--bind", f"127.0.0.1:{self.port}"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 30) -> Server:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                requests.get(self.url + "/health", timeout=2)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole group, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class Watcher:
    """A python-socketio client on /live that keeps each room's latest board."""

    def __init__(self, url: str, cookies: str | None = None, ssl_verify: bool = True):
        self.state = LiveClientState()
        self.boards: dict[str, dict] = {}
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=1,
                                      handle_sigint=False, ssl_verify=ssl_verify)
        self.client.on("snapshot", self._answer, namespace="/live")
        self.client.on("catchup", self._answer, namespace="/live")
        self.client.on("*", self._event, namespace="/live")
        self.client.on("disconnect", lambda *_reason: self.state.disconnected(),
                       namespace="/live")
        self.client.connect(url, namespaces=["/live"], transports=["websocket"],
                            auth=self.state.since, wait_timeout=20,
                            headers={"Cookie": cookies} if cookies else {})

    def _take(self, deliveries, resync) -> None:
        with self.changed:
            for delivery in deliveries:
                if delivery.event == "board":
                    self.boards[delivery.meta["room"]] = delivery.payload
            self.changed.notify_all()
        if resync:
            answers = self.client.call("resync", resync, namespace="/live", timeout=10)
            for answer in answers or ():
                self._take(*self.state.answer(answer))

    def _answer(self, answer) -> None:
        self._take(*self.state.answer(answer))

    def _event(self, event, payload=None, meta=None) -> None:
        if isinstance(meta, dict):
            self._take(*self.state.event(event, payload, meta))

    def wait_for(self, check, timeout: float = 20, room: str = "public") -> dict:
        """The room's board once `check(board)` holds."""
        deadline = time.time() + timeout
        with self.changed:
            while True:
                board = self.boards.get(room)
                if board is not None and check(board):
                    return board
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError(f"{room} board never matched; last: {board}")
                self.changed.wait(left)

    def close(self) -> None:
        self.client.disconnect()


def session_cookie(base: str, email: str, password: str) -> str:
    """The Cookie header of a browser signed in with the login form."""
    session = requests.Session()
    token = _CSRF.search(session.get(f"{base}/login", timeout=10).text).group(1)
    response = session.post(f"{base}/login", timeout=10, data={
        "email": email, "password": password, "csrf_token": token})
    assert "/login" not in response.url, response.text[:500]
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


class Jury:
    """A jury's browser: logs in with the form, then posts scores as the phone does."""

    def __init__(self, email: str, password: str):
        self.email, self.password = email, password
        self.session = requests.Session()
        self.token = ""

    def _csrf(self, url: str) -> str:
        return _CSRF.search(self.session.get(url, timeout=10).text).group(1)

    def login(self, base: str) -> Jury:
        response = self.session.post(f"{base}/login", timeout=10, data={
            "email": self.email, "password": self.password,
            "csrf_token": self._csrf(f"{base}/login")})
        assert "/jury" in response.url, response.text[:500]
        self.token = self._csrf(f"{base}/jury/")
        return self

    def score(self, base: str, round_id: int, team_id: int, criterion_id: int,
              value: int) -> dict:
        response = self.session.post(f"{base}/jury/api/events", timeout=10, json={
            "client_event_id": f"mp-{uuid.uuid4().hex}", "kind": "score", "round_id": round_id,
            "team_id": team_id, "criterion_id": criterion_id, "value": value},
            headers={"X-CSRFToken": self.token})
        assert response.status_code == 201, response.text
        return response.json()
