"""Servers, viewers and the load of one run of scripts/bench/live.py (the app or the floor)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import live_juries
import live_world

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The shipped settings (gunicorn.conf.py: gevent, one worker, 3,000 connections, the access
# log), with a shorter graceful stop; the baseline overrides the application only.
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
            "--graceful-timeout", "3", "--log-level", "warning"]
TICKS = os.sysconf("SC_CLK_TCK")
DRAIN_SECONDS = 3.0
# Free of the late juries' name ("Jury Tardif N") and e-mail, which a password may not contain.
LATE_JURY_PASSPHRASE = "orange-bicycle-harbour-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn server in its own process group (its worker and board worker too)."""

    def __init__(self, name: str, app: str, env: dict, workdir: str, extra=()):
        self.name, self.app, self.env, self.extra = name, app, env, list(extra)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(workdir) / f"{name}.log", "ab")  # noqa: SIM115
        self.process = None
        self.cpu_lost = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [*GUNICORN, *self.extra, "--bind", f"127.0.0.1:{self.port}", self.app],
            cwd=ROOT, env={**os.environ, **self.env}, stdout=self.log, stderr=self.log,
            start_new_session=True)

    async def ready(self, path: str = "/health", timeout: float = 60) -> float:
        deadline = time.time() + timeout
        async with aiohttp.ClientSession() as session:
            while time.time() < deadline:
                try:
                    async with session.get(self.url + path) as response:
                        await response.read()
                        return time.time()
                except (aiohttp.ClientError, OSError):
                    await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.name} did not start (see {self.log.name})")

    def cpu_seconds(self) -> float:
        """CPU time of every live process of the group, plus that of killed ones."""
        total = self.cpu_lost
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if self.process is not None and int(fields[2]) == self.process.pid:
                total += (int(fields[11]) + int(fields[12])) / TICKS
        return total

    def kill(self) -> None:
        self.cpu_lost = self.cpu_seconds()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Viewers:
    """The viewer processes (scripts/bench/live_viewers.py)."""

    def __init__(self, mode: str, urls: list[str], clients: int, procs: int, workdir: str,
                 extra=None, env=None, name: str = ""):
        """`extra(i)`: more of process i's config (scripts/load/rehearsal.py: cookies, slow
        readers); `env(i)`: its environment additions (BENCH_LIVE_COMPRESS)."""
        self.outs, self.processes = [], []
        share = [clients // procs + (i < clients % procs) for i in range(procs)]
        offset = 0
        for i, count in enumerate(share):
            out = str(Path(workdir) / f"viewers-{mode}{name}-{i}.json")
            config = {"mode": mode, "urls": urls, "clients": count, "offset": offset,
                      "out": out, "connects_per_second": 250 // procs,
                      **(extra(i) if extra else {})}
            offset += count
            self.outs.append(out)
            self.processes.append(subprocess.Popen(
                [sys.executable, str(HERE / "live_viewers.py"), json.dumps(config)],
                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                env={**os.environ, **(env(i) if env else {})}))

    def wait_ready(self) -> int:
        failures = 0
        for process in self.processes:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("a viewer process died while connecting")
            failures += json.loads(line).get("failures", 0)
        return failures

    def collect(self) -> dict:
        for process in self.processes:
            process.stdin.write(b"stop\n")
            process.stdin.flush()
        for process in self.processes:
            process.wait(timeout=120)
        merged = {"viewers": [], "record": {}, "slow_record": {}, "connect_failures": 0}
        for out in self.outs:
            part = json.loads(Path(out).read_text())
            merged["viewers"] += part["viewers"]
            merged["connect_failures"] += part["connect_failures"]
            for key in ("record", "slow_record"):
                for seq, times in part.get(key, {}).items():
                    merged[key].setdefault(int(seq), []).extend(times)
        return merged


@dataclass
class RunData:
    kind: str
    posts: list[dict] = field(default_factory=list)
    burst_seqs: set = field(default_factory=set)
    viewers: dict = field(default_factory=dict)
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    registrations: list[float] = field(default_factory=list)
    load_failures: int = 0  # scores or registrations that raised: the run is not valid
    kill: dict | None = None
    initial_recorded: int = 0


def schedule(args) -> list[float]:
    """Offsets (s) of the steady scores, evenly spaced with a little seeded jitter."""
    rng = random.Random(args.seed)
    count = int(args.rate * args.seconds)
    return sorted(max(0.0, i / args.rate + rng.uniform(-0.3, 0.3) / args.rate)
                  for i in range(count))


async def drive(args, data: RunData, post, restart=None, register=None) -> None:
    """The load: steady posts, a burst at mid-run, registrations, a kill."""
    started = time.time()
    tasks = []

    async def at(offset: float, action):
        await asyncio.sleep(max(0.0, started + offset - time.time()))
        return await action()

    for index, offset in enumerate(schedule(args)):
        tasks.append(asyncio.create_task(at(offset, lambda i=index: post(i, False))))
    steady = len(tasks)
    for j in range(args.burst):
        tasks.append(asyncio.create_task(at(args.seconds / 2,
                                            lambda i=steady + j: post(i, True))))
    if register is not None and args.background_registrations:
        every = 1 / args.background_registrations
        count = int(args.background_registrations * args.seconds)
        tasks += [asyncio.create_task(at(k * every, register)) for k in range(count)]
    if restart is not None and args.kill_after:
        tasks.append(asyncio.create_task(at(args.kill_after, restart)))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            data.load_failures += 1
            print(f"load task failed: {result!r}", file=sys.stderr)
    data.wall_seconds = time.time() - started


async def run_app(args, world, queue: str, workdir: str) -> RunData:
    prefix = f"bench-live:{uuid.uuid4().hex[:8]}"
    env = {"CRUNCHTIME_ENV": "production", "SECRET_KEY": live_world.SECRET_KEY,
           "DATABASE_URL": world.url,
           "SOCKETIO_MESSAGE_QUEUE": queue, "LIVE_REDIS_PREFIX": prefix,
           "RATELIMIT_ENABLED": "false", "UPLOAD_DIR": str(Path(workdir) / "uploads"),
           "BASE_URL": "http://127.0.0.1"}
    http = args.http_processes if args.topology == "split" else args.processes
    count = http + 1 if args.topology == "split" else args.processes
    servers = [Server(f"app-{i}", "crunchtime.wsgi:app", env, workdir) for i in range(count)]
    for server in servers:
        server.start()
    for server in servers:
        await server.ready()
    socket_servers = servers[http:] if args.topology == "split" else servers
    http_servers = servers[:http]
    data = RunData("app", initial_recorded=world.recorded)
    needed = int(args.rate * args.seconds) + args.burst
    cells = _interleave(world.cells)[:needed]
    if len(cells) < needed:
        raise SystemExit(f"only {len(cells)} scores left to give; lower --rate/--seconds")
    emails = sorted({cell[0] for cell in cells})
    juries = {email: live_juries.Jury(http_servers[i % len(http_servers)].url, email,
                                        world.password) for i, email in enumerate(emails)}
    await _gather_limited([jury.login for jury in juries.values()], 8)
    viewers = Viewers("app", [s.url for s in socket_servers], args.clients, args.client_procs,
                      workdir)
    failures = await asyncio.to_thread(viewers.wait_ready)
    await asyncio.sleep(2)
    rng = random.Random(args.seed)
    deadline = time.time() + args.seconds + 60

    async def post(index: int, burst: bool):
        cell = cells[index]
        low, high = world.scales[cell[3]]
        result = await juries[cell[0]].score(cell, rng.randint(low, high), deadline)
        data.posts.append({**result, "burst": burst})

    invitations = iter(world.invitations)  # one each: a link works once

    async def register():
        path = next(invitations)
        data.registrations.append(await live_juries.accept_invitation(
            http_servers[0].url, path, LATE_JURY_PASSPHRASE))

    async def restart():
        target = socket_servers[0]
        kill_time = time.time()
        target.kill()
        target.start()
        data.kill = {"killed": kill_time, "ready": await target.ready()}

    cpu_before = sum(s.cpu_seconds() for s in servers)
    await drive(args, data, post, restart, register)
    await asyncio.sleep(DRAIN_SECONDS)
    data.cpu_seconds = sum(s.cpu_seconds() for s in servers) - cpu_before
    data.viewers = await asyncio.to_thread(viewers.collect)
    data.viewers["connect_failures"] += failures
    for jury in juries.values():
        await jury.close()
    for server in servers:
        server.stop()
    return data


async def run_baseline(args, workdir: str) -> RunData:
    server = Server("baseline", "live_baseline:app", {}, workdir,
                    extra=["--pythonpath", str(HERE)])
    server.start()
    await server.ready("/socket.io/?EIO=4&transport=polling")
    data = RunData("baseline")
    viewers = Viewers("baseline", [server.url], args.clients, args.client_procs, workdir)
    failures = await asyncio.to_thread(viewers.wait_ready)
    await asyncio.sleep(2)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64),
                                    trace_configs=[live_juries.request_tracing()])

    async def post(index: int, burst: bool):
        try:
            result = await live_juries.post_baseline(session, server.url, index + 1)
        except (aiohttp.ClientError, OSError):
            result = {"sent": time.time(), "answered": time.time(), "status": 0,
                      "seq": index + 1, "request_started": time.time(), "retried": False}
        data.posts.append({**result, "burst": burst})

    async def restart():
        kill_time = time.time()
        server.kill()
        server.start()
        data.kill = {"killed": kill_time,
                     "ready": await server.ready("/socket.io/?EIO=4&transport=polling")}

    cpu_before = server.cpu_seconds()
    await drive(args, data, post, restart)
    await asyncio.sleep(DRAIN_SECONDS)
    data.cpu_seconds = server.cpu_seconds() - cpu_before
    data.viewers = await asyncio.to_thread(viewers.collect)
    data.viewers["connect_failures"] += failures
    await session.close()
    server.stop()
    return data


def _interleave(cells: list) -> list:
    """One score per jury in turn, so that consecutive scores come from different juries."""
    by_jury: dict[str, list] = {}
    for cell in cells:
        by_jury.setdefault(cell[0], []).append(cell)
    queues = list(by_jury.values())
    ordered = []
    while queues:
        ordered += [queue.pop(0) for queue in queues]
        queues = [queue for queue in queues if queue]
    return ordered


async def _gather_limited(calls, limit: int) -> None:
    semaphore = asyncio.Semaphore(limit)

    async def one(call):
        async with semaphore:
            await call()

    await asyncio.gather(*(one(call) for call in calls))
