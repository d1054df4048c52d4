"""Benchmark: saving a submission with a large file, and the streamed ZIP of a challenge.

python scripts/bench/submission.py [--db sqlite|postgresql] [--file-mb 20] [--teams 10]
    [--team-file-mb 5] [--repeat 3] [--seed 2026]
On the real app, in-process, through its HTTP interface (test client, CSRF and all):
- `save_20mb_seconds`: a member saves the submission form with one file of --file-mb MB
  (median of --repeat saves; the request body is encoded before the clock starts);
- the organisers' ZIP of a challenge whose --teams teams each hold two files of
  --team-file-mb MB, read to the end chunk by chunk: its size (`zip_bytes`), its time,
  the Python heap peak while it streams (tracemalloc, `zip_10_teams_peak_mb`) and the
  process RSS growth; the same ZIP with files 5 times smaller gives `zip_peak_ratio`
  (about 1 when memory does not grow with the archive).
Last line: {"bench": "submission", ...}
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import random
import re
import statistics
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

MB = 1024 * 1024


def sibling(name: str):
    """A module of scripts/bench/ (they are scripts, not a package)."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_pdf(size: int, rng: random.Random) -> bytes:
    head = b"%PDF-1.7\n"
    return head + rng.randbytes(size - len(head))


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def signed_in_client(app, login_id: str):
    """A client with its own app context per request (no app context may be pushed)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = login_id
    html = client.get("/privacy").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client, token


def add_team(edition, challenge, number: int) -> list:
    """Team `number` with two student members; returns its (team, user) pairs."""
    from crunchtime.extensions import db
    from crunchtime.models import Membership, StudentProfile, Team, User

    team = Team(edition_id=edition.id, challenge_id=challenge.id, code=f"T{number:03d}",
                name=f"Équipe {number}")
    db.session.add(team)
    db.session.flush()
    pairs = []
    for seat in range(2):
        user = User(email=f"s{number}-{seat}@bench.example", role="student",
                    first_name=f"Prénom{number}{seat}", last_name="Nom")
        profile = StudentProfile(user=user, edition_id=edition.id)
        db.session.add_all([user, profile])
        db.session.flush()
        db.session.add(Membership(team_id=team.id, student_id=profile.id,
                                  edition_id=edition.id))
        pairs.append((team, user))
    return pairs


def build_edition(teams: int):
    """A current edition in the building phase, one challenge, `teams` teams of two."""
    from crunchtime.extensions import db
    from crunchtime.models import Challenge, Edition, Organisation, User
    from crunchtime.models.base import utcnow

    edition = Edition(name="Bench submissions", year=2026, phase="building", is_current=True,
                      submission_deadline=utcnow() + timedelta(days=1), max_file_mb=50,
                      max_team_upload_mb=500)
    organisation = Organisation(name="Bench SA")
    db.session.add_all([edition, organisation])
    db.session.flush()
    challenge = Challenge(edition_id=edition.id, organisation=organisation, code="C001",
                          title="Défi de mesure", status="approved")
    db.session.add(challenge)
    db.session.flush()
    members = [member for number in range(1, teams + 1)
               for member in add_team(edition, challenge, number)]
    organizer = User(email="orga@bench.example", role="organizer", first_name="Orga")
    db.session.add(organizer)
    db.session.commit()
    return (challenge.id, [(team.id, user.id, user.get_id()) for team, user in members],
            organizer.get_id())


def time_saves(app, team_id: int, login_id: str, size: int, repeat: int,
               rng: random.Random) -> list[float]:
    """Seconds of each save through the submission form, body encoded beforehand."""
    from werkzeug.test import EnvironBuilder

    client, token = signed_in_client(app, login_id)
    timings = []
    for attempt in range(repeat):
        builder = EnvironBuilder(
            path=f"/team/{team_id}/submission", method="POST",
            data={"csrf_token": token, "base_version": str(attempt), "title": f"Essai {attempt}",
                  "files": (io.BytesIO(fake_pdf(size, rng)), f"pitch-{attempt}.pdf")})
        environ = builder.get_environ()
        started = time.perf_counter()
        response = client.open(environ)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    return timings


def fill_teams(members, file_size: int, rng: random.Random) -> None:
    """Two files per team, saved through the service (not timed)."""
    from crunchtime.extensions import db
    from crunchtime.models import Team, User
    from crunchtime.services.submissions.deadlines import now
    from crunchtime.services.submissions.files import Upload
    from crunchtime.services.submissions.versions import (
        SaveRequest,
        SubmissionDraft,
        save_submission,
        submission_of,
    )

    for team_id, user_id, _login in members[::2]:
        team, user = db.session.get(Team, team_id), db.session.get(User, user_id)
        uploads = [Upload(io.BytesIO(fake_pdf(file_size, rng)), f"livrable-{n}.pdf")
                   for n in range(2)]
        saved = submission_of(team)
        request = SaveRequest(SubmissionDraft(title=team.name), saved.version if saved else 0,
                              uploads)
        save_submission(user, team.id, request, accepted_at=now())


def read_zip(app, organizer_login: str, challenge_id: int, trace: bool) -> dict:
    """Download the challenge's ZIP chunk by chunk, keeping nothing."""
    client, _token = signed_in_client(app, organizer_login)
    before = rss_mb()
    highest = before
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(f"/organizer/submissions/challenges/{challenge_id}/deliverables.zip",
                          buffered=False)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.response:
        size += len(chunk)
        highest = max(highest, rss_mb())
    response.close()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    return {"bytes": size, "seconds": seconds, "peak_mb": peak / MB,
            "rss_growth_mb": highest - before}


