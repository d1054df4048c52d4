"""An edition in the matching phase, built by the demo generator."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.models import Edition, StudentProfile, User


@pytest.fixture
def matching_edition(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--students", "120", "--seed", "5"])
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    edition.phase = "matching"
    db.session.commit()
    return edition


@pytest.fixture
def organiser(db, matching_edition):
    return db.session.scalar(sa.select(User).where(User.role == "organizer"))


@pytest.fixture
def as_organiser(app, organiser):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    return browser


def student_emails(db, count: int) -> list[str]:
    return list(db.session.scalars(
        sa.select(User.email).join(StudentProfile, StudentProfile.user_id == User.id)
        .order_by(User.id).limit(count)))
