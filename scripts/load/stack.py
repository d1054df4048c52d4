"""The production topology of the rehearsal, on loopback: its own PostgreSQL cluster and Redis
server (so that restarting them touches nothing else on the machine), two HTTP processes and
the fan-out process (gunicorn with the shipped gunicorn.conf.py, as deploy/systemd runs them),
Debian's nginx on the shipped site (deploy/nginx/crunchtime.conf, only ports and paths
rendered), and a supervisor that restarts what dies as systemd's `Restart=always`,
`RestartSec=2` in deploy/systemd does."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESTART_SECONDS = 2.0  # deploy/systemd: RestartSec=2
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
            "--graceful-timeout", "3", "--log-level", "warning"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> float:
    """The time the port first accepts a connection."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return time.time()
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after {timeout:.0f} s")


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's worker, the board worker)."""
    children: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    tree, stack = [], [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        stack.extend(children.get(current, []))
    return tree


def peak_rss_mb(pid: int) -> float:
    """The largest VmHWM (peak resident memory) among the process and its descendants."""
    peak = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return round(peak / 1024, 1)


@dataclass
class Life:
    """One death and restart of a supervised process."""

    died: float
    restarted: float = 0.0
    ready: float = 0.0
    killed_by_us: bool = False


@dataclass
class Supervised:
    """A long-running process the supervisor keeps alive."""

    name: str
    command: list[str]
    env: dict
    log: Path
    port: int
    ready_check: object = None  # callable() -> None, raises until ready
    process: subprocess.Popen | None = None
    lives: list[Life] = field(default_factory=list)
    peak_mb: float = 0.0

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env={**os.environ, **self.env}, stdout=log,
                stderr=log, start_new_session=True)

    def wait_ready(self, timeout: float = 90.0) -> float:
        ready = wait_for_port(self.port, timeout)
        if self.ready_check is not None:
            deadline = time.time() + timeout
            while True:
                try:
                    self.ready_check()
                    return time.time()
                except Exception:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.1)
        return ready

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def note_memory(self) -> None:
        if self.alive():
            self.peak_mb = max(self.peak_mb, peak_rss_mb(self.process.pid))

    def kill(self) -> float:
        """kill -9 of the whole group (master, worker, board worker)."""
        self.note_memory()
        moment = time.time()
        self.lives.append(Life(died=moment, killed_by_us=True))
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return moment

    def stop(self) -> None:
        if not self.alive():
            return
        self.note_memory()
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Supervisor:
    """Restarts any supervised process that exits, RestartSec after it died, and notes when
    it answered again (a thread: it must not wait on the load's event loop)."""

    def __init__(self, members: list[Supervised]):
        self.members = members
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            for member in self.members:
                if member.process is not None and member.process.poll() is not None:
                    life = member.lives[-1] if member.lives and not member.lives[-1].restarted \
                        else None
                    if life is None:
                        life = Life(died=time.time())
                        member.lives.append(life)
                    time.sleep(max(0.0, life.died + RESTART_SECONDS - time.time()))
                    member.start()
                    life.restarted = time.time()
                    threading.Thread(target=self._note_ready, args=(member, life),
                                     daemon=True).start()
                else:
                    member.note_memory()
            self._stop.wait(0.2)

    @staticmethod
    def _note_ready(member: Supervised, life: Life) -> None:
        try:
            life.ready = member.wait_ready()
        except Exception:  # reported as never ready
            life.ready = 0.0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is missing (Debian: postgresql)")
    return found[-1]


class PrivatePostgres:
    """A PostgreSQL cluster of the rehearsal's own (PostgreSQL refuses to run as root: as
    root the cluster belongs to the `postgres` account)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.log = directory / "postgresql.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/crunchtime"
        self.restarts: list[dict] = []

    def _run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def _own(self, path: Path) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._own(self.directory)
        self._run([_postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U",
                   "postgres", "-E", "UTF8", "--no-instructions"])
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.directory}'\n"
                       "max_connections = 300\nshared_buffers = 256MB\n")
        self._pg_ctl("start")
        self._run([_postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                   "-U", "postgres", "crunchtime"])

    def _pg_ctl(self, action: str, *extra: str) -> None:
        self._run([_postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                   "-t", "60", *extra, action])

    def load(self, source_url: str) -> None:
        """Copy a database (the demo template) into the cluster's `crunchtime`."""
        dump = subprocess.Popen([_postgres_bin("pg_dump"), "-Fc", "-d", source_url],
                                stdout=subprocess.PIPE)
        subprocess.run([_postgres_bin("pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "postgres", "-d", "crunchtime"],
                       stdin=dump.stdout, check=True, capture_output=True)
        if dump.wait() != 0:
            raise RuntimeError("pg_dump of the demo template failed")

    def restart(self) -> dict:
        """What `systemctl restart postgresql` does: a fast shutdown, then a start."""
        began = time.time()
        self._pg_ctl("restart", "-m", "fast")
        figures = {"began": began, "ready": time.time()}
        self.restarts.append(figures)
        return figures

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def redis_server(directory: Path) -> Supervised:
    """A Redis of the rehearsal's own, keeping nothing on disk: a restart loses its data."""
    port = free_port()
    return Supervised(
        "redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                  "--appendonly", "no", "--dir", str(directory)],
        {}, directory / "redis.log", port)


def app_process(name: str, port: int, env: dict, log: Path) -> Supervised:
    """One gunicorn process (deploy/systemd/crunchtime-http@.service, crunchtime-live)."""
    return Supervised(name, [*GUNICORN, "--bind", f"127.0.0.1:{port}", "crunchtime.wsgi:app"],
                      env, log, port, ready_check=_health(port))


def _health(port: int):
    def check() -> None:
        with socket.create_connection(("127.0.0.1", port), 2) as connection:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               b"Connection: close\r\n\r\n")
            head = connection.recv(64)
        if b" 200 " not in head:
            raise RuntimeError(head)

    return check