def measure(url: str, workdir: str, args) -> dict:
    from flask_migrate import upgrade

    from crunchtime.app import create_app
    from crunchtime.extensions import db

    rng = random.Random(args.seed)
    figures = {}
    for label, team_file in (("small", max(1, args.team_file_mb * MB // 5)),
                             ("large", args.team_file_mb * MB)):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "UPLOAD_DIR": f"{workdir}/uploads-{label}", "MAIL_SERVER": None,
                          "RATELIMIT_ENABLED": False,
                          "MAX_CONTENT_LENGTH": (args.file_mb + 5) * MB})
        with app.app_context():
            upgrade(revision="heads")
            with db.engine.begin() as connection:  # the ledger refuses an ORM-level DELETE
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
            challenge_id, members, organizer = build_edition(args.teams)
        if label == "large":
            team_id, _user_id, login = members[0]
            figures["saves"] = time_saves(app, team_id, login, args.file_mb * MB,
                                          args.repeat, rng)
        with app.app_context():
            fill_teams(members, team_file, rng)
        read_zip(app, organizer, challenge_id, trace=False)  # warm-up: templates, queries
        figures[label] = read_zip(app, organizer, challenge_id, trace=True)
        figures[f"{label}_untraced"] = read_zip(app, organizer, challenge_id, trace=False)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--file-mb", type=int, default=20)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--team-file-mb", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        url, drop = sibling("demo").fresh_database(args.db, workdir)
        try:
            figures = measure(url, workdir, args)
        finally:
            drop()
    large, small, untraced = figures["large"], figures["small"], figures["large_untraced"]
    print(json.dumps({
        "bench": "submission",
        "db": args.db,
        "file_mb": args.file_mb,
        "save_20mb_seconds": round(statistics.median(figures["saves"]), 3),
        "save_seconds_min": round(min(figures["saves"]), 3),
        "save_seconds_max": round(max(figures["saves"]), 3),
        "teams": args.teams,
        "zip_bytes": large["bytes"],
        "zip_seconds": round(untraced["seconds"], 3),
        "zip_mb_per_s": round(untraced["bytes"] / MB / untraced["seconds"], 1),
        "zip_10_teams_peak_mb": round(large["peak_mb"], 2),
        "zip_rss_growth_mb": round(untraced["rss_growth_mb"], 1),
        "zip_small_bytes": small["bytes"],
        "zip_small_peak_mb": round(small["peak_mb"], 2),
        "zip_peak_ratio": round(large["peak_mb"] / small["peak_mb"], 2),
    }))


if __name__ == "__main__":
    main()
