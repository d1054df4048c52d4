"""What a matching run returns: placements with structured explanations, teams, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Explanation:
    """Why a student landed where they did, as data the app words in French or English.

    kind: "choice" (got their `rank`-th choice), "group" (placed with their friend group on a
    challenge a group-mate ranked), "fit_no_choices" (ranked nothing: placed by fit),
    "fit_choices_full" (none of their choices could take them: placed by fit), "pinned"
    (an organiser pinned them), "moved" (an organiser moved them after the run). For anyone
    not on their first choice, `first_choice` is it, with how many students ranked it first
    and how many seats it had.
    """

    kind: str
    rank: int | None
    first_choice: str | None
    first_choice_demand: int | None
    first_choice_seats: int | None
    fit: float


@dataclass(frozen=True)
class Placement:
    student_id: int
    challenge_code: str
    team_index: int
    utility: float
    rank: int | None
    explanation: Explanation


@dataclass(frozen=True)
class Team:
    challenge_code: str
    index: int
    student_ids: tuple[int, ...]


@dataclass(frozen=True)
class MatchingResult:
    """`fit` is kept so `evaluate` can score moves without refitting; `left_out`: the ids of
    the students not placed, by reason (see `eligibility.REASONS`)."""

    placements: tuple[Placement, ...]
    teams: tuple[Team, ...]
    metrics: dict[str, Any]
    fit: np.ndarray
    left_out: dict[str, tuple[int, ...]] = field(default_factory=dict)
