"""Who the matching leaves out or places by fit, and why: shown to the organiser before a
run (to choose) and on the run (what it did)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from crunchtime.extensions import db
from crunchtime.matching import REASONS, missing_reason
from crunchtime.models import Edition, MatchingRun, StudentProfile, User
from crunchtime.services.matching.inputs import student_inputs


@dataclass(frozen=True)
class ListedStudent:
    student_id: int
    name: str
    email: str


@dataclass(frozen=True)
class EditionEligibility:
    """`students`: active students of the edition; `missing`: by reason (each student under
    the first reason that applies, every reason present), those who lack something."""

    students: int
    missing: dict[str, list[ListedStudent]]

    @property
    def complete(self) -> int:
        return self.students - sum(len(listed) for listed in self.missing.values())


def edition_eligibility(edition: Edition) -> EditionEligibility:
    """What the students of the edition lack before the matching runs."""
    students = student_inputs(edition)
    ids: dict[str, list[int]] = {reason: [] for reason in REASONS}
    for student in students:
        reason = missing_reason(student)
        if reason is not None:
            ids[reason].append(student.id)
    return EditionEligibility(len(students), _listed(ids))


def run_left_out(run: MatchingRun) -> dict[str, list[ListedStudent]]:
    """The students the run left out, by reason (older runs: none recorded)."""
    recorded = (run.parameters or {}).get("left_out") or {}
    return _listed({reason: list(recorded.get(reason, [])) for reason in REASONS})


def _listed(ids: dict[str, list[int]]) -> dict[str, list[ListedStudent]]:
    """Names and e-mail addresses, in one query, sorted by last name."""
    wanted = [student for group in ids.values() for student in group]
    rows = db.session.execute(
        sa.select(StudentProfile.id, User.first_name, User.last_name, User.email)
        .join(User, StudentProfile.user_id == User.id)
        .where(StudentProfile.id.in_(wanted))
        .order_by(User.last_name, User.first_name, User.email)).all() if wanted else []
    reason_of = {student: reason for reason, group in ids.items() for student in group}
    listed: dict[str, list[ListedStudent]] = {reason: [] for reason in ids}
    for row in rows:
        listed[reason_of[row.id]].append(
            ListedStudent(row.id, f"{row.first_name} {row.last_name}", row.email))
    return listed
