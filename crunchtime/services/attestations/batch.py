"""Every attestation of an edition, written to a folder (`crunchtime attestations OUTDIR`):
one PDF per student with a team, the students without one listed as skipped."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crunchtime.extensions import db
from crunchtime.models import Challenge, Edition, Membership, StudentProfile, Team
from crunchtime.services.attestations.documents import Printer
from crunchtime.services.attestations.facts import ensure_references, facts_of, require_open

CHUNK = 50  # students whose facts are read together


@dataclass
class BatchReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # e-mails of students without a team


def file_name(email: str, profile_id: int) -> str:
    """The PDF's name: the e-mail when it makes a safe file name, else the profile's id."""
    if re.fullmatch(r"[A-Za-z0-9._%+@-]{3,120}", email) and not email.startswith("."):
        return f"{email.lower()}.pdf"
    return f"student-{profile_id}.pdf"


def _students(edition: Edition) -> list[tuple[StudentProfile, Team | None]]:
    rows = db.session.execute(
        sa.select(StudentProfile, Team)
        .outerjoin(Membership, Membership.student_id == StudentProfile.id)
        .outerjoin(Team, Team.id == Membership.team_id)
        .where(StudentProfile.edition_id == edition.id, StudentProfile.deleted_at.is_(None))
        .options(selectinload(StudentProfile.user), selectinload(StudentProfile.programme),
                 selectinload(Team.challenge).selectinload(Challenge.organisation))
        .order_by(StudentProfile.id))
    return [(profile, team) for profile, team in rows]


def write_attestations(edition: Edition, folder: Path, *, locale: str | None = None,
                       progress: Callable[[int, int], None] | None = None) -> BatchReport:
    """Write each student's PDF into `folder` (in `locale`, else the student's language); a
    PDF is whole or absent, whatever stops the run."""
    require_open(edition)
    students = _students(edition)
    placed = [(profile, team) for profile, team in students if team is not None]
    report = BatchReport(skipped=sorted(profile.user.email for profile, team in students
                                        if team is None))
    references = ensure_references(edition, [profile for profile, _team in placed])
    printer = Printer()
    total = len(placed)
    if progress:
        progress(0, total)
    for start in range(0, total, CHUNK):
        chunk = placed[start:start + CHUNK]
        facts = facts_of(edition, [(p, t, references[p.id]) for p, t in chunk])
        for (profile, _team), fact in zip(chunk, facts, strict=True):
            target = folder / file_name(profile.user.email, profile.id)
            printer.write(fact, locale or profile.user.locale or "fr", target)
            report.written.append(target)
            if progress:
                progress(len(report.written), total)
    return report
