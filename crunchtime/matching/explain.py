"""Per-student explanations of a placement, as structured data (no sentences here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from crunchtime.matching.inputs import ChallengeInput, MatchingParameters, StudentInput
from crunchtime.matching.results import Explanation


class Explainer:
    """Knows first-choice demand and seats, so each explanation is a dictionary lookup."""

    def __init__(
        self,
        students: Sequence[StudentInput],
        challenges: Sequence[ChallengeInput],
        params: MatchingParameters,
        moved: Collection[int] = (),
    ) -> None:
        self.params = params
        self.moved = frozenset(moved)
        self.demand = Counter(s.choices[0] for s in students if s.choices)
        self.seats = {c.code: params.team_size_max * c.teams_wanted for c in challenges}
        self.group_choices: dict[str, set[str]] = {}
        for s in students:
            if s.group is not None:
                self.group_choices.setdefault(s.group, set()).update(s.choices)

    def explain(self, student: StudentInput, code: str, fit: float) -> Explanation:
        """The explanation of `student` placed on challenge `code`."""
        rank = student.choices.index(code) + 1 if code in student.choices else None
        first = student.choices[0] if student.choices and rank != 1 else None
        return Explanation(
            kind=self.kind(student, code, rank),
            rank=rank,
            first_choice=first,
            first_choice_demand=self.demand[first] if first else None,
            first_choice_seats=self.seats[first] if first else None,
            fit=round(float(fit), 4),
        )

    def kind(self, student: StudentInput, code: str, rank: int | None) -> str:
        """Which of the Explanation kinds applies (an organiser's move, then a pin, win)."""
        if student.id in self.moved:
            return "moved"
        if student.id in self.params.pins:
            return "pinned"
        if rank is not None:
            return "choice"
        if student.group is not None and code in self.group_choices.get(student.group, ()):
            return "group"
        return "fit_choices_full" if student.choices else "fit_no_choices"


def outside_reason(kind: str) -> str:
    """Why a student who ranked challenges got none of them."""
    return {"pinned": "pinned", "group": "group", "moved": "moved"}.get(kind, "capacity")
