"""Fixtures of the import tests: an edition in registration with challenges to choose."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.models import AuditEvent, OutboxMessage, Preference, StudentProfile, User
from tests import factories
from tests.worlds import world  # noqa: F401  (fixture: the exports' judged edition)


@pytest.fixture
def challenges(db, edition):
    """Six approved challenges C001–C006 and C009, still submitted."""
    organisation = factories.organisation("Alstom")
    approved = [factories.challenge(edition, organisation, code=f"C00{n}") for n in range(1, 7)]
    factories.challenge(edition, organisation, code="C009", status="submitted")
    return {challenge.code: challenge for challenge in approved}


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def written_rows(db) -> dict:
    """How many rows the import could have written, by table."""
    return {model.__name__: count(db, model)
            for model in (User, StudentProfile, Preference, OutboxMessage, AuditEvent)}


def profile_by_email(db, email: str) -> StudentProfile:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(StudentProfile).join(User).where(User.email == email.lower())
    )


def ranked_codes(profile: StudentProfile) -> list[str]:
    return [preference.challenge.code for preference in profile.preferences]
