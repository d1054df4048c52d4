"""Fixtures for the student pages: an edition with programmes, skills and challenges."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crunchtime.models import Programme, Skill, StudentProfile
from tests import factories


@pytest.fixture
def catalogue(db, edition):
    """Programmes, skills and six approved challenges (one still in draft)."""
    programmes = [Programme(edition_id=edition.id, name=n) for n in ("Informatique", "Énergie")]
    skills = [Skill(edition_id=edition.id, name=n) for n in ("Python", "CAO", "Hydrogène")]
    db.session.add_all(programmes + skills)
    db.session.commit()
    organisation = factories.organisation("Alstom")
    challenges = [factories.challenge(edition, organisation, code=f"C00{n}", title=f"Défi {n}")
                  for n in range(1, 7)]
    draft = factories.challenge(edition, organisation, code="C099", status="draft")
    return {"programmes": programmes, "skills": skills, "challenges": challenges,
            "draft": draft}


def profile_of(db, user) -> StudentProfile:
    db.session.expire_all()
    return db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user.id))
