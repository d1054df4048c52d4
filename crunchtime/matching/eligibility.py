"""Who the matching may place: never a student without consent; students with an incomplete
profile or no wishes only when the organiser chooses to place them by fit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from crunchtime.matching.inputs import StudentInput

NO_CONSENT, NO_PROFILE, NO_WISHES = "no_consent", "no_profile", "no_wishes"
# One reason per student, the first that applies: the counts of the reasons add up.
REASONS = (NO_CONSENT, NO_PROFILE, NO_WISHES)


def profile_complete(student: StudentInput) -> bool:
    """The profile gives the fit something to read: programme, year and skills."""
    return bool(student.programme) and student.year > 0 and bool(student.skills)


def missing_reason(student: StudentInput) -> str | None:
    """What the student lacks, most serious first (None: nothing)."""
    if not student.consented:
        return NO_CONSENT
    if not profile_complete(student):
        return NO_PROFILE
    if not student.choices:
        return NO_WISHES
    return None


@dataclass(frozen=True)
class Eligibility:
    """`placeable`: the students the model places; `left_out` and `placed_by_fit`: the ids of
    the others and of the incomplete ones placed anyway, by reason (every reason present)."""

    placeable: tuple[StudentInput, ...]
    left_out: dict[str, tuple[int, ...]] = field(default_factory=dict)
    placed_by_fit: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def left_out_counts(self) -> dict[str, int]:
        return {reason: len(ids) for reason, ids in self.left_out.items()}


def sort_students(students: Sequence[StudentInput], leave_out_incomplete: bool) -> Eligibility:
    """Split the students: no consent is always left out; an incomplete profile or no wishes
    is left out when `leave_out_incomplete`, else placed by fit."""
    placeable: list[StudentInput] = []
    left_out: dict[str, list[int]] = {reason: [] for reason in REASONS}
    by_fit: dict[str, list[int]] = {reason: [] for reason in REASONS[1:]}
    for student in students:
        reason = missing_reason(student)
        if reason == NO_CONSENT or (reason is not None and leave_out_incomplete):
            left_out[reason].append(student.id)
            continue
        if reason is not None:
            by_fit[reason].append(student.id)
        placeable.append(student)
    return Eligibility(tuple(placeable),
                       {reason: tuple(ids) for reason, ids in left_out.items()},
                       {reason: tuple(ids) for reason, ids in by_fit.items()})
