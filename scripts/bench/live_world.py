"""The database of scripts/bench/live.py: the demo edition at the judging stage (1,700
students, ~290 teams, 100 juries, round 1 open with 60 % of its scores entered), the big
screen set to the live ranking, and the work left for the simulated juries.

The demo is built once into a template (SQLite file or PostgreSQL template database, named
after the seed and the migrations) and copied for each run."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET_KEY = "bench-live-secret-key-not-for-production-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    url: str
    drop: object
    cells: list[tuple[str, int, int, int]]  # (jury email, round, team, criterion) unscored
    invitations: list[str]                   # paths /invitation/<token>
    password: str
    recorded: int
    scales: dict[int, tuple[int, int]]      # criterion -> (lowest, highest value)


def _key(seed: int, students: int = 1700) -> str:
    migrations = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    cohort = "" if students == 1700 else f":{students}"
    return hashlib.sha256(f"{seed}:{migrations}{cohort}".encode()).hexdigest()[:10]


def data_app(url: str):
    from crunchtime.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY,
                       "SOCKETIO_ASYNC_MODE": "threading", "TESTING": False,
                       "PASSWORD_HASH_PROFILE": "owasp", "LIVE_BOARD_WORKER": "inline",
                       # no background jobs: this app only builds and reads the database
                       "ANNOUNCEMENT_SCHEDULER": False, "MAIL_SENDER": False})


def _build(url: str, seed: int, students: int = 1700) -> None:
    from flask_migrate import upgrade

    from crunchtime.extensions import db
    from crunchtime.services.demo.edition import DEMO_PASSWORD, build_demo_edition
    from crunchtime.services.editions.current import current_edition

    app = data_app(url)
    with app.app_context():
        upgrade(revision="heads")
        build_demo_edition(students, None, seed, "judging", DEMO_PASSWORD)
        current_edition().public_display = "ranking"
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def template(kind: str, seed: int, students: int = 1700) -> str:
    """The template's URL (SQLite) or database name (PostgreSQL), built if missing."""
    if kind == "sqlite":
        path = Path(tempfile.gettempdir()) / f"crunchtime-bench-live-{_key(seed, students)}.db"
        if not path.exists():
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            _build(f"sqlite:///{partial}", seed, students)
            partial.rename(path)
        return str(path)
    name = f"ct_bench_live_tpl_{_key(seed, students)}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                   {"n": name})
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}_partial"'))
    if not exists:
        _build(admin.url.set(database=f"{name}_partial").render_as_string(False), seed,
               students)
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"'))
    admin.dispose()
    return name


def copy_database(kind: str, seed: int, workdir: str):
    """A fresh copy of the template: (url, drop)."""
    template_name = template(kind, seed)
    if kind == "sqlite":
        target = Path(workdir) / "live.db"
        shutil.copyfile(template_name, target)
        return f"sqlite:///{target}", lambda: None
    from demo import postgres_database  # scripts/bench/demo.py

    return postgres_database("ct_bench_live", template_name)


def unscored_cells(round_id: int) -> list[tuple[str, int, int, int]]:
    from crunchtime.extensions import db
    from crunchtime.models import Criterion, JuryAssignment, JuryProfile, User

    criteria = list(db.session.scalars(sa.select(Criterion.id)
                                       .where(Criterion.round_id == round_id)
                                       .order_by(Criterion.position)))
    pairs = db.session.execute(
        sa.select(User.email, JuryAssignment.team_id)
        .join(JuryProfile, JuryProfile.id == JuryAssignment.jury_id)
        .join(User, User.id == JuryProfile.user_id)
        .where(JuryAssignment.round_id == round_id, JuryAssignment.status == "to_score")
        .order_by(JuryAssignment.id)).all()
    return [(email, round_id, team, criterion) for email, team in pairs for criterion in criteria]


def _invitations(count: int) -> list[str]:
    from crunchtime.extensions import db
    from crunchtime.models import User
    from crunchtime.security import tokens

    users = [User(email=f"late-jury-{uuid.uuid4().hex[:8]}@bench.example", role="jury",
                  first_name="Jury", last_name=f"Tardif {n}") for n in range(count)]
    db.session.add_all(users)
    db.session.commit()
    return [f"/invitation/{tokens.make_token(SECRET_KEY, 'invite', u.id, None, u.session_token)}"
            for u in users]


def prepare(kind: str, seed: int, workdir: str, invitations: int) -> World:
    from crunchtime.extensions import db
    from crunchtime.services.demo.edition import DEMO_PASSWORD
    from crunchtime.services.editions.current import current_edition
    from crunchtime.services.judging.ledger.queries import round_scores
    from crunchtime.services.live.board import live_round

    url, drop = copy_database(kind, seed, workdir)
    app = data_app(url)
    with app.app_context():
        judging_round = live_round(current_edition())
        cells = unscored_cells(judging_round.id)
        links = _invitations(invitations)
        recorded = len(round_scores(judging_round.id))
        scales = {c.id: (c.scale_min, c.scale_max) for c in judging_round.criteria}
        db.session.remove()
        db.engine.dispose()
    return World(url, drop, cells, links, DEMO_PASSWORD, recorded, scales)
