"""A team of two members on a challenge, with the helpers to save its submission: shared by
the teams and submissions tests (their conftest.py import the fixtures)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from crunchtime.extensions import db as _db
from crunchtime.models import Submission, SubmissionFile, SubmissionVersion
from crunchtime.models.base import utcnow
from tests import factories
from tests.helpers import csrf_token

FIELDS = ("title", "pitch", "problem", "solution", "prototype", "user_tests",
          "repository", "video", "demo")


@pytest.fixture
def edition(db):
    """Overrides the suite's edition: the building phase, deadline in two days."""
    return factories.edition(phase="building",
                             submission_deadline=utcnow() + timedelta(days=2))


@pytest.fixture
def company(db):
    return factories.company_user(factories.organisation("Optymo"))


@pytest.fixture
def challenge(db, edition, company):
    return factories.challenge(edition, company.organisation, title="Bus à hydrogène",
                               contact_name="Claire Martin",
                               contact_email="claire@optymo.example")


@pytest.fixture
def lea(db, edition):
    return factories.student(edition, first_name="Léa", last_name="Moreau")


@pytest.fixture
def hugo(db, edition):
    return factories.student(edition, first_name="Hugo", last_name="Bernard")


@pytest.fixture
def team(db, edition, challenge, lea, hugo):
    return factories.team(edition, challenge, members=[lea, hugo], name="Les Hydrogènes")


@pytest.fixture
def outsider(db, edition):
    """A student of another team, on another challenge."""
    student = factories.student(edition, first_name="Zoé", last_name="Petit")
    factories.team(edition, members=[student])
    return student


def submission_path(team) -> str:
    return f"/team/{team.id}/submission"


def save(client, team, base_version: int = 0, files=(), token_from: str | None = None,
         **fields):
    """Post the submission form as the page does (its CSRF token, its base version)."""
    path = submission_path(team)
    data = {name: fields.get(name, "") for name in FIELDS}
    data.update({key: value for key, value in fields.items() if key not in FIELDS})
    data["base_version"] = str(base_version)
    data["csrf_token"] = csrf_token(client, token_from or "/privacy")
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(path, data=data, content_type="multipart/form-data")


def post_action(client, path: str, data: dict | None = None, **kwargs):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/privacy")},
                       **kwargs)


def counts() -> tuple[int, int, int]:
    """(submissions, versions, files) rows, to show that a refusal wrote nothing."""
    return tuple(_db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Submission, SubmissionVersion, SubmissionFile))


def files_on_disk(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def versions(team) -> list[SubmissionVersion]:
    return list(_db.session.scalars(
        sa.select(SubmissionVersion).join(Submission)
        .where(Submission.team_id == team.id).order_by(SubmissionVersion.number)))
