"""`crunchtime attestations OUTDIR` on a demo edition at the results stage."""

from __future__ import annotations

import sqlalchemy as sa

from crunchtime.models import Attestation, Edition, Membership, StudentProfile, User
from crunchtime.services.attestations.batch import file_name
from crunchtime.services.judging.feedback import feedback_settings
from tests.attestations.test_attestations import pdf_title


def test_the_command_writes_one_pdf_per_placed_student_and_lists_the_others(app, db,
                                                                              tmp_path):
    runner = app.test_cli_runner()
    demo = runner.invoke(args=["demo", "--students", "60", "--seed", "3", "--stage", "results"])
    assert demo.exit_code == 0, demo.output
    edition = db.session.scalar(sa.select(Edition).where(Edition.is_current.is_(True)))
    assert feedback_settings(edition).open  # the demo's teams read their juries' feedback
    placed = set(db.session.scalars(
        sa.select(User.email).join(StudentProfile, StudentProfile.user_id == User.id)
        .join(Membership, Membership.student_id == StudentProfile.id)
        .where(StudentProfile.edition_id == edition.id)))
    everyone = set(db.session.scalars(
        sa.select(User.email).join(StudentProfile, StudentProfile.user_id == User.id)
        .where(StudentProfile.edition_id == edition.id)))
    # One student leaves their team: the command must skip them, not fail.
    loner = sorted(placed)[0]
    db.session.execute(sa.delete(Membership).where(Membership.student_id.in_(
        sa.select(StudentProfile.id).join(User, User.id == StudentProfile.user_id)
        .where(User.email == loner))))
    db.session.commit()
    placed.discard(loner)

    outdir = tmp_path / "attestations"
    result = runner.invoke(args=["attestations", str(outdir)])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in outdir.iterdir())
    assert written == sorted(file_name(email, 0) for email in placed)
    assert all((outdir / name).read_bytes().startswith(b"%PDF") for name in written)
    someone = db.session.scalar(sa.select(User).where(User.email == sorted(placed)[0]))
    assert someone.full_name in pdf_title((outdir / file_name(someone.email, 0)).read_bytes())
    assert f"Skipped {loner}: not in a team." in result.output
    assert (f"{len(placed)} attestations written to {outdir}, "
            f"{len(everyone - placed)} students skipped") in result.output
    references = db.session.scalar(sa.select(sa.func.count(Attestation.id)))
    assert references == len(placed)

    again = runner.invoke(args=["attestations", str(outdir), "--locale", "en"])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(sa.select(sa.func.count(Attestation.id))) == references
    assert not [p for p in outdir.iterdir() if p.name.endswith(".part")]


def test_the_command_refuses_before_the_results_are_published(app, db, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--students", "30", "--stage", "matched"]).exit_code == 0
    result = runner.invoke(args=["attestations", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "once the results are published" in result.output
    assert not list((tmp_path / "out").iterdir())
