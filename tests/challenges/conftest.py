"""Fixtures of the challenges area: skills, challenges with their search text, uploads."""

from __future__ import annotations

import io

import pytest
from markupsafe import escape

from crunchtime.extensions import db as _db
from crunchtime.models import Skill
from crunchtime.services.challenges.drafts import refresh_search_text
from tests import factories
from tests.accounts.conftest import catalogue  # noqa: F401  (fixture: the preferences tests)
from tests.helpers import csrf_token, text


def make_challenge(edition, organisation=None, skills=(), **fields):
    """A challenge (approved unless told) whose catalogue search text is up to date."""
    challenge = factories.challenge(edition, organisation, **fields)
    challenge.skills = list(skills)
    refresh_search_text(challenge)
    _db.session.commit()
    return challenge


def shows(response, value: str) -> bool:
    """True when the page shows `value` (as the template escapes it)."""
    return str(escape(value)) in text(response)


def set_phase(edition, phase: str) -> None:
    edition.phase = phase
    _db.session.commit()


def post(client, path: str, data: dict | None = None, **kwargs):
    """POST with the session's CSRF token (for action URLs that have no page of their own)."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/privacy")},
                       **kwargs)


def upload(client, challenge, content: bytes, name: str):
    return post(client, f"/company/challenges/{challenge.id}/attachments",
                {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


@pytest.fixture
def skills(db, edition):
    rows = [Skill(edition_id=edition.id, name=name)
            for name in ("Énergie", "Mobilité", "Programmation Python")]
    db.session.add_all(rows)
    db.session.commit()
    return rows


@pytest.fixture
def organisation(company_user):
    return company_user.organisation


@pytest.fixture
def other_company(db, edition):
    return factories.company_user(factories.organisation("Autre Société"))
