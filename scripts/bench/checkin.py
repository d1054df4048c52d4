"""Benchmark: 1,700 students checking in at 6 doors whose QR codes rotate every 30 s.

python scripts/bench/checkin.py [--students 1700] [--doors 6] [--seconds 600]
    [--processes 1] [--db postgresql|sqlite] [--port 5100] [--double-taps 0.02] [--seed 2026]
A real server: gunicorn with the shipped gunicorn.conf.py (gevent, one worker per process)
on --port (and the next ports, one per --processes, each student sticking to one as behind
nginx's ip_hash), on a fresh database holding one open session, the doors and the students. Each
door is a screen that fetches its code (code.json) as the page does, every 30 s. Each
student arrives at a seeded moment of the arrival wave (the 10 minutes before a session,
compressed into --seconds; 600 is the real pace), "scans" their door's current code:
opens the check-in link (GET, the confirm page) and taps "Check me in" (POST), as a
phone does; a share of them tap twice at once (--double-taps). Signed-in sessions are
made with the app's own cookie signer (no password hashing in the measure).
Figures: check-in latency (the GET and the POST, scan to confirmation) and the POST alone,
p50/p99 in ms; errors (any answer but a check-in or an "already checked in" to a double
tap: must be 0); duplicates (check-in rows beyond one per student, counted in the
database: must be 0); students checked in; code rotations seen by the doors.
Last line: {"bench": "checkin", ...}
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from demo import fresh_database  # noqa: E402  (a sibling script)

SECRET = "bench-checkin-secret-not-for-production"
CONFIRMATION = re.compile(r'name="confirmation" type="hidden" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def build_world(database_url: str, students: int, doors: int, workdir: str) -> dict:
    """The edition, its open session, the doors, the students and an organiser; the signed
    session cookies of each (as Flask-Login would set them after a login)."""
    from flask_migrate import upgrade

    from crunchtime.app import create_app
    from crunchtime.database import insert_rows
    from crunchtime.extensions import db
    from crunchtime.models import (
        CheckInPoint,
        Edition,
        PresenceSession,
        StudentProfile,
        User,
    )
    from crunchtime.models.base import utcnow
    from crunchtime.models.user import new_session_token

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET,
                      "UPLOAD_DIR": f"{workdir}/uploads"})
    with app.app_context():
        upgrade(revision="heads")
        now = utcnow()
        edition = Edition(name="Bench presence", year=now.year, phase="building",
                          is_current=True)
        db.session.add(edition)
        db.session.flush()
        db.session.add(PresenceSession(
            edition_id=edition.id, day=now.date(), part="morning", label="Bench",
            starts_at=now + timedelta(minutes=5), ends_at=now + timedelta(hours=3)))
        db.session.add_all(CheckInPoint(edition_id=edition.id, name=f"Porte {n + 1}", site="")
                           for n in range(doors))
        organiser = User(email="orga@bench.example", role="organizer", first_name="Orga",
                         last_name="Bench", session_token=new_session_token())
        db.session.add(organiser)
        db.session.flush()
        rows = [{"email": f"etudiant{n}@bench.example", "role": "student",
                 "first_name": f"Prénom{n}", "last_name": "Bench", "active": True,
                 "session_token": new_session_token(), "created_at": now,
                 "password_hash": None, "locale": None}
                for n in range(students)]
        users = insert_rows(User, rows, User.id, User.session_token)
        insert_rows(StudentProfile, [{"user_id": user.id, "edition_id": edition.id,
                                      "created_at": now, "interests": ""} for user in users])
        db.session.commit()
        points = list(db.session.scalars(sa.select(CheckInPoint.id).order_by(CheckInPoint.id)))
        signer = app.session_interface.get_signing_serializer(app)

        def cookie(user_id: int, token: str) -> str:
            return signer.dumps({"_user_id": f"{user_id}:{token}", "_fresh": True})

        world = {"cookie_name": app.config["SESSION_COOKIE_NAME"], "points": points,
                 "organiser": cookie(organiser.id, organiser.session_token),
                 "students": [(user.id, cookie(user.id, user.session_token))
                              for user in users]}
        db.session.remove()
        db.engine.dispose()
    return world


def start_server(database_url: str, port: int, workdir: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
           "PORT": str(port), "HOST": "127.0.0.1", "UPLOAD_DIR": f"{workdir}/uploads",
           "GUNICORN_ACCESS_LOG": "", "LIVE_BOARD_WORKER": "inline",
           "ANNOUNCEMENT_SCHEDULER": "0", "LOG_LEVEL": "WARNING"}
    env.pop("GUNICORN_BIND", None)
    log = open(Path(workdir) / "server.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
         "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=log,
        start_new_session=True)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    async with aiohttp.ClientSession() as session:
        while time.time() < deadline:
            try:
                async with session.get(base + "/health") as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, OSError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start (see server.log)")


class Doors:
    """The door screens: each fetches its current code every 30 s, as its page does."""

    def __init__(self, base: str, cookie: tuple[str, str], points: list[int]):
        self.base, self.cookie, self.points = base, cookie, points
        self.links: dict[int, str] = {}
        self.rotations = 0
        self.failures = 0

    async def fetch(self, session: aiohttp.ClientSession, point: int) -> float:
        async with session.get(f"{self.base}/presence/points/{point}/code.json",
                               headers={"Accept": "application/json"}) as response:
            if response.status != 200:
                self.failures += 1
                return 1.0
            data = await response.json()
        if self.links.get(point) != data["url"]:
            self.rotations += 1
        self.links[point] = data["url"]
        return data["seconds_left"]

    async def run(self, stop: asyncio.Event) -> None:
        async with aiohttp.ClientSession(cookies=dict([self.cookie])) as session:
            async def screen(point: int):
                while not stop.is_set():
                    left = await self.fetch(session, point)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=left + 0.3)

            await asyncio.gather(*(screen(point) for point in self.points))


async def check_in(base: str, cookie: tuple[str, str], link: str, double: bool,
                   results: dict) -> None:
    path = link.split("//", 1)[1].split("/", 1)[1]
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, cookies=dict([cookie])) as session:
        started = time.perf_counter()
        async with session.get(f"{base}/{path}") as response:
            page = await response.text()
        found, token = CONFIRMATION.search(page), CSRF.search(page)
        if response.status != 200 or not found or not token:
            results["errors"].append(f"GET {response.status}")
            return
        form = {"csrf_token": token.group(1), "confirmation": found.group(1)}

        async def post() -> tuple[int, str]:
            async with session.post(f"{base}/presence/check-in", data=form) as answer:
                return answer.status, await answer.text()

        posted = time.perf_counter()
        answers = await asyncio.gather(*([post()] * (2 if double else 1)))
        ended = time.perf_counter()
    done = [status == 200 and "data-check-in-done" in body for status, body in answers]
    if not all(done):
        results["errors"].append(f"POST {[status for status, _ in answers]}")
        return
    results["checkin_ms"].append((ended - started) * 1000)
    results["post_ms"].append((ended - posted) * 1000)


async def run(args, world: dict, bases: list[str]) -> dict:
    base = bases[0]
    rng = random.Random(args.seed)
    cookie_name = world["cookie_name"]
    doors = Doors(base, (cookie_name, world["organiser"]), world["points"])
    stop = asyncio.Event()
    door_task = asyncio.create_task(doors.run(stop))
    while len(doors.links) < len(world["points"]):
        await asyncio.sleep(0.05)
    # The arrival wave: most students in the middle of the ten minutes (triangular).
    arrivals = sorted(rng.triangular(0, args.seconds, args.seconds * 0.6)
                      for _ in world["students"])
    order = list(world["students"])
    rng.shuffle(order)
    results = {"errors": [], "checkin_ms": [], "post_ms": []}
    start = time.perf_counter()

    async def student(at: float, user: tuple[int, str], point: int, double: bool):
        await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
        server = bases[user[0] % len(bases)]  # sticky, as nginx's ip_hash
        await check_in(server, (cookie_name, user[1]), doors.links[point], double, results)

    tasks = [student(at, user, rng.choice(world["points"]), rng.random() < args.double_taps)
             for at, user in zip(arrivals, order, strict=True)]
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    stop.set()
    await door_task
    results.update(elapsed=elapsed, rotations=doors.rotations, door_failures=doors.failures)
    return results


def count_in_database(database_url: str) -> tuple[int, int, int]:
    """(check-in rows, distinct students checked in, rows beyond one per student)."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.scalar(sa.text("SELECT count(*) FROM check_in"))
        distinct = connection.scalar(sa.text(
            "SELECT count(*) FROM (SELECT DISTINCT user_id, session_id FROM check_in) AS x"))
    engine.dispose()
    return rows, distinct, rows - distinct


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1700)
    parser.add_argument("--doors", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=600.0,
                        help="the 10-minute arrival wave, compressed into this many seconds")
    parser.add_argument("--processes", type=int, default=1,
                        help="gunicorn processes (production runs several behind nginx)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--double-taps", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ct-bench-checkin-") as workdir:
        database_url, drop = fresh_database(args.db, workdir)
        servers = []
        try:
            world = build_world(database_url, args.students, args.doors, workdir)
            ports = [args.port + n for n in range(args.processes)]
            servers = [start_server(database_url, port, workdir) for port in ports]
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for base in bases:
                asyncio.run(wait_ready(base))
            results = asyncio.run(run(args, world, bases))
            rows, distinct, duplicates = count_in_database(database_url)
            if results["errors"]:  # the server's own account of its errors
                log = (Path(workdir) / "server.log").read_text(errors="replace")
                print("\n".join(log.splitlines()[-40:]), file=sys.stderr)
        finally:
            for server in servers:
                stop_server(server)
            drop()
    errors = len(results["errors"]) + results["door_failures"]
    figures = {
        "bench": "checkin",
        "server": f"gunicorn (gunicorn.conf.py: gevent) x {args.processes} process(es)",
        "db": args.db, "students": args.students, "doors": args.doors,
        "wave_seconds": args.seconds, "run_seconds": round(results["elapsed"], 1),
        "checkin_p50_ms": round(statistics.median(results["checkin_ms"]), 1)
        if results["checkin_ms"] else None,
        "checkin_p99_ms": round(percentile(results["checkin_ms"], 0.99), 1),
        "post_p50_ms": round(statistics.median(results["post_ms"]), 1)
        if results["post_ms"] else None,
        "post_p99_ms": round(percentile(results["post_ms"], 0.99), 1),
        "checkins_per_s": round(len(results["checkin_ms"]) / results["elapsed"], 1),
        "errors": errors, "error_samples": sorted(set(results["errors"]))[:5],
        "checked_in": distinct, "check_in_rows": rows, "duplicates": duplicates,
        "code_rotations": results["rotations"], "seed": args.seed,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
