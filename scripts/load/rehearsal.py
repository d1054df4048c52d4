"""Rehearsal: a pitch afternoon on the production topology, under load and faults.

python scripts/load/rehearsal.py [--short] [--seed 2026] [--keep]

Starts, on loopback, what deploy/ describes: nginx on the shipped site in front of two HTTP
processes and the fan-out process (gunicorn, gunicorn.conf.py), the rehearsal's own
PostgreSQL and Redis, and a supervisor restarting what dies as systemd does (RestartSec=2).
The edition is the demo (1,700 students; --short: 400) at the judging stage, turned back to
the afternoon of the submission deadline. Then it plays:

- act 1, the deadline: viewers on /live (half offering WebSocket compression, every 10th a
  slow reader) and students on their team pages (signed in: their team's room too), all
  through nginx; organisers with the cockpit and the rankings open; every team saving its
  deliverable in the minutes around the deadline (files up to 20 MB, some trickled).
  Faults: kill -9 of an HTTP process, then PostgreSQL restarted.
- the organisers move the edition to judging (`crunchtime phase judging`);
- act 2, the pitches: 100 juries scoring through /jury/api/events at a steady pace, one burst
  of 200 scores, some phones offline for 60 s that replay their outbox when back (with
  events already acknowledged sent again, as a phone that lost the answer does).
  Faults: kill -9 of the fan-out process, then Redis restarted with its data lost.

Last line (DESIGN §4): {"bench": "rehearsal", "scores": {"acknowledged", "ledger_rows",
"lost", "duplicated", ...}, "offline_replays": {...}, "viewers": {"final_board_share", ...},
"faults": [{"kind", "answering_again_s", "converged_s", "complete_within_5s_share",
"errors_seen"}], "uploads": {...}, "deadline": {...}, "latency": {phase: {...}},
"peak_memory_mb": {...}, "ok": true|false}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))
sys.path.insert(0, str(ROOT))

import actors  # noqa: E402
import figures  # noqa: E402
import live_juries  # noqa: E402
import live_servers  # noqa: E402
import stack  # noqa: E402
import world as worlds  # noqa: E402


@dataclass
class Plan:
    students: int = 1700
    viewers: int = 2000
    signed_in_viewers: int = 300   # students on their team page (one per team at most)
    viewer_procs: int = 2
    teams_saving: int = 300
    max_file_mb: int = 20
    trickle_every: int = 10        # every Nth save trickles at trickle_bps
    trickle_bps: int = 512 * 1024
    act1_seconds: float = 300.0    # the deadline in its middle; saves over all of it
    grace_minutes: int = 1
    juries: int = 100
    act2_seconds: float = 300.0
    score_rate: float = 5.0        # per second: 100 juries, one team (5 marks) each 100 s
    burst: int = 200
    offline_juries: int = 10
    offline_seconds: float = 60.0
    organizers: int = 3


SHORT = Plan(students=400, viewers=400, signed_in_viewers=60, teams_saving=60, max_file_mb=4,
             trickle_bps=256 * 1024, act1_seconds=50.0, grace_minutes=0, juries=30,
             act2_seconds=60.0, score_rate=4.0, burst=80, offline_juries=4,
             offline_seconds=20.0, organizers=2)

# When each fault strikes, as a share of its act (at the earliest: see _faults_of).
SETTLE_SECONDS = 10.0
FAULTS = (("act1", 0.35, "kill_http"), ("act1", 0.75, "restart_postgresql"),
          ("act2", 0.40, "kill_fanout"), ("act2", 0.70, "restart_redis"))


class Rehearsal:
    def __init__(self, plan: Plan, seed: int, workdir: Path):
        self.plan, self.seed, self.workdir = plan, seed, workdir
        self.rng = random.Random(seed)
        self.postgres = stack.PrivatePostgres(workdir / "postgresql")
        self.redis = stack.redis_server(workdir)
        self.uploads = workdir / "uploads"
        self.faults: list[dict] = []
        self.posts: list[dict] = []       # every score POST's outcome (live_juries)
        self.replays: list[dict] = []     # the offline phones' replays
        self.saves: list[actors.Save] = []
        self.organizers: list[actors.Organizer] = []
        self.marks: dict[str, float] = {}  # times of the afternoon's moments

    # The topology -------------------------------------------------------------------------
    def env(self) -> dict:
        queue = f"redis://127.0.0.1:{self.redis.port}"
        return {"CRUNCHTIME_ENV": "production", "SECRET_KEY": worlds.SECRET_KEY,
                "DATABASE_URL": self.postgres.url, "SOCKETIO_MESSAGE_QUEUE": f"{queue}/0",
                "RATELIMIT_STORAGE_URI": f"{queue}/1",
                # Every simulated person comes from 127.0.0.1: per-address limits would
                # treat the whole hall as one attacker.
                "RATELIMIT_ENABLED": "false",
                "UPLOAD_DIR": str(self.uploads), "BEHIND_PROXY": "1",
                "BASE_URL": self.base, "GUNICORN_ACCESS_LOG": "",
                "METRICS_ENABLED": "0"}

    def start(self) -> None:
        self.postgres.start()
        self.redis.start()
        self.redis.wait_ready()
        self.world = worlds.prepare(
            self.postgres.url.replace("postgresql://", "postgresql+psycopg://", 1),
            self.postgres.load, self.seed, self.plan.students)
        from tests.deploy.site import Nginx

        ports = [stack.free_port() for _ in range(3)]
        self.nginx = Nginx(self.workdir / "nginx", ports[:2], ports[2:],
                           worker_connections=4 * self.plan.viewers + 1024)
        self.base = self.nginx.url
        env = self.env()
        self.http = [stack.app_process(f"http-{i + 1}", ports[i], env,
                                       self.workdir / f"http-{i + 1}.log") for i in range(2)]
        self.fanout = stack.app_process("fanout", ports[2], env, self.workdir / "fanout.log")
        for process in [*self.http, self.fanout]:
            process.start()
        for process in [*self.http, self.fanout]:
            process.wait_ready()
        self.nginx.start()
        self.supervisor = stack.Supervisor([self.redis, *self.http, self.fanout])
        self.supervisor.start()

    def stop(self) -> None:
        """Whatever was started, in reverse (also after a failed start)."""
        if getattr(self, "supervisor", None):
            self.supervisor.stop()
        for process in [*getattr(self, "http", []), getattr(self, "fanout", None), self.redis]:
            if process is not None:
                process.stop()
        if getattr(self, "nginx", None):
            self.nginx.stop()
        self.postgres.stop()

    # The faults ---------------------------------------------------------------------------
    async def fault(self, kind: str) -> None:
        record = {"kind": kind, "at": time.time()}
        say(f"fault: {kind}")
        if kind == "restart_postgresql":
            figures_ = await asyncio.to_thread(self.postgres.restart)
            record["back"] = figures_["ready"]
        else:
            target = {"kill_http": self.http[0], "kill_fanout": self.fanout,
                      "restart_redis": self.redis}[kind]
            target.kill()
            life = target.lives[-1]
            give_up = time.time() + 120
            while not life.ready and time.time() < give_up:
                await asyncio.sleep(0.1)
            record["back"] = life.ready or None
        self.faults.append(record)

    # Act 1: the deadline ------------------------------------------------------------------
    async def act1(self, students: list[actors.Student]) -> None:
        plan = self.plan
        start = time.time()
        deadline = start + plan.act1_seconds / 2
        self.marks.update(act1=start, deadline=deadline,
                          closes=deadline + 60 * plan.grace_minutes)
        await asyncio.to_thread(worlds.set_deadline, self.world.url,
                                worlds.now() + timedelta(seconds=deadline - time.time()),
                                plan.grace_minutes)
        span = plan.act1_seconds * 0.9
        tasks = [self._later(start + 0.05 * plan.act1_seconds + span * i / len(students),
                             self._save(student, i)) for i, student in enumerate(students)]
        tasks += self._faults_of("act1", start, plan.act1_seconds)
        until = start + plan.act1_seconds
        tasks += [asyncio.create_task(o.watch(until, 4.0, random.Random(i)))
                  for i, o in enumerate(self.organizers)]
        await asyncio.gather(*tasks)

    async def _save(self, student: actors.Student, index: int) -> None:
        plan, rng = self.plan, random.Random(self.seed * 1000 + index)
        roll = rng.random()
        size_mb = (rng.uniform(0.2, 2) if roll < 0.7 else rng.uniform(2, plan.max_file_mb / 2)
                   if roll < 0.9 else rng.uniform(plan.max_file_mb / 2, plan.max_file_mb))
        content = actors.fake_pdf(int(size_mb * actors.MB), rng)
        trickle = plan.trickle_bps if index % plan.trickle_every == 3 else 0
        name = f"livrable-{student.team_id}-{uuid.uuid4().hex[:8]}.pdf"
        self.saves.append(await student.save(content, name, trickle))

    # Act 2: the pitches -------------------------------------------------------------------
    async def act2(self, juries: dict[str, live_juries.Jury]) -> None:
        """Steady scores until the act's time is up AND its last fault is SETTLE_SECONDS
        behind (a slow restart must not leave a fault without scores after it), the burst,
        the phones going offline and coming back."""
        plan, world = self.plan, self.world
        start = time.time()
        self.marks["act2"] = start
        cells = live_servers._interleave(
            [cell for cell in world.cells if cell[0] in juries])
        if len(cells) < plan.score_rate * plan.act2_seconds + plan.burst:
            raise SystemExit(f"only {len(cells)} cells left to score; lower the rate")
        burst_cells, cells = cells[-plan.burst:], cells[:-plan.burst]
        offline = sorted(juries)[:plan.offline_juries]
        off_at = start + 0.5 * plan.act2_seconds
        self.marks.update(offline=off_at, online=off_at + plan.offline_seconds,
                          burst=start + 0.2 * plan.act2_seconds)
        outbox = {email: [] for email in offline}
        acked = {email: [] for email in offline}
        faults = self._faults_of("act2", start, plan.act2_seconds)
        tasks = [self._later(self.marks["burst"], self._score(
            juries, cell, self.marks["burst"], "burst", outbox, acked)) for cell in burst_cells]
        tasks.append(self._later(self.marks["online"], self._replay(juries, outbox, acked)))
        watching = [asyncio.create_task(o.watch(start + 3600, 4.0, random.Random(i)))
                    for i, o in enumerate(self.organizers)]
        for i, cell in enumerate(cells):
            moment = start + i / plan.score_rate
            if moment >= start + plan.act2_seconds and faults[0].done() and \
                    moment >= self._last_back() + SETTLE_SECONDS:
                break
            await asyncio.sleep(max(0.0, moment - time.time()))
            tasks.append(asyncio.create_task(self._score(
                juries, cell, moment, "steady", outbox, acked)))
        await asyncio.gather(*faults, *tasks)
        for task in watching:
            task.cancel()
        await asyncio.gather(*watching, return_exceptions=True)

    def _last_back(self) -> float:
        return max((fault.get("back") or fault["at"] for fault in self.faults), default=0.0)

    async def _score(self, juries, cell, moment, phase, outbox, acked) -> None:
        email = cell[0]
        value = random.Random(hash(cell)).randint(*self.world.scales[cell[3]])
        if email in outbox and self.marks["offline"] <= moment < self.marks["online"]:
            outbox[email].append((cell, value, f"phone-{uuid.uuid4().hex}"))
            return
        result = await juries[email].score(cell, value, time.time() + 120)
        self.posts.append({**result, "phase": phase, "burst": phase == "burst"})
        if email in acked and result["status"] in (200, 201):
            acked[email].append((cell, value, result["event_id"]))

    async def _replay(self, juries, outbox, acked) -> None:
        """Back online: each phone sends its outbox in order, and first again the last event
        it had sent before going offline (its answer was lost with the network)."""
        async def one(email):
            queue = acked[email][-1:] + outbox[email]
            for cell, value, event_id in queue:
                result = await juries[email].score(cell, value, time.time() + 120, event_id)
                again = (cell, value, event_id) in acked[email]
                self.replays.append({**result, "resent_acknowledged": again})
                if not again:
                    self.posts.append({**result, "phase": "replay", "burst": False})
        await asyncio.gather(*(one(email) for email in outbox))

    # Plumbing -----------------------------------------------------------------------------
    def _later(self, moment: float, coroutine):
        async def run():
            await asyncio.sleep(max(0.0, moment - time.time()))
            await coroutine
        return asyncio.create_task(run())

    def _faults_of(self, act: str, start: float, seconds: float) -> list:
        """The act's faults at their time, one after the other: the next waits until the
        previous one's service answers again and SETTLE_SECONDS more."""
        async def in_turn():
            for fault_act, share, kind in FAULTS:
                if fault_act != act:
                    continue
                previous = self.faults[-1] if self.faults else None
                moment = start + share * seconds
                if previous and previous.get("back"):
                    moment = max(moment, previous["back"] + SETTLE_SECONDS)
                await asyncio.sleep(max(0.0, moment - time.time()))
                await self.fault(kind)
        return [asyncio.create_task(in_turn())]

    def change_phase(self) -> None:
        began = time.time()
        subprocess.run([sys.executable, "-m", "crunchtime", "phase", "judging", "--confirm"],
                       cwd=ROOT, env={**os.environ, **self.env()}, check=True,
                       capture_output=True)
        self.marks["phase_seconds"] = time.time() - began

    async def play(self) -> dict:
        plan, world = self.plan, self.world
        members = world.members[:plan.teams_saving]
        students = [actors.Student(self.base, email, world.password, team)
                    for team, email in members]
        await _limited([s.log_in for s in students], 8)
        emails = sorted({cell[0] for cell in world.cells})[:plan.juries]
        juries = {email: live_juries.Jury(self.base, email, world.password) for email in emails}
        await _limited([jury.login for jury in juries.values()], 8)
        self.organizers = [actors.Organizer(self.base, email, world.password,
                                            ["/organizer/", f"/organizer/judging/rounds/"
                                             f"{world.round_id}/rankings"])
                           for email in world.organizers[:plan.organizers]]
        cookies = [actors.cookie_header(s.session, self.base)
                   for s in students[:plan.signed_in_viewers]]
        viewers = self._viewers(cookies)
        connect_failures = await asyncio.to_thread(viewers.wait_ready)
        await asyncio.sleep(2)
        say(f"act 1: {len(students)} teams save around the deadline")
        await self.act1(students)
        say("the organisers move the edition to judging")
        await asyncio.to_thread(self.change_phase)
        say(f"act 2: {len(juries)} juries score")
        await self.act2(juries)
        await asyncio.sleep(8)  # the last boards reach every viewer
        self.marks["end"] = time.time()
        watched = await asyncio.to_thread(viewers.collect)
        watched["connect_failures"] += connect_failures
        for person in [*students, *juries.values()]:
            await person.close()
        ledger = await asyncio.to_thread(
            worlds.read_back, world.url, str(self.uploads),
            [p["event_id"] for p in [*self.posts, *self.replays] if p.get("event_id")],
            [save.file_name for save in self.saves])
        return figures.report(self, watched, ledger)

    def _viewers(self, cookies: list[str]) -> live_servers.Viewers:
        """Half the viewer processes offer compression; the signed-in ones come first."""
        per = self.plan.viewers // self.plan.viewer_procs
        shares = [cookies[i * per:(i + 1) * per] for i in range(self.plan.viewer_procs)]
        return live_servers.Viewers(
            "app", [self.base], self.plan.viewers, self.plan.viewer_procs, str(self.workdir),
            extra=lambda i: {"cookies": shares[i], "origin": self.base, "slow_every": 10},
            env=lambda i: {"BENCH_LIVE_COMPRESS": "1" if i % 2 else "0"})


def say(text: str) -> None:
    print(f"[rehearsal {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


async def _limited(calls, limit: int) -> None:
    semaphore = asyncio.Semaphore(limit)

    async def one(call):
        async with semaphore:
            await call()

    await asyncio.gather(*(one(call) for call in calls))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="about 2 minutes (CI)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--viewers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args()


def main() -> None:
    args = parse()
    plan = SHORT if args.short else Plan()
    if args.viewers is not None:
        plan.viewers = args.viewers
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    workdir = Path(tempfile.mkdtemp(prefix="crunchtime-rehearsal-"))
    os.chmod(workdir, 0o755)  # noqa: S103 -- the cluster's own account must reach its directory
    rehearsal = Rehearsal(plan, args.seed, workdir)
    began = time.time()
    try:
        rehearsal.start()
        started = time.time()
        result = asyncio.run(rehearsal.play())
        result.update(setup_seconds=round(started - began, 1),
                      played_seconds=round(time.time() - started, 1), short=args.short)
    finally:
        rehearsal.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
