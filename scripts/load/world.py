"""The rehearsal's edition: the demo at the judging stage (scripts/bench/live_world.py's
template), copied into the rehearsal's own PostgreSQL, turned back to the afternoon before
the submission deadline (phase `building`, round 1 open with part of its scores), with who
plays whom: a member of each team, the juries' unscored cells, the organisers."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

import live_world  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET_KEY = live_world.SECRET_KEY


@dataclass
class World:
    url: str
    round_id: int
    cells: list[tuple[str, int, int, int]]   # (jury email, round, team, criterion) unscored
    scales: dict[int, tuple[int, int]]
    recorded: int                            # scores of the round before the rehearsal
    members: list[tuple[int, str]]           # (team id, a member's e-mail), by team code
    organizers: list[str]
    password: str


def prepare(target_url: str, load, seed: int, students: int) -> World:
    """Build (or reuse) the template on the machine's PostgreSQL, `load(url)` it into the
    rehearsal's cluster, and read who plays whom."""
    from crunchtime.extensions import db
    from crunchtime.models import Membership, StudentProfile, Team, User
    from crunchtime.services.demo.edition import DEMO_PASSWORD
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.judging.ledger.queries import round_scores
    from crunchtime.services.live.board import live_round

    name = live_world.template("postgresql", seed, students)
    load(sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False))
    app = live_world.data_app(target_url)
    with app.app_context():
        edition = current_edition()
        judging_round = live_round(edition)
        cells = live_world.unscored_cells(judging_round.id)
        members = db.session.execute(
            sa.select(Team.id, sa.func.min(User.email))
            .join(Membership, Membership.team_id == Team.id)
            .join(StudentProfile, StudentProfile.id == Membership.student_id)
            .join(User, User.id == StudentProfile.user_id)
            .where(Team.edition_id == edition.id)
            .group_by(Team.id, Team.code).order_by(Team.code)).all()
        organizers = list(db.session.scalars(
            sa.select(User.email).where(User.role == "organizer").order_by(User.email)))
        world = World(target_url, judging_round.id, cells,
                      {c.id: (c.scale_min, c.scale_max) for c in judging_round.criteria},
                      len(round_scores(judging_round.id)),
                      [(team, email) for team, email in members], organizers, DEMO_PASSWORD)
        # The afternoon of the deadline: back to the building phase (the template was built
        # up to judging so that round 1 is open with 60 % of its scores).
        edition.phase = "building"
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world


def set_deadline(url: str, deadline: datetime, grace_minutes: int) -> None:
    """What an organiser sets on the edition's settings page before the afternoon."""
    from crunchtime.extensions import db
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.submissions.deadlines import GRACE_MINUTES

    app = live_world.data_app(url)
    with app.app_context():
        edition = current_edition()
        edition.submission_deadline = deadline.astimezone(UTC)
        edition.settings = {**(edition.settings or {}), GRACE_MINUTES: grace_minutes}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@dataclass
class Ledger:
    """What the database holds at the end, for the figures."""

    rows_per_event: dict[str, int]
    round_scores: int
    files: dict[str, tuple[str, str]]   # original name -> (sha256 recorded, sha256 on disk)


def read_back(url: str, upload_dir: str, event_ids: list[str], file_names: list[str]) -> Ledger:
    import hashlib

    from crunchtime.extensions import db
    from crunchtime.files.storage import stored_path
    from crunchtime.models import ScoreEvent, SubmissionFile
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.judging.ledger.queries import round_scores
    from crunchtime.services.live.board import live_round

    app = live_world.data_app(url)
    app.config["UPLOAD_DIR"] = upload_dir
    with app.app_context():
        rows: dict[str, int] = {}
        for start in range(0, len(event_ids), 500):
            chunk = event_ids[start:start + 500]
            rows.update(db.session.execute(
                sa.select(ScoreEvent.client_event_id, sa.func.count())
                .where(ScoreEvent.client_event_id.in_(chunk))
                .group_by(ScoreEvent.client_event_id)).all())
        files = {}
        for start in range(0, len(file_names), 500):
            chunk = file_names[start:start + 500]
            for original, recorded, stored in db.session.execute(
                    sa.select(SubmissionFile.original_name, SubmissionFile.sha256,
                              SubmissionFile.stored_name)
                    .where(SubmissionFile.original_name.in_(chunk))):
                path = stored_path(stored)
                on_disk = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
                files[original] = (recorded, on_disk)
        scores = len(round_scores(live_round(current_edition()).id))
        db.session.remove()
        db.engine.dispose()
    return Ledger(rows, scores, files)


def now() -> datetime:
    return datetime.now(UTC)
