"""`crunchtime demo --stage results` comes with the incubation path visible: projects,
a decided past edition (archived) and flags computed by the transparent score and the model."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import Edition, IncubationFlag, SubmissionVersion, Team
from crunchtime.services.incubation.flags import model_report


def test_the_results_demo_has_a_decided_past_edition_and_computed_flags(app, db):
    result = app.test_cli_runner().invoke(
        args=["demo", "--students", "120", "--seed", "7", "--stage", "results"])
    assert result.exit_code == 0, result.output
    current = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    past = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(False)))
    assert past.archived and past.phase == "closed" and past.year == current.year - 1
    incubated = db.session.scalar(sa.select(sa.func.count(IncubationFlag.id)).join(Team).where(
        Team.edition_id == past.id, IncubationFlag.status == "incubated"))
    assert incubated >= 6
    report = model_report(current)
    assert report["status"] == "trained", report
    flagged = db.session.scalars(sa.select(IncubationFlag).join(Team).where(
        Team.edition_id == current.id)).all()
    assert flagged and all(flag.reasons and flag.model_probability is not None
                           for flag in flagged)
    versions = db.session.scalar(sa.select(sa.func.count(SubmissionVersion.id)))
    assert versions >= db.session.scalar(sa.select(sa.func.count(Team.id)))
